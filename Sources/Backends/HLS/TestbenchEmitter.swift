// tb/: the C-simulation harness. `csim IN.dat OUT.dat` reads one trial per line (all inputs concatenated in
// graph input order, time-major), casts each value from double to its input type, runs the top function and
// writes the output ports (the primary output, then any --outputs extras) as exact decimals, one line per trial.
import LFADSIR

enum TestbenchEmitter {
    /// main's opening of IN.dat and OUT.dat (argv[1], argv[2]), each failure one line and exit 1.
    static let openFiles = """
    std::ifstream in(argv[1]);
        if (!in) {
            std::fprintf(stderr, "cannot read %s\\n", argv[1]);
            return 1;
        }
        std::ofstream result(argv[2], std::ios::binary);
        if (!result) {
            std::fprintf(stderr, "cannot write %s\\n", argv[2]);
            return 1;
        }
    """

    static func emit(plan: HardwarePlan, options: HLSOptions) -> [String: String] {
        if plan.trialsPerCall > 1 { return emitBatched(plan: plan, options: options) }
        let inputs = plan.inputs.map { plan.tensors[$0] }
        let total = inputs.reduce(0) { $0 + $1.count }
        // The output ports: the primary output, then the --outputs extras, printed in that order on one line
        // (the format `lfadsc simulate --outputs ... -o OUT.dat` writes).
        let ports = plan.ports.enumerated().map { (name: plan.portName($0), tensor: plan.tensors[$1]) }
        var declare = [String]()
        var load = [String]()
        var offset = 0
        for t in inputs {
            declare.append("static \(t.cName)_t \(t.cName)[\(t.count)];")
            load.append("for (unsigned i = 0; i < \(t.count); i++) \(t.cName)[i] = values[\(offset) + i];")
            offset += t.count
        }
        // A sampling design takes the trial's index: its line number from 0 (plus argv[3] when given).
        let call = (inputs.map(\.cName) + ports.map(\.name) + (plan.samples ? ["first_trial + trial - 1"] : [])).joined(separator: ", ")
        let usage = plan.samples ? """
        if (argc != 3 && argc != 4) {
                std::fprintf(stderr, "usage: %s IN.dat OUT.dat [FIRST_TRIAL]\\n", argv[0]);
                return 2;
            }
            // Line k of IN.dat is trial FIRST_TRIAL + k of the run (its Gaussian streams).
            const unsigned long long first_trial = argc == 4 ? std::strtoull(argv[3], 0, 10) : 0;
        """ : """
        if (argc != 3) {
                std::fprintf(stderr, "usage: %s IN.dat OUT.dat\\n", argv[0]);
                return 2;
            }
        """
        let main = """
        // C simulation: csim IN.dat OUT.dat (see README.md for the format).
        #include <cerrno>
        #include <cstdio>
        #include <cstdlib>
        #include <fstream>
        #include <string>
        #include <vector>

        #include "\(options.topName).h"
        #include "lfads_print.h"

        static const unsigned kInputValues = \(total);

        \(CppText.parseLine)

        int main(int argc, char **argv) {
            \(usage)
            \(openFiles)
            \(declare.joined(separator: "\n    "))
            \(ports.map { "static \($0.tensor.cName)_t \($0.name)[\($0.tensor.count)];" }.joined(separator: "\n    "))
            std::string line;
            std::vector<double> values;
            unsigned long trial = 0;
            while (std::getline(in, line)) {
                trial++;
                if (!lfads_parse_line(line, values) || values.size() != kInputValues) {
                    std::fprintf(stderr, "%s line %lu: expected %u numbers, got %s\\n", argv[1], trial, kInputValues,
                                 values.empty() ? "none or malformed text" : std::to_string(values.size()).c_str());
                    return 1;
                }
                \(load.joined(separator: "\n        "))
                \(options.topName)(\(call));
                std::string text;
                \(ports.enumerated().map { j, p in "for (unsigned i = 0; i < \(p.tensor.count); i++) {\n            \(j == 0 ? "if (i) " : "")text += ' ';\n            text += lfads_exact(\(p.name)[i]);\n        }" }.joined(separator: "\n        "))
                text += '\\n';
                result << text;
            }
            return result.good() ? 0 : 1;
        }

        """
        return files(main)
    }

