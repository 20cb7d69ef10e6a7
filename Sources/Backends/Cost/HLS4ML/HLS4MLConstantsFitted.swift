extension HLS4MLConstants {
    /// Fit of record on benchmarks/calibration/corpus.json (held-out entries never used), produced by
    /// benchmarks/calibration/fit-hls4ml.sh: latency overheads are the median excess over the reuse loop of the
    /// corpus' dense and gru_static reports; LUT and FF are the relative non-negative least-squares fit of
    /// HLS4MLFit.relative over every usable corpus entry. HLS4MLCalibrationTests fails when these drift from a refit.
    public static let fitted = HLS4MLConstants(
        denseOverhead: 1, stepOverhead: 9,
        lut: [2.670, 0.2693, 0.8500, 7.949, 1149],
        ff: [2.205, 66.46, 697.5])
}
