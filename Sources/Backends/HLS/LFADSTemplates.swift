// The C++ of the dataflow schedule (firmware/layers/lfads_schedule.h, emitted for every design without an LSTM,
// whatever the strategies: lfads, resource and latency are all chunk pipelines and differ only in their weight
// binding and in lfads' narrow spike-count products). Arithmetic is the simulator's statement for statement (same
// casts, same input order of every sum). See docs/lfads-strategy.md.

enum LFADSTemplates {
    static let schedule = """
    // Dataflow schedule. Matrices store their weights chunk-major: w[(r * n_out + o) * chunk + k] is the weight of
    // output o and input i = r * chunk + k (zero when i >= n_in), so that iteration r of the pipelined loop reads
    // one word of n_out * chunk weights: reshaped (lfads, resource) the ROM is `reuse` deep and `lanes` wide;
    // partitioned (latency) it is `lanes` banks of `reuse` constants. The unused pragma has factor 1.
    #ifndef __SYNTHESIS__
    #include <cstdio>
    #include <cstdlib>
    #endif
    #pragma GCC diagnostic push
    #pragma GCC diagnostic ignored "-Wunused-parameter"
    #include "hls_stream.h"
    #pragma GCC diagnostic pop

    static const int LFADS_LFADS = 2;

    // A spike count as the narrow unsigned integer the product uses (count_T = ap_uint<N>, N = integer bits of
    // the input type without the sign). Exact for every count in [0, 2^N); for any other value the product
    // would differ from the simulator's, so the C simulation stops instead of diverging silently.
    template <class count_T, class data_T>
    inline count_T lfads_count(const data_T &x) {
        count_T n = x.to_uint64();
    #ifndef __SYNTHESIS__
        if (data_T(n) != x) {
            std::fprintf(stderr, "lfads strategy: input value %s is not a spike count in [0, 2^%d)\\n",
                         x.to_string(10).c_str(), (int)count_T::width);
            std::exit(3);
        }
    #endif
        return n;
    }

    // (accum)(x * w): with counts, the integer n times w. n * w is exact and equals x * w when n == x, so the
    // cast to the accumulator gives the same bits; in hardware it is a shift-and-add of an N-bit integer (LUTs).
    template <class data_T, class CONFIG_T>
    inline typename CONFIG_T::accum_t lfads_product(const data_T &x, const typename CONFIG_T::weight_t &w) {
        LFADS_PRAGMA(HLS INLINE)
        if (CONFIG_T::counts) {
            const typename CONFIG_T::count_t n = lfads_count<typename CONFIG_T::count_t>(x);
            typename CONFIG_T::accum_t p = n * w;
            // A narrow integer times a weight: a shift-and-add in LUTs, never a DSP (the schedule's and cost model's binding).
            LFADS_PRAGMA(HLS BIND_OP variable = p op = mul impl = fabric)
            return p;
        }
        if (CONFIG_T::fabric) {
            // An operand of at most 10 bits (e.g. 8-bit spikes under resource or latency): priced as a fabric
            // product, so bound to fabric; the same x * w.
            typename CONFIG_T::accum_t p = x * w;
            LFADS_PRAGMA(HLS BIND_OP variable = p op = mul impl = fabric)
            return p;
        }
        typename CONFIG_T::accum_t p = x * w;
        return p;
    }

    // y = F(x) as a value (glue processes compose element functions in one expression).
    template <class F, class Y, class X>
    inline Y lfads_apply(const X &x, unsigned lane) {
        LFADS_PRAGMA(HLS INLINE)
        Y y;
        F::apply_lane(x, y, lane);
        return y;
    }

    // A dataflow channel holds one step (N values of T) per word: a reshaped array (random access, ping-pong) or
    // a FIFO of steps, split into K parts of P values so that no stream word exceeds 4,096 bits.
    template <class T, unsigned P, unsigned N>
    struct lfads_part {
        T v[P];
    };

    // Step t of an array channel into w.
    template <class T, unsigned N>
    inline void lfads_get(const T *x, unsigned t, T w[N]) {
        LFADS_PRAGMA(HLS INLINE)
        for (unsigned j = 0; j < N; j++) {
            LFADS_PRAGMA(HLS UNROLL)
            w[j] = x[t * N + j];
        }
    }

    // The next step of a FIFO channel into w (FIFOs are read in the order they were written).
    template <class T, unsigned N, unsigned P, unsigned K>
    inline void lfads_get(hls::stream<lfads_part<T, P, N> > (&x)[K], unsigned t, T w[N]) {
        LFADS_PRAGMA(HLS INLINE)
        (void)t;
        for (unsigned k = 0; k < K; k++) {
            LFADS_PRAGMA(HLS UNROLL)
            const lfads_part<T, P, N> part = x[k].read();
            for (unsigned j = 0; j < P; j++) {
                LFADS_PRAGMA(HLS UNROLL)
                if (k * P + j < N) w[k * P + j] = part.v[j];
            }
        }
    }

    template <class T, unsigned N>
    inline void lfads_put(T *y, unsigned t, const T w[N]) {
        LFADS_PRAGMA(HLS INLINE)
        for (unsigned j = 0; j < N; j++) {
            LFADS_PRAGMA(HLS UNROLL)
            y[t * N + j] = w[j];
        }
    }

    template <class T, unsigned N, unsigned P, unsigned K>
    inline void lfads_put(hls::stream<lfads_part<T, P, N> > (&y)[K], unsigned t, const T w[N]) {
        LFADS_PRAGMA(HLS INLINE)
        (void)t;
        for (unsigned k = 0; k < K; k++) {
            LFADS_PRAGMA(HLS UNROLL)
            lfads_part<T, P, N> part;
            for (unsigned j = 0; j < P; j++) {
                LFADS_PRAGMA(HLS UNROLL)
                part.v[j] = k * P + j < N ? w[k * P + j] : T(0);
            }
            y[k].write(part);
        }
    }

    // A balanced sum of N values of a wrap-around type T: exact modulo 2^W, so the same bits as a chain in any order.
    template <class T, unsigned N>
    struct lfads_tree {
        static T sum(const T *p) {
            LFADS_PRAGMA(HLS INLINE)
            T s = lfads_tree<T, N / 2>::sum(p) + lfads_tree<T, N - N / 2>::sum(p + N / 2);
            return s;
        }
    };
    template <class T>
    struct lfads_tree<T, 1> {
        static T sum(const T *p) { return p[0]; }
    };

    // Iteration r of a product's pipeline: acc[o] starts from (accum)b[o] at r == 0, then adds the products of
    // chunk r (inputs r * chunk .. r * chunk + chunk - 1, all outputs: n_out * chunk lanes). With a wrap-around
    // accumulator (CONFIG_T::tree) the chunk is summed as a tree and added once, the only loop-carried add; a
    // saturating one keeps the chain in input order (not associative), and the pipeline's II covers the chain.
    template <class data_T, class CONFIG_T>
    inline void lfads_chunk(const data_T *x, typename CONFIG_T::accum_t a[CONFIG_T::n_out],
                            const typename CONFIG_T::weight_rom_t w[CONFIG_T::reuse * CONFIG_T::lanes],
                            const typename CONFIG_T::bias_rom_t b[CONFIG_T::n_out], unsigned r) {
        LFADS_PRAGMA(HLS INLINE)
        for (unsigned o = 0; o < CONFIG_T::n_out; o++) {
            LFADS_PRAGMA(HLS UNROLL)
            typename CONFIG_T::accum_t s;
            if (r == 0) {
                s = lfads_from_raw<typename CONFIG_T::bias_t>(b[o]);
            } else {
                s = a[o];
            }
            if (CONFIG_T::tree) {
                typename CONFIG_T::accum_t p[CONFIG_T::chunk];
                LFADS_PRAGMA(HLS ARRAY_PARTITION variable = p complete)
                for (unsigned k = 0; k < CONFIG_T::chunk; k++) {
                    LFADS_PRAGMA(HLS UNROLL)
                    const unsigned i = r * CONFIG_T::chunk + k;
                    if (i < CONFIG_T::n_in) {
                        p[k] = lfads_product<data_T, CONFIG_T>(
                            x[i], lfads_from_raw<typename CONFIG_T::weight_t>(w[(r * CONFIG_T::n_out + o) * CONFIG_T::chunk + k]));
                    } else {
                        p[k] = 0;
                    }
                }
                s = s + lfads_tree<typename CONFIG_T::accum_t, CONFIG_T::chunk>::sum(p);
            } else {
                for (unsigned k = 0; k < CONFIG_T::chunk; k++) {
                    LFADS_PRAGMA(HLS UNROLL)
                    const unsigned i = r * CONFIG_T::chunk + k;
                    if (i < CONFIG_T::n_in) {
                        typename CONFIG_T::accum_t p = lfads_product<data_T, CONFIG_T>(
                            x[i], lfads_from_raw<typename CONFIG_T::weight_t>(w[(r * CONFIG_T::n_out + o) * CONFIG_T::chunk + k]));
                        s = s + p;
                    }
                }
            }
            a[o] = s;
        }
    }

    // acc = W x + b: `reuse` iterations of one pipeline at CONFIG_T::ii, each one chunk of inputs against all
    // outputs; one ROM word per iteration (the weights are reshaped to reuse words of `lanes` weights).
    template <class data_T, class CONFIG_T>
    void matvec_lfads(const data_T x[CONFIG_T::n_in], typename CONFIG_T::accum_t acc[CONFIG_T::n_out],
                      const typename CONFIG_T::weight_rom_t w[CONFIG_T::reuse * CONFIG_T::lanes],
                      const typename CONFIG_T::bias_rom_t b[CONFIG_T::n_out]) {
        LFADS_PRAGMA(HLS INLINE)
        LFADS_PRAGMA(HLS ARRAY_RESHAPE variable = w cyclic factor = CONFIG_T::reshape_factor)
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = w cyclic factor = CONFIG_T::partition_factor)
        typename CONFIG_T::accum_t a[CONFIG_T::n_out];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = a complete)
        for (unsigned r = 0; r < CONFIG_T::reuse; r++) {
            LFADS_PRAGMA(HLS PIPELINE II = CONFIG_T::ii)
            lfads_chunk<data_T, CONFIG_T>(x, a, w, b, r);
        }
        for (unsigned o = 0; o < CONFIG_T::n_out; o++) {
            LFADS_PRAGMA(HLS UNROLL)
            acc[o] = a[o];
        }
    }

    // y = act(W x_t + b) for every step of a sequence in ONE pipeline of N_STEPS * reuse iterations (step t =
    // i / reuse, chunk r = i % reuse): step t is read at its first chunk and written at its last. X and Y are
    // array or FIFO channels.
    template <class data_T, class res_T, class CONFIG_T, unsigned N_STEPS, class X, class Y>
    void dense_seq_lfads(X &x, Y &y, const typename CONFIG_T::weight_rom_t w[CONFIG_T::reuse * CONFIG_T::lanes],
                         const typename CONFIG_T::bias_rom_t b[CONFIG_T::n_out]) {
        LFADS_PRAGMA(HLS ARRAY_RESHAPE variable = w cyclic factor = CONFIG_T::reshape_factor)
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = w cyclic factor = CONFIG_T::partition_factor)
        typename CONFIG_T::accum_t a[CONFIG_T::n_out];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = a complete)
        data_T xw[CONFIG_T::n_in];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = xw complete)
        for (unsigned i = 0; i < N_STEPS * CONFIG_T::reuse; i++) {
            LFADS_PRAGMA(HLS PIPELINE II = CONFIG_T::ii)
            const unsigned t = i / CONFIG_T::reuse;
            const unsigned r = i % CONFIG_T::reuse;
            if (r == 0) lfads_get<data_T, CONFIG_T::n_in>(x, t, xw);
            lfads_chunk<data_T, CONFIG_T>(xw, a, w, b, r);
            if (r == CONFIG_T::reuse - 1) {
                res_T yw[CONFIG_T::n_out];
                LFADS_PRAGMA(HLS ARRAY_PARTITION variable = yw complete)
                for (unsigned o = 0; o < CONFIG_T::n_out; o++) {
                    LFADS_PRAGMA(HLS UNROLL)
                    CONFIG_T::activation::apply_lane(a[o], yw[o], o);
                }
                lfads_put<res_T, CONFIG_T::n_out>(y, t, yw);
            }
        }
    }

    // A GRU's input projection of every step (z r h accumulators) in ONE pipeline of N_STEPS * reuse_x iterations,
    // walking the steps in the recurrence's order (last first for a backward layer), so that the projection
    // channel can be a FIFO.
    template <class data_T, class CONFIG_T, unsigned N_STEPS, class X, class AX>
    void gru_project_seq_lfads(X &x, AX &ax,
                               const typename CONFIG_T::mult_x::weight_rom_t wx[CONFIG_T::mult_x::reuse * CONFIG_T::mult_x::lanes],
                               const typename CONFIG_T::mult_x::bias_rom_t bx[CONFIG_T::mult_x::n_out]) {
        typedef typename CONFIG_T::mult_x M;
        LFADS_PRAGMA(HLS ARRAY_RESHAPE variable = wx cyclic factor = M::reshape_factor)
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = wx cyclic factor = M::partition_factor)
        typename CONFIG_T::accum_t a[M::n_out];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = a complete)
        data_T xw[CONFIG_T::n_in];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = xw complete)
        for (unsigned i = 0; i < N_STEPS * M::reuse; i++) {
            LFADS_PRAGMA(HLS PIPELINE II = M::ii)
            // Word t·C + c is trial c's step t (C = n_contexts trials per call): a backward layer walks the steps
            // last first and the trials of a step in order.
            const unsigned s = i / M::reuse;
            const unsigned c = s % CONFIG_T::n_contexts;
            const unsigned u = s / CONFIG_T::n_contexts;
            const unsigned t = (CONFIG_T::reverse ? N_STEPS / CONFIG_T::n_contexts - 1 - u : u) * CONFIG_T::n_contexts + c;
            const unsigned r = i % M::reuse;
            if (r == 0) lfads_get<data_T, CONFIG_T::n_in>(x, t, xw);
            lfads_chunk<data_T, M>(xw, a, wx, bx, r);
            if (r == M::reuse - 1) lfads_put<typename CONFIG_T::accum_t, M::n_out>(ax, t, a);
        }
    }

    // y = act(W x + b) per time step of a sequence (n_steps 1: a vector). The step loop and the reuse loop
    // flatten into one II=1 pipeline: n_steps * reuse cycles plus the pipeline depth.
    template <class data_T, class res_T, class CONFIG_T>
    void dense_lfads(const data_T *x, res_T *y, const typename CONFIG_T::weight_rom_t w[CONFIG_T::reuse * CONFIG_T::lanes],
                     const typename CONFIG_T::bias_rom_t b[CONFIG_T::n_out], unsigned n_steps) {
        for (unsigned t = 0; t < n_steps; t++) {
            typename CONFIG_T::accum_t acc[CONFIG_T::n_out];
            LFADS_PRAGMA(HLS ARRAY_PARTITION variable = acc complete)
            matvec_lfads<data_T, CONFIG_T>(&x[t * CONFIG_T::n_in], acc, w, b);
            for (unsigned o = 0; o < CONFIG_T::n_out; o++) {
                LFADS_PRAGMA(HLS UNROLL)
                CONFIG_T::activation::apply_lane(acc[o], y[t * CONFIG_T::n_out + o], o);
            }
        }
    }

    // The recurrent products of one step. Reset after: U_z, U_r and U_h all multiply h, so mult_zr is the merged
    // 3H-row matrix and one pipeline computes them; reset before: U_h needs r * h, so only z and r rows here.
    template <bool reset_after>
    struct lfads_recurrent_product;

    template <>
    struct lfads_recurrent_product<true> {
        template <class CONFIG_T>
        static void run(const typename CONFIG_T::state_t h[CONFIG_T::n_state], typename CONFIG_T::accum_t azr[2 * CONFIG_T::n_state],
                        typename CONFIG_T::accum_t ahh[CONFIG_T::n_state],
                        const typename CONFIG_T::mult_zr::weight_rom_t wzr[CONFIG_T::mult_zr::reuse * CONFIG_T::mult_zr::lanes],
                        const typename CONFIG_T::mult_zr::bias_rom_t bzr[CONFIG_T::mult_zr::n_out]) {
            LFADS_PRAGMA(HLS INLINE)
            typename CONFIG_T::accum_t a[CONFIG_T::mult_zr::n_out];
            LFADS_PRAGMA(HLS ARRAY_PARTITION variable = a complete)
            matvec_lfads<typename CONFIG_T::state_t, typename CONFIG_T::mult_zr>(h, a, wzr, bzr);
            for (unsigned j = 0; j < 2 * CONFIG_T::n_state; j++) {
                LFADS_PRAGMA(HLS UNROLL)
                azr[j] = a[j];
            }
            for (unsigned j = 0; j < CONFIG_T::n_state; j++) {
                LFADS_PRAGMA(HLS UNROLL)
                ahh[j] = a[2 * CONFIG_T::n_state + j];
            }
        }
    };

    template <>
    struct lfads_recurrent_product<false> {
        template <class CONFIG_T>
        static void run(const typename CONFIG_T::state_t h[CONFIG_T::n_state], typename CONFIG_T::accum_t azr[2 * CONFIG_T::n_state],
                        typename CONFIG_T::accum_t ahh[CONFIG_T::n_state],
                        const typename CONFIG_T::mult_zr::weight_rom_t wzr[CONFIG_T::mult_zr::reuse * CONFIG_T::mult_zr::lanes],
                        const typename CONFIG_T::mult_zr::bias_rom_t bzr[CONFIG_T::mult_zr::n_out]) {
            LFADS_PRAGMA(HLS INLINE)
            (void)ahh;
            matvec_lfads<typename CONFIG_T::state_t, typename CONFIG_T::mult_zr>(h, azr, wzr, bzr);
        }
    };

    // One recurrent step from the step's input projection ax (z r h rows): the recurrent products side by side,
    // then the gates, candidate and update fused in one unrolled loop over the units. Same statements as
    // gru_step in lfads_gru.h after its input product.
    template <class CONFIG_T>
    void gru_cell_lfads(const typename CONFIG_T::accum_t ax[3 * CONFIG_T::n_state], typename CONFIG_T::state_t h[CONFIG_T::n_state],
                        const typename CONFIG_T::mult_zr::weight_rom_t wzr[CONFIG_T::mult_zr::reuse * CONFIG_T::mult_zr::lanes],
                        const typename CONFIG_T::mult_zr::bias_rom_t bzr[CONFIG_T::mult_zr::n_out],
                        const typename CONFIG_T::mult_hh::weight_rom_t wh[CONFIG_T::mult_hh::reuse * CONFIG_T::mult_hh::lanes],
                        const typename CONFIG_T::mult_hh::bias_rom_t bh[CONFIG_T::n_state]) {
    \(GRUCellTemplate.body(.lfads))
    }

    // One step with its own input product (the decoder loop, whose generator input depends on the step).
    template <class data_T, class CONFIG_T>
    void gru_step_lfads(const data_T x[CONFIG_T::n_in], typename CONFIG_T::state_t h[CONFIG_T::n_state],
                        const typename CONFIG_T::mult_x::weight_rom_t wx[CONFIG_T::mult_x::reuse * CONFIG_T::mult_x::lanes],
                        const typename CONFIG_T::mult_x::bias_rom_t bx[3 * CONFIG_T::n_state],
                        const typename CONFIG_T::mult_zr::weight_rom_t wzr[CONFIG_T::mult_zr::reuse * CONFIG_T::mult_zr::lanes],
                        const typename CONFIG_T::mult_zr::bias_rom_t bzr[CONFIG_T::mult_zr::n_out],
                        const typename CONFIG_T::mult_hh::weight_rom_t wh[CONFIG_T::mult_hh::reuse * CONFIG_T::mult_hh::lanes],
                        const typename CONFIG_T::mult_hh::bias_rom_t bh[CONFIG_T::n_state]) {
        typename CONFIG_T::accum_t ax[3 * CONFIG_T::n_state];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = ax complete)
        matvec_lfads<data_T, typename CONFIG_T::mult_x>(x, ax, wx, bx);
        gru_cell_lfads<CONFIG_T>(ax, h, wzr, bzr, wh, bh);
    }

    // The recurrence of a dataflow design: reads each step's projection from the ax channel in walk order
    // (t = T-1 .. 0 for a backward layer), writes each state (return_sequences) or the last one.
    template <class h0_T, class res_T, class CONFIG_T, class AX, class Y>
    void gru_recur_lfads(AX &ax, const h0_T h0[CONFIG_T::n_state], Y &y,
                         const typename CONFIG_T::mult_zr::weight_rom_t wzr[CONFIG_T::mult_zr::reuse * CONFIG_T::mult_zr::lanes],
                         const typename CONFIG_T::mult_zr::bias_rom_t bzr[CONFIG_T::mult_zr::n_out],
                         const typename CONFIG_T::mult_hh::weight_rom_t wh[CONFIG_T::mult_hh::reuse * CONFIG_T::mult_hh::lanes],
                         const typename CONFIG_T::mult_hh::bias_rom_t bh[CONFIG_T::n_state]) {
        typename CONFIG_T::state_t h[CONFIG_T::n_state];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = h complete)
        for (unsigned j = 0; j < CONFIG_T::n_state; j++) {
            LFADS_PRAGMA(HLS UNROLL)
            h[j] = h0[j];
        }
        res_T yw[CONFIG_T::n_state];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = yw complete)
        for (unsigned s = 0; s < CONFIG_T::n_steps; s++) {
            const unsigned t = CONFIG_T::reverse ? CONFIG_T::n_steps - 1 - s : s;
            typename CONFIG_T::accum_t axw[CONFIG_T::mult_x::n_out];
            LFADS_PRAGMA(HLS ARRAY_PARTITION variable = axw complete)
            lfads_get<typename CONFIG_T::accum_t, CONFIG_T::mult_x::n_out>(ax, t, axw);
            gru_cell_lfads<CONFIG_T>(axw, h, wzr, bzr, wh, bh);
            for (unsigned j = 0; j < CONFIG_T::n_state; j++) {
                LFADS_PRAGMA(HLS UNROLL)
                yw[j] = h[j];
            }
            if (CONFIG_T::return_sequences) lfads_put<res_T, CONFIG_T::n_state>(y, t, yw);
        }
        if (!CONFIG_T::return_sequences) lfads_put<res_T, CONFIG_T::n_state>(y, 0, yw);
    }

    // The gates, candidate and update of one step given the merged recurrent product's sums a (reset after): the
    // statements of gru_cell_lfads after its product.
    template <class CONFIG_T>
    void gru_gates_lfads(const typename CONFIG_T::accum_t ax[3 * CONFIG_T::n_state], const typename CONFIG_T::accum_t a[CONFIG_T::mult_zr::n_out],
                         typename CONFIG_T::state_t h[CONFIG_T::n_state],
                         const typename CONFIG_T::mult_hh::weight_rom_t wh[CONFIG_T::mult_hh::reuse * CONFIG_T::mult_hh::lanes],
                         const typename CONFIG_T::mult_hh::bias_rom_t bh[CONFIG_T::n_state]) {
    \(GRUCellTemplate.body(.gates))
    }

    // The recurrence of a design carrying C = n_contexts trials per call (reset after): the step, trial and chunk
    // loops flattened into ONE pipeline of n_steps * C * n_slots iterations. Word t·C + c of ax and y is trial c's
    // step t. Chunk r < reuse of the merged product multiplies trial c's state; the last chunk's iteration runs the
    // gates and writes the state back, which trial c reads again C * n_slots iterations later: the dependence
    // distance printed below, which the slots past `reuse` (bubbles) keep at least the iteration's depth.
    // H0_WORDS: 1 for a constant initial state, C for one per trial.
    template <class h0_T, class res_T, class CONFIG_T, unsigned H0_WORDS, class AX, class Y>
    void gru_recur_ctx_lfads(AX &ax, const h0_T h0[H0_WORDS * CONFIG_T::n_state], Y &y,
                             const typename CONFIG_T::mult_zr::weight_rom_t wzr[CONFIG_T::mult_zr::reuse * CONFIG_T::mult_zr::lanes],
                             const typename CONFIG_T::mult_zr::bias_rom_t bzr[CONFIG_T::mult_zr::n_out],
                             const typename CONFIG_T::mult_hh::weight_rom_t wh[CONFIG_T::mult_hh::reuse * CONFIG_T::mult_hh::lanes],
                             const typename CONFIG_T::mult_hh::bias_rom_t bh[CONFIG_T::n_state]) {
        typedef typename CONFIG_T::mult_zr M;
        const unsigned C = CONFIG_T::n_contexts;
        LFADS_PRAGMA(HLS ARRAY_RESHAPE variable = wzr cyclic factor = M::reshape_factor)
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = wzr cyclic factor = M::partition_factor)
        typename CONFIG_T::state_t h[CONFIG_T::n_contexts][CONFIG_T::n_state];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = h complete dim = 0)
        for (unsigned c = 0; c < C; c++) {
            LFADS_PRAGMA(HLS PIPELINE II = 1)
            for (unsigned j = 0; j < CONFIG_T::n_state; j++) {
                LFADS_PRAGMA(HLS UNROLL)
                h[c][j] = h0[(H0_WORDS == 1 ? 0 : c) * CONFIG_T::n_state + j];
            }
        }
        typename CONFIG_T::accum_t a[M::n_out];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = a complete)
        typename CONFIG_T::accum_t axw[CONFIG_T::mult_x::n_out];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = axw complete)
        res_T yw[CONFIG_T::n_state];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = yw complete)
        for (unsigned i = 0; i < CONFIG_T::n_steps * C * CONFIG_T::n_slots; i++) {
            LFADS_PRAGMA(HLS PIPELINE II = M::ii)
            LFADS_PRAGMA(HLS DEPENDENCE variable = h inter dependent = true distance = CONFIG_T::distance)
            const unsigned r = i % CONFIG_T::n_slots;
            const unsigned c = (i / CONFIG_T::n_slots) % C;
            const unsigned s = i / (CONFIG_T::n_slots * C);
            const unsigned t = (CONFIG_T::reverse ? CONFIG_T::n_steps - 1 - s : s) * C + c;
            if (r == 0) lfads_get<typename CONFIG_T::accum_t, CONFIG_T::mult_x::n_out>(ax, t, axw);
            if (r < M::reuse) lfads_chunk<typename CONFIG_T::state_t, M>(h[c], a, wzr, bzr, r);
            if (r == M::reuse - 1) {
                gru_gates_lfads<CONFIG_T>(axw, a, h[c], wh, bh);
                for (unsigned j = 0; j < CONFIG_T::n_state; j++) {
                    LFADS_PRAGMA(HLS UNROLL)
                    yw[j] = h[c][j];
                }
                if (CONFIG_T::return_sequences) lfads_put<res_T, CONFIG_T::n_state>(y, t, yw);
            }
        }
        if (!CONFIG_T::return_sequences) {
            for (unsigned c = 0; c < C; c++) {
                LFADS_PRAGMA(HLS PIPELINE II = 1)
                for (unsigned j = 0; j < CONFIG_T::n_state; j++) {
                    LFADS_PRAGMA(HLS UNROLL)
                    yw[j] = h[c][j];
                }
                lfads_put<res_T, CONFIG_T::n_state>(y, c, yw);
            }
        }
    }

    """
}
