extension HLS4MLConstants {
    /// Fit of record on benchmarks/calibration/corpus.json (held-out entries never used), produced by
    /// benchmarks/calibration/fit-hls4ml.sh: latency overheads are the median excess over the reuse loop of the
    /// corpus' dense and gru_static reports; LUT and FF are the relative non-negative least-squares fit of
    /// HLS4MLFit.relative over every usable corpus entry. HLS4MLCalibrationTests fails when these drift from a refit.
    public static let fitted = HLS4MLConstants(
        denseOverhead: 1, stepOverhead: 9, latencyTreeOverhead: -1,
        lut: [2.493, 1.853, 0.8806, 8.518, 47.21, 7.524, 14.78, 0, 2.082],
        ff: [2.253, 56.74, 0, 1.262, 1.033, 0.5271])
}
