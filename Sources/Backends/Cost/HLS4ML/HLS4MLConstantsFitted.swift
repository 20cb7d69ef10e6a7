extension HLS4MLConstants {
    /// Fit of record on benchmarks/calibration/corpus.json (held-out entries never used), produced by
    /// benchmarks/calibration/fit-hls4ml.sh: latency overheads are the median excess over the reuse loop of the
    /// corpus' dense and gru_static reports; LUT and FF are the relative non-negative least-squares fit of
    /// HLS4MLFit.relative over every usable corpus entry. HLS4MLCalibrationTests fails when these drift from a refit.
    public static let fitted = HLS4MLConstants(
        denseOverhead: 1, stepOverhead: 9, latencyTreeOverhead: -1, selectOverhead: 3,
        lut: [2.49, 1.293, 0.8699, 8.523, 35.81, 11.58, 16.16, 0, 2.093, 0.2166],
        ff: [2.115, 14.1, 0, 1.353, 1.027, 2.63, 0.5235])
}
