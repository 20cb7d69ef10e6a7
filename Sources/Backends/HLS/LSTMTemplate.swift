// The LSTM layer template (firmware/layers/lfads_lstm.h). Its statements are LSTMKernel's
// (Sources/Backends/FixedSim/LSTMKernel.swift) one for one; the latency and resource strategies differ only
// inside `matvec`.

enum LSTMTemplate {
    static let text = """
    // One static LSTM cell reused every step (Keras gates i, f, c, o; docs/hardware-numerics.md):
    //   ax = Wx + b and ah = Uh (4H rows each, in accum_t)
    //   i = gate(ax_i + ah_i), f = gate(ax_f + ah_f), c~ = cand(ax_c + ah_c), o = gate(ax_o + ah_o)
    //   c' = (cell)(f * c + i * c~)   h' = (state)(o * cand(c'))   -- each one cast of the exact expression
    template <class data_T, class CONFIG_T>
    void lstm_step(const data_T x[CONFIG_T::n_in], typename CONFIG_T::state_t h[CONFIG_T::n_state],
                   typename CONFIG_T::cell_t c[CONFIG_T::n_state],
                   const typename CONFIG_T::mult_x::weight_rom_t wx[CONFIG_T::n_in * 4 * CONFIG_T::n_state],
                   const typename CONFIG_T::mult_x::bias_rom_t bx[4 * CONFIG_T::n_state],
                   const typename CONFIG_T::mult_h::weight_rom_t wh[CONFIG_T::n_state * 4 * CONFIG_T::n_state],
                   const typename CONFIG_T::mult_h::bias_rom_t bh[4 * CONFIG_T::n_state]) {
        typedef typename CONFIG_T::accum_t accum_t;
        typedef typename CONFIG_T::gate_t gate_t;
        typedef typename CONFIG_T::cand_t cand_t;
        typedef typename CONFIG_T::state_t state_t;
        const unsigned H = CONFIG_T::n_state;
        accum_t ax[4 * CONFIG_T::n_state];
        accum_t ah[4 * CONFIG_T::n_state];
        gate_t ig[CONFIG_T::n_state];
        gate_t fg[CONFIG_T::n_state];
        cand_t cc[CONFIG_T::n_state];
        gate_t og[CONFIG_T::n_state];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = ax complete)
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = ah complete)
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = ig complete)
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = fg complete)
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = cc complete)
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = og complete)
        matvec<data_T, typename CONFIG_T::mult_x>(x, ax, wx, bx);
        matvec<state_t, typename CONFIG_T::mult_h>(h, ah, wh, bh);
        for (unsigned j = 0; j < H; j++) {
            LFADS_PRAGMA(HLS UNROLL)
            accum_t pi = ax[j] + ah[j];
            CONFIG_T::gate_act::apply(pi, ig[j]);
            accum_t pf = ax[H + j] + ah[H + j];
            CONFIG_T::gate_act::apply(pf, fg[j]);
            accum_t pc = ax[2 * H + j] + ah[2 * H + j];
            CONFIG_T::cand_act::apply(pc, cc[j]);
            accum_t po = ax[3 * H + j] + ah[3 * H + j];
            CONFIG_T::gate_act::apply(po, og[j]);
        }
        for (unsigned j = 0; j < H; j++) {
            LFADS_PRAGMA(HLS UNROLL)
            c[j] = fg[j] * c[j] + ig[j] * cc[j];
            cand_t a;
            CONFIG_T::cell_act::apply(c[j], a);
            h[j] = og[j] * a;
        }
    }

    // An LSTM over a sequence (time-major x) from h = 0, c = 0; backward layers walk t = T-1 .. 0 and write step
    // t at position t. y holds every step (return_sequences) or the last h, cast to res_T.
    template <class data_T, class res_T, class CONFIG_T>
    void lstm_layer(const data_T *x, res_T *y,
                    const typename CONFIG_T::mult_x::weight_rom_t wx[CONFIG_T::n_in * 4 * CONFIG_T::n_state],
                    const typename CONFIG_T::mult_x::bias_rom_t bx[4 * CONFIG_T::n_state],
                    const typename CONFIG_T::mult_h::weight_rom_t wh[CONFIG_T::n_state * 4 * CONFIG_T::n_state],
                    const typename CONFIG_T::mult_h::bias_rom_t bh[4 * CONFIG_T::n_state]) {
        typename CONFIG_T::state_t h[CONFIG_T::n_state];
        typename CONFIG_T::cell_t c[CONFIG_T::n_state];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = h complete)
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = c complete)
        for (unsigned j = 0; j < CONFIG_T::n_state; j++) {
            h[j] = 0;
            c[j] = 0;
        }
        for (unsigned s = 0; s < CONFIG_T::n_steps; s++) {
            const unsigned t = CONFIG_T::reverse ? CONFIG_T::n_steps - 1 - s : s;
            lstm_step<data_T, CONFIG_T>(&x[t * CONFIG_T::n_in], h, c, wx, bx, wh, bh);
            if (CONFIG_T::return_sequences) {
                for (unsigned j = 0; j < CONFIG_T::n_state; j++) y[t * CONFIG_T::n_state + j] = h[j];
            }
        }
        if (!CONFIG_T::return_sequences) {
            for (unsigned j = 0; j < CONFIG_T::n_state; j++) y[j] = h[j];
        }
    }

    """
}
