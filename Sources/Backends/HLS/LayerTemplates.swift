// The fixed C++ of every project: our own matrix-vector, dense and GRU templates (firmware/layers). Their
// arithmetic is the simulator's (Sources/Backends/FixedSim/SimKernels.swift) statement for statement; only the
// loop structure and the pragmas change with the strategy and reuse factor.

enum LayerTemplates {
    static let defines = """
    // Common definitions: the ap_fixed headers (their internal warnings silenced so that user code builds with
    // -Wall -Werror), and a pragma macro that is empty outside synthesis so g++ sees no unknown pragmas.
    #pragma GCC diagnostic push
    #pragma GCC diagnostic ignored "-Wuninitialized"
    #pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
    #pragma GCC diagnostic ignored "-Wint-in-bool-context"
    #include "ap_fixed.h"
    #include "ap_int.h"
    #pragma GCC diagnostic pop

    #ifdef __SYNTHESIS__
    #define LFADS_PRAGMA_TEXT(x) _Pragma(#x)
    #define LFADS_PRAGMA(x) LFADS_PRAGMA_TEXT(x)
    #else
    #define LFADS_PRAGMA(x)
    #endif

    enum lfads_strategy { LFADS_LATENCY = 0, LFADS_RESOURCE = 1 };

    // Weights and tables are stored as their raw codes (types of at most 32 bits) and reinterpreted into their
    // ap_fixed type where they are read. Synthesis sees W-bit ROM words; the C simulation uses plain ints,
    // because thousands of ap_fixed constants built from doubles take minutes to compile. Same bits either way.
    #ifdef __SYNTHESIS__
    #define LFADS_ROM_INT(W) ap_int<W>
    #define LFADS_ROM_UINT(W) ap_uint<W>
    #else
    #define LFADS_ROM_INT(W) int
    #define LFADS_ROM_UINT(W) unsigned
    #endif

    template <class T, class R>
    inline T lfads_from_raw(const R &raw) {
        T v;
        v.range(T::width - 1, 0) = raw;
        return v;
    }

    """

    static let matvec = """
    // acc[o] = (accum)b[o]; then for i = 0, 1, ...: acc[o] = (accum)(acc[o] + (accum)(x[i] * w[o][i])).
    // The sum order is the input order in both schedules, so saturating accumulators give the same bits.

    // Latency: every product unrolled, one pipeline stage per call; with reuse R the multipliers are shared R ways
    // (II = R).
    template <class data_T, class CONFIG_T>
    void matvec_latency(const data_T x[CONFIG_T::n_in], typename CONFIG_T::accum_t acc[CONFIG_T::n_out],
                        const typename CONFIG_T::weight_rom_t w[CONFIG_T::n_in * CONFIG_T::n_out],
                        const typename CONFIG_T::bias_rom_t b[CONFIG_T::n_out]) {
        LFADS_PRAGMA(HLS PIPELINE II = CONFIG_T::reuse)
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = w complete)
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = acc complete)
        LFADS_PRAGMA(HLS ALLOCATION operation instances = mul limit = CONFIG_T::multipliers)
        for (unsigned o = 0; o < CONFIG_T::n_out; o++) {
            typename CONFIG_T::accum_t a = lfads_from_raw<typename CONFIG_T::bias_t>(b[o]);
            for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
                typename CONFIG_T::accum_t p = x[i] * lfads_from_raw<typename CONFIG_T::weight_t>(w[o * CONFIG_T::n_in + i]);
                a = a + p;
            }
            acc[o] = a;
        }
    }

    // Resource: the inputs are cut into `reuse` chunks; one chunk per cycle (II 1) against all rows, so
    // n_out * ceil(n_in / reuse) multipliers and weights in BRAM reshaped by chunk. Inputs stay in order.
    template <class data_T, class CONFIG_T>
    void matvec_resource(const data_T x[CONFIG_T::n_in], typename CONFIG_T::accum_t acc[CONFIG_T::n_out],
                         const typename CONFIG_T::weight_rom_t w[CONFIG_T::n_in * CONFIG_T::n_out],
                         const typename CONFIG_T::bias_rom_t b[CONFIG_T::n_out]) {
        const unsigned chunk = (CONFIG_T::n_in + CONFIG_T::reuse - 1) / CONFIG_T::reuse;
        LFADS_PRAGMA(HLS ARRAY_RESHAPE variable = w cyclic factor = CONFIG_T::reuse)
        typename CONFIG_T::accum_t a[CONFIG_T::n_out];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = a complete)
        for (unsigned o = 0; o < CONFIG_T::n_out; o++) {
            LFADS_PRAGMA(HLS UNROLL)
            a[o] = lfads_from_raw<typename CONFIG_T::bias_t>(b[o]);
        }
        for (unsigned r = 0; r < CONFIG_T::reuse; r++) {
            LFADS_PRAGMA(HLS PIPELINE II = 1)
            for (unsigned o = 0; o < CONFIG_T::n_out; o++) {
                for (unsigned k = 0; k < chunk; k++) {
                    const unsigned i = r * chunk + k;
                    if (i < CONFIG_T::n_in) {
                        typename CONFIG_T::accum_t p = x[i] * lfads_from_raw<typename CONFIG_T::weight_t>(w[o * CONFIG_T::n_in + i]);
                        a[o] = a[o] + p;
                    }
                }
            }
        }
        for (unsigned o = 0; o < CONFIG_T::n_out; o++) {
            LFADS_PRAGMA(HLS UNROLL)
            acc[o] = a[o];
        }
    }

    template <class data_T, class CONFIG_T>
    void matvec(const data_T x[CONFIG_T::n_in], typename CONFIG_T::accum_t acc[CONFIG_T::n_out],
                const typename CONFIG_T::weight_rom_t w[CONFIG_T::n_in * CONFIG_T::n_out],
                const typename CONFIG_T::bias_rom_t b[CONFIG_T::n_out]) {
        LFADS_PRAGMA(HLS INLINE)
        if (CONFIG_T::strategy == LFADS_LATENCY) {
            matvec_latency<data_T, CONFIG_T>(x, acc, w, b);
        } else {
            matvec_resource<data_T, CONFIG_T>(x, acc, w, b);
        }
    }

    """

