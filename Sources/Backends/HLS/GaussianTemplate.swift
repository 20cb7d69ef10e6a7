// firmware/layers/lfads_gauss.h: the C++ twin of HardwareGaussian (Sources/Backends/FixedSim), statement for
// statement, emitted only into designs that sample. Plain 32/64-bit unsigned arithmetic wraps exactly as the
// Swift &-operators do; the transform's table is printed from HardwareGaussian.table, so both read one set of codes.
import LFADSIR

enum GaussianTemplate {
    static var text: String {
        let c0 = HardwareGaussian.table.map(\.c0)
        let drop = HardwareGaussian.table.map(\.drop)
        let c0Type = (try? FixedType(width: 19, integer: 19, signed: false))!
        let dropType = (try? FixedType(width: 17, integer: 17, signed: false))!
        return """
        // On-chip Gaussian source (docs/hardware-numerics.md, "Gaussian source"). Per lane: xoshiro128** uniform
        // words (shift-adds only, one word per cycle), seeded once per trial from (seed, trial, lane); then a
        // piecewise-linear inverse CDF over 31 octaves x 16 segments of the tail probability (one 17x12 product,
        // one 496-entry ROM), giving |z| with 16 fraction bits, signed by the word's top bit.
        #include <stdint.h>

        \(CppText.rawArray(c0Type, "lfads_gauss_c0", c0))
        \(CppText.rawArray(dropType, "lfads_gauss_drop", drop))
        struct lfads_gauss {
            uint32_t s0, s1, s2, s3;
        };

        inline uint64_t lfads_gauss_mix(uint64_t z) {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            return z ^ (z >> 31);
        }

        // Once per lane per trial (the multipliers here are shared by all lanes, outside the sampling loop).
        inline void lfads_gauss_seed(lfads_gauss &g, uint64_t seed, uint64_t trial, uint64_t lane) {
            uint64_t x = lfads_gauss_mix(seed + 0x9E3779B97F4A7C15ull * (trial + 1));
            x = lfads_gauss_mix(x + 0xD1B54A32D192ED03ull * (lane + 1));
            const uint64_t a = lfads_gauss_mix(x + 0x9E3779B97F4A7C15ull);
            const uint64_t b = lfads_gauss_mix(x + 0x3C6EF372FE94F82Aull);
            g.s0 = (uint32_t)a; g.s1 = (uint32_t)(a >> 32);
            g.s2 = (uint32_t)b; g.s3 = (uint32_t)(b >> 32);
            if ((g.s0 | g.s1 | g.s2 | g.s3) == 0) g.s0 = 1;
        }

        inline uint32_t lfads_gauss_rotl(uint32_t x, unsigned k) { return (x << k) | (x >> (32 - k)); }

        // xoshiro128**: rotl(s1 * 5, 7) * 9 with both products as a shift and an add.
        inline uint32_t lfads_gauss_word(lfads_gauss &g) {
            const uint32_t m5 = (g.s1 << 2) + g.s1;
            const uint32_t r = lfads_gauss_rotl(m5, 7);
            const uint32_t result = (r << 3) + r;
            const uint32_t t = g.s1 << 9;
            g.s2 ^= g.s0; g.s3 ^= g.s1; g.s1 ^= g.s2; g.s0 ^= g.s3; g.s2 ^= t;
            g.s3 = lfads_gauss_rotl(g.s3, 11);
            return result;
        }

        // A uniform word to a standard normal deviate: signed raw code with 16 fraction bits.
        inline int lfads_gauss_transform(uint32_t u) {
            uint32_t v = u & 0x7FFFFFFFu;
            if (v == 0) v = 1;
            unsigned k = 0;  // leading zeros of the 31-bit v, at most 30 (a priority encoder)
            for (unsigned i = 0; i < 30; i++) {
                LFADS_PRAGMA(HLS UNROLL)
                if (k == i && ((v << i) & 0x40000000u) == 0) k = i + 1;
            }
            const uint32_t w = (v << k) & 0x7FFFFFFFu;
            const unsigned seg = (w >> 26) & 15u;
            const int frac = (int)((w >> 14) & 0xFFFu);
            const int c0 = (int)lfads_gauss_c0[k * 16 + seg];
            const int drop = (int)lfads_gauss_drop[k * 16 + seg];
            const int magnitude = c0 - ((drop * frac) >> 12);
            return (u >> 31) ? -magnitude : magnitude;
        }

        // The next deviate of a lane, assigned to the sample's type T (quantisation and overflow of T).
        template <class T>
        inline T lfads_gauss_next(lfads_gauss &g) {
            const ap_fixed<20, 4> z = lfads_from_raw<ap_fixed<20, 4> >(lfads_gauss_transform(lfads_gauss_word(g)));
            const T out = z;
            return out;
        }
        """
    }
}

extension GaussianTemplate {
    /// The header as emitted at firmware/layers/lfads_gauss.h.
    static var header: String { CppText.header("lfads_gauss.h", text, includes: ["../lfads_defines.h"]) }
}
