// host/: the XRT host program and host/lfads_beats.h, which turns a .dat text into the kernel's input beats and
// its output beats into the C simulation's exact-decimal text. The header needs no XRT, so the beat layout can
// be checked on any machine by running the kernel as a plain C++ function between the two.
import LFADSIR

enum VitisHost {
    static func emit(plan: HardwarePlan, options: HLSOptions) -> [String: String] {
        ["host/lfads_beats.h": CppText.header("lfads_beats.h", beats(plan), includes: ["types.h", "lfads_print.h"]),
         "host/host.cpp": host(kernel: "\(options.topName)_kernel", samples: plan.samples)]
    }

    static func beats(_ plan: HardwarePlan) -> String {
        let io = KernelIO(plan: plan)
        let inputs = plan.inputs.map { plan.tensors[$0] }
        let outs = plan.ports.map { plan.tensors[$0] }
        var offset = 0
        var pack = [String]()
        for (t, p) in zip(inputs, io.inputs) {
            pack.append("lfads_pack<\(t.cName)_t>(values.data() + \(offset), \(p.steps), \(p.width), beat + \(p.firstBeat) * kBeatWords);")
            offset += plan.valuesPerTrial(t)
        }
        // Per output port one loop over its beats, values separated by spaces across ports (one line per trial).
        let unpack = zip(outs, io.outputs).enumerated().map { k, pair in
            let (out, o) = pair
            return """
                    for (unsigned t = 0; t < \(o.steps); t++) {
                        for (unsigned j = 0; j < \(o.width); j++) {
                            const uint64_t *beat = block + ((size_t)\(o.firstBeat) + (size_t)t * \(o.beatsPerStep) + j / \(o.lanes)) * kBeatWords;
                            \(out.cName)_t v = 0;
                            v.range(\(o.bits - 1), 0) = lfads_get(beat, (j % \(o.lanes)) * \(o.bits), \(o.bits));
                            \(k == 0 ? "if (t || j) " : "")text += ' ';
                            text += lfads_exact(v);
                        }
                    }
            """
        }.joined(separator: "\n")
        return """
        // Beat layout of the kernel (README.md, "Beat layout"): a beat is 512 bits, held on the host as 8 64-bit
        // words, least significant first (bit b of the beat is bit b % 64 of word b / 64, the little-endian byte
        // order of the card's memory). A tensor's step takes ceil(width / lanes) beats of lanes = 512 / bits codes;
        // code k of a beat is at bits [k * bits, (k + 1) * bits), unused bits are zero.
        #include <cerrno>
        #include <cstdint>
        #include <cstdio>
        #include <cstdlib>
        #include <fstream>
        #include <string>
        #include <vector>

        static const unsigned kBeatWords = 8;
        static const unsigned kInputValues = \(inputs.reduce(0) { $0 + plan.valuesPerTrial($1) });
        static const unsigned kInputBeats = \(io.beatsIn);
        static const unsigned kOutputBeats = \(io.beatsOut);

        \(CppText.parseLine)

        static uint64_t lfads_mask(unsigned bits) { return bits >= 64 ? ~0ULL : (1ULL << bits) - 1; }

        // Puts the low `bits` bits of `code` at bit `at` of a beat (a code may straddle two words).
        static void lfads_put(uint64_t *beat, unsigned at, unsigned bits, uint64_t code) {
            code &= lfads_mask(bits);
            beat[at / 64] |= code << (at % 64);
            if (at % 64 + bits > 64) beat[at / 64 + 1] |= code >> (64 - at % 64);
        }

        static uint64_t lfads_get(const uint64_t *beat, unsigned at, unsigned bits) {
            uint64_t code = beat[at / 64] >> (at % 64);
            if (at % 64 + bits > 64) code |= beat[at / 64 + 1] << (64 - at % 64);
            return code & lfads_mask(bits);
        }

        // One tensor's values (time-major) cast to T exactly as the C simulation casts them, as codes in beats.
        template <class T>
        static void lfads_pack(const double *values, unsigned steps, unsigned width, uint64_t *beats) {
            const unsigned lanes = 512 / T::width, per_step = (width + lanes - 1) / lanes;
            for (unsigned t = 0; t < steps; t++) {
                for (unsigned j = 0; j < width; j++) {
                    const T v = values[(size_t)t * width + j];
                    uint64_t *beat = beats + ((size_t)t * per_step + j / lanes) * kBeatWords;
                    lfads_put(beat, (j % lanes) * T::width, T::width, v.range(T::width - 1, 0).to_uint64());
                }
            }
        }

        // Reads IN.dat (one trial per line, all inputs in graph order) into beats, kInputBeats per trial.
        static bool lfads_read_trials(const char *path, std::vector<uint64_t> &beats, unsigned long &trials) {
            std::ifstream in(path);
            if (!in) {
                std::fprintf(stderr, "cannot read %s\\n", path);
                return false;
            }
            beats.clear();
            trials = 0;
            std::string line;
            std::vector<double> values;
            while (std::getline(in, line)) {
                trials++;
                if (!lfads_parse_line(line, values) || values.size() != kInputValues) {
                    std::fprintf(stderr, "%s line %lu: expected %u numbers, got %s\\n", path, trials, kInputValues,
                                 values.empty() ? "none or malformed text" : std::to_string(values.size()).c_str());
                    return false;
                }
                if (trials > 0xffffffffUL) {
                    std::fprintf(stderr, "%s: more than 2^32 - 1 trials\\n", path);
                    return false;
                }
                beats.resize(beats.size() + (size_t)kInputBeats * kBeatWords, 0);
                uint64_t *beat = beats.data() + (trials - 1) * (size_t)kInputBeats * kBeatWords;
                \(pack.joined(separator: "\n        "))
            }
            return true;
        }

        // Writes the output beats of `trials` trials as the C simulation does: one line per trial, exact decimals.
        static bool lfads_write_outputs(const char *path, const uint64_t *beats, unsigned long trials) {
            std::ofstream result(path, std::ios::binary);
            if (!result) {
                std::fprintf(stderr, "cannot write %s\\n", path);
                return false;
            }
            for (unsigned long trial = 0; trial < trials; trial++) {
                const uint64_t *block = beats + trial * (size_t)kOutputBeats * kBeatWords;
                std::string text;
        \(unpack)
                text += '\\n';
                result << text;
            }
            return result.good();
        }

        """
    }