    static let dense = """
    // y = act(W x + b) for one vector: the product in the accumulator, then the layer's activation functor
    // (which casts to the result type).
    template <class data_T, class res_T, class CONFIG_T>
    void dense(const data_T x[CONFIG_T::n_in], res_T y[CONFIG_T::n_out],
               const typename CONFIG_T::weight_rom_t w[CONFIG_T::n_in * CONFIG_T::n_out],
               const typename CONFIG_T::bias_rom_t b[CONFIG_T::n_out]) {
        typename CONFIG_T::accum_t acc[CONFIG_T::n_out];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = acc complete)
        matvec<data_T, CONFIG_T>(x, acc, w, b);
        for (unsigned o = 0; o < CONFIG_T::n_out; o++) {
            LFADS_PRAGMA(HLS UNROLL)
            CONFIG_T::activation::apply(acc[o], y[o]);
        }
    }

    """

    static let gru = """
    // One static GRU cell reused every step (the hls4ml micro-architecture): the input product (3H rows, z r h,
    // input bias), the recurrent z/r product (2H rows) and the candidate's recurrent product (H rows), all in
    // accum_t; gates and candidate through their functors; one cast of the new state.
    //   z = gate(ax_z + ah_z), r = gate(ax_r + ah_r)
    //   reset after:  c = ax_h + (accum)(r * ah_h)        reset before: c = ax_h + U_h ((state)(r * h)) + b'_h
    //   h' = (state)(cand(c) * (1 - z) + h * z), then clip to +-clip when the cell clips.
    template <class data_T, class CONFIG_T>
    void gru_step(const data_T x[CONFIG_T::n_in], typename CONFIG_T::state_t h[CONFIG_T::n_state],
                  const typename CONFIG_T::mult_x::weight_rom_t wx[CONFIG_T::n_in * 3 * CONFIG_T::n_state],
                  const typename CONFIG_T::mult_x::bias_rom_t bx[3 * CONFIG_T::n_state],
                  const typename CONFIG_T::mult_zr::weight_rom_t wzr[CONFIG_T::n_state * 2 * CONFIG_T::n_state],
                  const typename CONFIG_T::mult_zr::bias_rom_t bzr[2 * CONFIG_T::n_state],
                  const typename CONFIG_T::mult_hh::weight_rom_t wh[CONFIG_T::n_state * CONFIG_T::n_state],
                  const typename CONFIG_T::mult_hh::bias_rom_t bh[CONFIG_T::n_state]) {
    \(GRUCellTemplate.body(.perStep))
    }

    // A GRU over a sequence (time-major x), from h0; backward layers walk t = T-1 .. 0 and still write step t
    // at position t. y holds every step (return_sequences) or the last state, cast to res_T.
    template <class data_T, class h0_T, class res_T, class CONFIG_T>
    void gru_layer(const data_T *x, const h0_T h0[CONFIG_T::n_state], res_T *y,
                   const typename CONFIG_T::mult_x::weight_rom_t wx[CONFIG_T::n_in * 3 * CONFIG_T::n_state],
                   const typename CONFIG_T::mult_x::bias_rom_t bx[3 * CONFIG_T::n_state],
                   const typename CONFIG_T::mult_zr::weight_rom_t wzr[CONFIG_T::n_state * 2 * CONFIG_T::n_state],
                   const typename CONFIG_T::mult_zr::bias_rom_t bzr[2 * CONFIG_T::n_state],
                   const typename CONFIG_T::mult_hh::weight_rom_t wh[CONFIG_T::n_state * CONFIG_T::n_state],
                   const typename CONFIG_T::mult_hh::bias_rom_t bh[CONFIG_T::n_state]) {
        typename CONFIG_T::state_t h[CONFIG_T::n_state];
        LFADS_PRAGMA(HLS ARRAY_PARTITION variable = h complete)
        for (unsigned j = 0; j < CONFIG_T::n_state; j++) h[j] = h0[j];
        for (unsigned s = 0; s < CONFIG_T::n_steps; s++) {
            const unsigned t = CONFIG_T::reverse ? CONFIG_T::n_steps - 1 - s : s;
            gru_step<data_T, CONFIG_T>(&x[t * CONFIG_T::n_in], h, wx, bx, wzr, bzr, wh, bh);
            if (CONFIG_T::return_sequences) {
                for (unsigned j = 0; j < CONFIG_T::n_state; j++) y[t * CONFIG_T::n_state + j] = h[j];
            }
        }
        if (!CONFIG_T::return_sequences) {
            for (unsigned j = 0; j < CONFIG_T::n_state; j++) y[j] = h[j];
        }
    }

    """

