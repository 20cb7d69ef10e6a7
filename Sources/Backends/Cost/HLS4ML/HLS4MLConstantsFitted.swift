extension HLS4MLConstants {
    /// Fit of record on benchmarks/calibration/corpus.json (held-out entries never used), produced by
    /// benchmarks/calibration/fit-hls4ml.sh: latency overheads are the median excess over the reuse loop of the
    /// corpus' dense and gru_static reports; LUT and FF are the relative non-negative least-squares fit of
    /// HLS4MLFit.relative over every usable corpus entry. HLS4MLCalibrationTests fails when these drift from a refit.
    public static let fitted = HLS4MLConstants(
        denseOverhead: 1, stepOverhead: 9,
        lut: [2.46, 1.64, 0.8594, 8.382, 653.3, 0, 15.86],
        ff: [2.237, 66.67, 0, 1.26])
}
