extension HLS4MLConstants {
    /// Fit of record on benchmarks/calibration/corpus.json (held-out entries never used), produced by
    /// benchmarks/calibration/fit-hls4ml.sh: latency overheads are the median excess over the reuse loop of the
    /// corpus' dense and gru_static reports; LUT and FF are the relative non-negative least-squares fit of
    /// HLS4MLFit.relative over every usable corpus entry. HLS4MLCalibrationTests fails when these drift from a refit.
    public static let fitted = HLS4MLConstants(
        denseOverhead: 1, stepOverhead: 9, latencyTreeOverhead: -1, selectOverhead: 3,
        lut: [2.339, 1.824, 0.7704, 8.979, 0, 13.69, 17.53, 0, 2.152, 2.499],
        ff: [2.127, 20.19, 0, 1.354, 1.029, 2.251, 0.5009, 1.913])
}
