extension HLS4MLConstants {
    /// Fit of record on benchmarks/calibration/corpus.json (held-out entries never used), produced by
    /// benchmarks/calibration/fit-hls4ml.sh: latency overheads are the median excess over the reuse loop of the
    /// corpus' dense and gru_static reports; LUT and FF are the relative non-negative least-squares fit of
    /// HLS4MLFit.relative over every usable corpus entry. HLS4MLCalibrationTests fails when these drift from a refit.
    public static let fitted = HLS4MLConstants(
        denseOverhead: 1, stepOverhead: 9, latencyTreeOverhead: -1, selectOverhead: 2,
        lut: [2.077, 1.899, 0.8029, 9.24, 0, 14.62, 16.83, 0, 2.151, 2.499],
        ff: [2.088, 19.24, 0, 1.436, 1.029, 2.313, 0.5117, 1.913])
}
