// The statements of one GRU step, written once for both schedules that emit them: gru_step (latency and
// resource, lfads_gru.h) and gru_cell_lfads (lfads strategy, lfads_schedule.h). Both must stay the simulator's
// arithmetic statement for statement, so they share this text and differ only where the schedule does.

enum GRUCellTemplate {
    enum Schedule {
        /// gru_step: multiplies its own input x with `matvec` and runs U_h after the gates.
        case perStep
        /// gru_cell_lfads: given the hoisted input projection ax; with reset after, U_h runs beside the z/r
        /// product (it does not need the gates), in `matvec_lfads`.
        case lfads
        /// gru_gates_lfads: the lfads cell after its recurrent product, given the merged product's 3H sums `a`
        /// (the interleaved recurrence computes the product chunk by chunk in its own pipeline).
        case gates
    }

    /// The function body (without braces), indented for a top-level function, without a final line break.
    static func body(_ schedule: Schedule) -> String {
        let lfads = schedule != .perStep
        let gates = schedule == .gates
        let matvec = lfads ? "matvec_lfads" : "matvec"
        let recurrentH = "\(matvec)<state_t, typename CONFIG_T::mult_hh>(h, ahh, wh, bh);"
        // Lines of one schedule only: the text plus its line break, or nothing.
        func only(_ on: Bool, _ lines: String...) -> String { on ? lines.map { $0 + "\n" }.joined() : "" }
        return """
        \(only(lfads, "    LFADS_PRAGMA(HLS INLINE)"))\
            typedef typename CONFIG_T::accum_t accum_t;
            typedef typename CONFIG_T::gate_t gate_t;
            typedef typename CONFIG_T::cand_t cand_t;
            typedef typename CONFIG_T::state_t state_t;
            const unsigned H = CONFIG_T::n_state;
        \(only(!lfads, "    accum_t ax[3 * CONFIG_T::n_state];"))\
            accum_t azr[2 * CONFIG_T::n_state];
            accum_t ahh[CONFIG_T::n_state];
            gate_t z[CONFIG_T::n_state];
            gate_t r[CONFIG_T::n_state];
            state_t hn[CONFIG_T::n_state];
        \(only(!lfads, "    LFADS_PRAGMA(HLS ARRAY_PARTITION variable = ax complete)"))\
            LFADS_PRAGMA(HLS ARRAY_PARTITION variable = azr complete)
            LFADS_PRAGMA(HLS ARRAY_PARTITION variable = ahh complete)
            LFADS_PRAGMA(HLS ARRAY_PARTITION variable = z complete)
            LFADS_PRAGMA(HLS ARRAY_PARTITION variable = r complete)
            LFADS_PRAGMA(HLS ARRAY_PARTITION variable = hn complete)
        \(only(!lfads, "    matvec<data_T, typename CONFIG_T::mult_x>(x, ax, wx, bx);",
                       "    \(matvec)<state_t, typename CONFIG_T::mult_zr>(h, azr, wzr, bzr);"))\
        \(only(lfads && !gates, "    // Reset after: z, r and h rows are one 3H-row matrix (mult_zr), one pipeline per step.",
                      "    lfads_recurrent_product<CONFIG_T::reset_after>::template run<CONFIG_T>(h, azr, ahh, wzr, bzr);"))\
        \(only(gates, "    // The merged product's sums: z and r rows, then h rows (reset after only).",
                      "    for (unsigned j = 0; j < 2 * H; j++) {",
                      "        LFADS_PRAGMA(HLS UNROLL)",
                      "        azr[j] = a[j];",
                      "    }",
                      "    for (unsigned j = 0; j < H; j++) {",
                      "        LFADS_PRAGMA(HLS UNROLL)",
                      "        ahh[j] = a[2 * H + j];",
                      "    }"))\
            for (unsigned j = 0; j < H; j++) {
                LFADS_PRAGMA(HLS UNROLL)
                accum_t pz = ax[j] + azr[j];
                \(lfads ? "CONFIG_T::gate_act::apply_lane(pz, z[j], j);" : "CONFIG_T::gate_act::apply(pz, z[j]);")
                accum_t pr = ax[H + j] + azr[H + j];
                \(lfads ? "CONFIG_T::gate_act::apply_lane(pr, r[j], H + j);" : "CONFIG_T::gate_act::apply(pr, r[j]);")
            }
            if (CONFIG_T::reset_after) {
        \(only(!lfads, "        \(recurrentH)"))\
                for (unsigned j = 0; j < H; j++) {
                    LFADS_PRAGMA(HLS UNROLL)
                    accum_t rp = r[j] * ahh[j];
                    ahh[j] = rp;
                }
            } else {
        \(only(lfads, "        // Reset before: U_h needs r * h, so its product waits for the gates (a second reuse loop per step)."))\
                state_t rh[CONFIG_T::n_state];
                LFADS_PRAGMA(HLS ARRAY_PARTITION variable = rh complete)
                for (unsigned k = 0; k < H; k++) {
                    LFADS_PRAGMA(HLS UNROLL)
                    rh[k] = r[k] * h[k];
                }
                \(matvec)<state_t, typename CONFIG_T::mult_hh>(rh, ahh, wh, bh);
            }
            for (unsigned j = 0; j < H; j++) {
                LFADS_PRAGMA(HLS UNROLL)
                accum_t c = ax[2 * H + j] + ahh[j];
                cand_t hc;
                \(lfads ? "CONFIG_T::cand_act::apply_lane(c, hc, j);" : "CONFIG_T::cand_act::apply(c, hc);")
                hn[j] = hc * (1 - z[j]) + h[j] * z[j];
                if (CONFIG_T::has_clip) {
                    const state_t bound = CONFIG_T::clip();
                    if (hn[j] > bound) {
                        hn[j] = bound;
                    } else if (hn[j] < -bound) {
                        hn[j] = -bound;
                    }
                }
            }
            for (unsigned j = 0; j < H; j++) {
                LFADS_PRAGMA(HLS UNROLL)
                h[j] = hn[j];
            }
        """
    }
}