    /// Exact decimal printing of ap_fixed values for the C-simulation harness (same algorithm as ExactDecimal).
    static let print = """
    // The exact decimal text of a fixed-point value: '-'?, integer digits, '.' and the fraction digits without
    // trailing zeros when the fraction is non-zero; zero is "0". Same algorithm as the Swift ExactDecimal.
    #include <string>
    #include <vector>

    inline std::string lfads_exact_decimal(long long raw, int fraction) {
        if (raw == 0) return "0";
        unsigned long long m = raw < 0 ? 0ULL - (unsigned long long)raw : (unsigned long long)raw;
        std::vector<unsigned char> d;  // little-endian decimal digits
        while (m > 0) {
            d.push_back((unsigned char)(m % 10));
            m /= 10;
        }
        const unsigned factor = fraction > 0 ? 5 : 2;
        const int times = fraction > 0 ? fraction : -fraction;
        for (int k = 0; k < times; k++) {
            unsigned carry = 0;
            for (size_t i = 0; i < d.size(); i++) {
                unsigned v = d[i] * factor + carry;
                d[i] = (unsigned char)(v % 10);
                carry = v / 10;
            }
            while (carry > 0) {
                d.push_back((unsigned char)(carry % 10));
                carry /= 10;
            }
        }
        const size_t point = fraction > 0 ? (size_t)fraction : 0;
        while (d.size() <= point) d.push_back(0);
        std::string s = raw < 0 ? "-" : "";
        size_t top = d.size();
        while (top > point + 1 && d[top - 1] == 0) top--;
        for (size_t i = top; i > point; i--) s += (char)('0' + d[i - 1]);
        size_t low = 0;
        while (low < point && d[low] == 0) low++;
        if (low < point) {
            s += '.';
            for (size_t i = point; i > low; i--) s += (char)('0' + d[i - 1]);
        }
        return s;
    }

    template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
    std::string lfads_exact(const ap_fixed<W, I, Q, O, N> &v) {
        return lfads_exact_decimal((long long)ap_int<W>(v.range(W - 1, 0)).to_int64(), W - I);
    }

    template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
    std::string lfads_exact(const ap_ufixed<W, I, Q, O, N> &v) {
        return lfads_exact_decimal((long long)ap_uint<W>(v.range(W - 1, 0)).to_uint64(), W - I);
    }

    """
}