    /// `samples`: the design samples, so the kernel takes the run's index of the call's first trial (optional
    /// FIRST_TRIAL, 0 by default, as `simulate --trials FIRST:…` and the C simulation's third argument).
    static func host(kernel: String, samples: Bool = false) -> String {
        let usage = samples ? "KERNEL.xclbin IN.dat OUT.dat [FIRST_TRIAL]" : "KERNEL.xclbin IN.dat OUT.dat"
        let firstTrial = samples ? """

            unsigned long long first_trial = 0;
            if (argc == 5) {
                char *end = nullptr;
                errno = 0;
                first_trial = std::strtoull(argv[4], &end, 10);
                if (errno != 0 || end == argv[4] || *end != '\\0' || argv[4][0] == '-') {
                    std::fprintf(stderr, "%s: FIRST_TRIAL '%s' is not a number 0...2^64-1\\n", argv[0], argv[4]);
                    return 2;
                }
            }
        """ : ""
        return """
        // XRT host: host \(usage) — runs every trial of IN.dat on the card in one kernel call
        // and writes the output ports in the same exact-decimal text as the C simulation. The packing and
        // unpacking of the beats are in lfads_beats.h.\(samples ? "\n// The design samples: line i of IN.dat is trial FIRST_TRIAL + i of the run (its noise streams)." : "")
        #include <cerrno>
        #include <cstdint>
        #include <cstdio>
        #include <cstdlib>
        #include <vector>

        #include "xrt/xrt_bo.h"
        #include "xrt/xrt_device.h"
        #include "xrt/xrt_kernel.h"

        #include "lfads_beats.h"

        int main(int argc, char **argv) {
            if (argc != 4\(samples ? " && argc != 5" : "")) {
                std::fprintf(stderr, "usage: %s \(usage)\\n", argv[0]);
                return 2;
            }\(firstTrial)
            std::vector<uint64_t> input;
            unsigned long trials = 0;
            if (!lfads_read_trials(argv[2], input, trials)) return 1;
            std::vector<uint64_t> output((size_t)trials * kOutputBeats * kBeatWords, 0);
            if (trials > 0) {
                xrt::device device(0);
                xrt::uuid uuid = device.load_xclbin(argv[1]);
                xrt::kernel kernel(device, uuid, "\(kernel)");
                xrt::bo in_bo(device, input.size() * sizeof(uint64_t), kernel.group_id(0));
                xrt::bo out_bo(device, output.size() * sizeof(uint64_t), kernel.group_id(1));
                in_bo.write(input.data());
                in_bo.sync(XCL_BO_SYNC_BO_TO_DEVICE);
                xrt::run run = kernel(in_bo, out_bo, (unsigned)trials\(samples ? ", first_trial" : ""));
                run.wait();
                out_bo.sync(XCL_BO_SYNC_BO_FROM_DEVICE);
                out_bo.read(output.data());
            }
            return lfads_write_outputs(argv[3], output.data(), trials) ? 0 : 1;
        }

        """
    }
}