    /// tb/: the harness and the printing header it includes.
    static func files(_ main: String) -> [String: String] {
        ["tb/csim_main.cpp": main,
         "tb/lfads_print.h": CppText.header("lfads_print.h", LayerTemplates.print, includes: ["lfads_defines.h"])]
    }

    /// A design carrying C trials per call: up to C lines are gathered into the step-major arrays (word t·C + k is
    /// line k's step t; a short last group leaves its other trials zero), one call runs them, and each line's
    /// outputs are written in order, the same format as one trial per call.
    static func emitBatched(plan: HardwarePlan, options: HLSOptions) -> [String: String] {
        let c = plan.trialsPerCall
        let inputs = plan.inputs.map { plan.tensors[$0] }
        let total = inputs.reduce(0) { $0 + $1.count / c }
        let ports = plan.ports.enumerated().map { (name: plan.portName($0), tensor: plan.tensors[$1]) }
        var declare = [String](), load = [String](), clear = [String]()
        var offset = 0
        for t in inputs {
            let steps = t.steps / c
            declare.append("static \(t.cName)_t \(t.cName)[\(t.count)];")
            clear.append("for (unsigned i = 0; i < \(t.count); i++) \(t.cName)[i] = 0;")
            load.append("for (unsigned t = 0; t < \(steps); t++) for (unsigned j = 0; j < \(t.width); j++) "
                        + "\(t.cName)[(t * \(c) + k) * \(t.width) + j] = lines[k][\(offset) + t * \(t.width) + j];")
            offset += t.count / c
        }
        let write = ports.enumerated().map { j, p in
            """
            for (unsigned t = 0; t < \(p.tensor.steps / c); t++) {
                            for (unsigned i = 0; i < \(p.tensor.width); i++) {
                                \(j == 0 ? "if (t || i) " : "")text += ' ';
                                text += lfads_exact(\(p.name)[(t * \(c) + k) * \(p.tensor.width) + i]);
                            }
                        }
            """
        }
        let main = """
        // C simulation: csim IN.dat OUT.dat (see README.md for the format). The design carries \(c) trials per call:
        // lines are run \(c) at a time, interleaved step-major into the top function's arrays.
        #include <cerrno>
        #include <cstdio>
        #include <cstdlib>
        #include <fstream>
        #include <string>
        #include <vector>

        #include "\(options.topName).h"
        #include "lfads_print.h"

        static const unsigned kInputValues = \(total);
        static const unsigned kTrialsPerCall = \(c);

        \(CppText.parseLine)

        int main(int argc, char **argv) {
            if (argc != 3) {
                std::fprintf(stderr, "usage: %s IN.dat OUT.dat\\n", argv[0]);
                return 2;
            }
            \(openFiles)
            \(declare.joined(separator: "\n    "))
            \(ports.map { "static \($0.tensor.cName)_t \($0.name)[\($0.tensor.count)];" }.joined(separator: "\n    "))
            std::vector<std::vector<double> > lines;
            std::string line;
            std::vector<double> values;
            unsigned long trial = 0;
            bool more = true;
            while (more) {
                lines.clear();
                while (lines.size() < kTrialsPerCall && (more = static_cast<bool>(std::getline(in, line)))) {
                    trial++;
                    if (!lfads_parse_line(line, values) || values.size() != kInputValues) {
                        std::fprintf(stderr, "%s line %lu: expected %u numbers, got %s\\n", argv[1], trial, kInputValues,
                                     values.empty() ? "none or malformed text" : std::to_string(values.size()).c_str());
                        return 1;
                    }
                    lines.push_back(values);
                }
                if (lines.empty()) break;
                \(clear.joined(separator: "\n        "))
                for (unsigned k = 0; k < lines.size(); k++) {
                    \(load.joined(separator: "\n            "))
                }
                \(options.topName)(\((inputs.map(\.cName) + ports.map(\.name)).joined(separator: ", ")));
                for (unsigned k = 0; k < lines.size(); k++) {
                    std::string text;
                    \(write.joined(separator: "\n            "))
                    text += '\\n';
                    result << text;
                }
            }
            return result.good() ? 0 : 1;
        }

        """
        return files(main)
    }
}
