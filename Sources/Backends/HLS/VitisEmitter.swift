// The Alveo side: a Vitis kernel wrapper over the top function, its HBM connectivity, the v++/host Makefile
// targets, an XRT host program, the Vitis HLS script and the project README.
import LFADSIR

enum VitisEmitter {
    static func emit(plan: HardwarePlan, options: HLSOptions) -> [String: String] {
        let top = options.topName
        let kernel = "\(top)_kernel"
        let inputs = plan.inputs.map { plan.tensors[$0] }
        let total = inputs.reduce(0) { $0 + $1.count }
        let out = plan.tensors[plan.outputs[0]]
        var files = [String: String]()

        var load = [String]()
        var offset = 0
        for t in inputs {
            load.append("for (unsigned i = 0; i < \(t.count); i++) \(t.cName)[i] = in[base_in + \(offset) + i];")
            offset += t.count
        }
        let locals = inputs.map { "\($0.cName)_t \($0.cName)[\($0.count)];" }
        files["kernel/\(kernel).cpp"] = """
        // Vitis kernel: n_trials trials per call. Inputs are doubles (one trial = \(total) values, graph input order,
        // time-major), cast to the input types on chip; outputs are the primary output's values as doubles (exact:
        // every emitted type has at most 32 bits).
        #include "\(top).h"

        extern "C" void \(kernel)(const double *in, double *out, unsigned n_trials) {
            LFADS_PRAGMA(HLS INTERFACE m_axi port = in offset = slave bundle = gmem0 max_read_burst_length = 64)
            LFADS_PRAGMA(HLS INTERFACE m_axi port = out offset = slave bundle = gmem1 max_write_burst_length = 64)
            LFADS_PRAGMA(HLS INTERFACE s_axilite port = in)
            LFADS_PRAGMA(HLS INTERFACE s_axilite port = out)
            LFADS_PRAGMA(HLS INTERFACE s_axilite port = n_trials)
            LFADS_PRAGMA(HLS INTERFACE s_axilite port = return)
            for (unsigned trial = 0; trial < n_trials; trial++) {
                const unsigned long base_in = (unsigned long)trial * \(total)UL;
                const unsigned long base_out = (unsigned long)trial * \(out.count)UL;
                \(locals.joined(separator: "\n        "))
                \(out.cName)_t y[\(out.count)];
                \(load.joined(separator: "\n        "))
                \(top)(\((inputs.map(\.cName) + ["y"]).joined(separator: ", ")));
                for (unsigned i = 0; i < \(out.count); i++) out[base_out + i] = y[i].to_double();
            }
        }

        """

        files["connectivity.cfg"] = """
        # One compute unit; inputs and outputs in separate HBM pseudo-channels.
        [connectivity]
        nk=\(kernel):1:\(kernel)_1
        sp=\(kernel)_1.in:HBM[0]
        sp=\(kernel)_1.out:HBM[1]

        """

        files["host/host.cpp"] = """
        // XRT host: host KERNEL.xclbin IN.dat OUT.dat — runs every trial of IN.dat on the card and writes the primary
        // output in the same exact-decimal text as the C simulation.
        #include <cmath>
        #include <cstdio>
        #include <cstdlib>
        #include <fstream>
        #include <sstream>
        #include <string>
        #include <vector>

        #include "xrt/xrt_bo.h"
        #include "xrt/xrt_device.h"
        #include "xrt/xrt_kernel.h"

        #include "lfads_print.h"

        static const unsigned kInputValues = \(total);
        static const unsigned kOutputValues = \(out.count);
        static const int kOutputFraction = \(out.type.fraction);

        int main(int argc, char **argv) {
            if (argc != 4) {
                std::fprintf(stderr, "usage: %s KERNEL.xclbin IN.dat OUT.dat\\n", argv[0]);
                return 2;
            }
            std::ifstream in(argv[2]);
            std::vector<double> input;
            std::string line;
            unsigned trials = 0;
            while (std::getline(in, line)) {
                std::istringstream fields(line);
                double v;
                unsigned n = 0;
                while (fields >> v) {
                    input.push_back(v);
                    n++;
                }
                if (n != kInputValues) {
                    std::fprintf(stderr, "%s line %u: expected %u numbers, got %u\\n", argv[2], trials + 1, kInputValues, n);
                    return 1;
                }
                trials++;
            }
            xrt::device device(0);
            xrt::uuid uuid = device.load_xclbin(argv[1]);
            xrt::kernel kernel(device, uuid, "\(kernel)");
            xrt::bo in_bo(device, input.size() * sizeof(double), kernel.group_id(0));
            xrt::bo out_bo(device, (size_t)trials * kOutputValues * sizeof(double), kernel.group_id(1));
            in_bo.write(input.data());
            in_bo.sync(XCL_BO_SYNC_BO_TO_DEVICE);
            xrt::run run = kernel(in_bo, out_bo, trials);
            run.wait();
            out_bo.sync(XCL_BO_SYNC_BO_FROM_DEVICE);
            std::vector<double> output((size_t)trials * kOutputValues);
            out_bo.read(output.data());
            std::ofstream result(argv[3], std::ios::binary);
            for (unsigned t = 0; t < trials; t++) {
                std::string text;
                for (unsigned i = 0; i < kOutputValues; i++) {
                    if (i) text += ' ';
                    // The value is an exact multiple of 2^-fraction: recover its code, print it exactly.
                    const long long raw = (long long)std::llround(std::ldexp(output[(size_t)t * kOutputValues + i], kOutputFraction));
                    text += lfads_exact_decimal(raw, kOutputFraction);
                }
                result << text << '\\n';
            }
            return 0;
        }

        """

        files["Makefile"] = """
        # C simulation (g++ and the ap_types headers; AP_TYPES = directory holding ap_fixed.h):
        #   make csim AP_TYPES=/path/to/ap_types && ./csim IN.dat OUT.dat
        # Hardware (Vitis, XRT):  make xclbin  /  make host  /  make hls (Vitis HLS: csim, csynth, cosim, export)
        AP_TYPES ?= $(XILINX_HLS)/include
        CXX ?= g++
        CXXFLAGS ?= -std=c++14 -Wall -Werror -O2 -DNDEBUG
        PLATFORM ?= \(options.platform)
        TARGET ?= hw
        FREQ_MHZ ?= \(Int(options.clockMHz))

        FIRMWARE = firmware/\(top).cpp
        HEADERS = $(wildcard firmware/*.h firmware/layers/*.h firmware/weights/*.h tb/*.h)

        csim: tb/csim_main.cpp kernel/\(kernel).cpp $(FIRMWARE) $(HEADERS)
        \t$(CXX) $(CXXFLAGS) -I$(AP_TYPES) -Ifirmware -Itb -o $@ tb/csim_main.cpp kernel/\(kernel).cpp $(FIRMWARE)

        hls:
        \tvitis_hls -f build_prj.tcl

        \(kernel).xo: kernel/\(kernel).cpp $(FIRMWARE) $(HEADERS)
        \tv++ -c -t $(TARGET) --platform $(PLATFORM) -k \(kernel) --hls.clock $(FREQ_MHZ)000000:\(kernel) -Ifirmware -o $@ kernel/\(kernel).cpp $(FIRMWARE)

        xclbin: \(kernel).xo connectivity.cfg
        \tv++ -l -t $(TARGET) --platform $(PLATFORM) --config connectivity.cfg -o \(options.projectName).xclbin \(kernel).xo

        host: host/host.cpp tb/lfads_print.h
        \t$(CXX) -std=c++17 -O2 -I$(XILINX_XRT)/include -I$(AP_TYPES) -Ifirmware -Itb -o $@ host/host.cpp -L$(XILINX_XRT)/lib -lxrt_coreutil -pthread

        clean:
        \trm -f csim host *.xo *.xclbin

        .PHONY: hls xclbin clean

        """

        files["build_prj.tcl"] = """
        # Vitis HLS: vitis_hls -f build_prj.tcl [-tclargs csim csynth cosim export]; all steps when none is given.
        # The test bench reads tb/input.dat (one trial per line) and writes tb/output.dat.
        set steps [list csim csynth cosim export]
        if {[info exists argv] && [llength $argv] > 0} { set steps $argv }
        open_project -reset \(options.projectName)_prj
        set_top \(top)
        add_files firmware/\(top).cpp -cflags "-std=c++14 -Ifirmware"
        add_files -tb tb/csim_main.cpp -cflags "-std=c++14 -Ifirmware -Itb"
        open_solution -reset solution1 -flow_target vivado
        set_part {\(options.part)}
        create_clock -period \(options.clockPeriodNs) -name default
        if {[lsearch $steps csim] >= 0} { csim_design -argv "[pwd]/tb/input.dat [pwd]/tb/output_csim.dat" }
        if {[lsearch $steps csynth] >= 0} { csynth_design }
        if {[lsearch $steps cosim] >= 0} { cosim_design -argv "[pwd]/tb/input.dat [pwd]/tb/output_cosim.dat" }
        if {[lsearch $steps export] >= 0} { export_design -format ip_catalog }
        exit

        """

        files["README.md"] = """
        # \(options.projectName)

        Generated by lfadsc from graph `\(plan.graphName)` for part `\(options.part)` at \(Int(options.clockMHz)) MHz.

        - `firmware/` — the model: `\(top).cpp` (top function, one trial per call), `types.h` (one ap_fixed type per
          tensor), `parameters.h` (layer configurations and activation functors), `weights/` (quantised weights and
          activation tables, printed as exact decimals), `layers/` (matrix-vector, dense and GRU templates).
        - `tb/csim_main.cpp` — C simulation: `make csim AP_TYPES=<dir with ap_fixed.h>` then `./csim IN.dat OUT.dat`.
          IN.dat: one trial per line, all inputs (\(inputs.map { "`\($0.name)` \($0.count)" }.joined(separator: ", ")) values)
          concatenated in that order, time-major, separated by spaces. OUT.dat: one line per trial with the
          \(out.count) values of `\(out.name)` as exact decimals (no exponent, no trailing zeros, "0" for zero).
          It is bit-identical to `lfadsc`'s fixed-point simulator.
        - `build_prj.tcl` — Vitis HLS: `vitis_hls -f build_prj.tcl` (csim, csynth, cosim, export; put a trial file at
          `tb/input.dat`).
        - `kernel/\(kernel).cpp`, `connectivity.cfg`, `host/host.cpp` — Alveo flow: `make xclbin`, `make host`,
          `./host \(options.projectName).xclbin IN.dat OUT.dat`.

        The numerics (every cast and the order of every sum) are described in lfadsc's docs/hardware-numerics.md.

        """
        return files
    }
}
