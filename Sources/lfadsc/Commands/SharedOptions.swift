/// Options that mean the same on every command (issue: "--model, --target, -o ... mean the same everywhere").
enum SharedOptions {
    static let model = OptionSpec.value("model", short: "m", "FILE", help: "Trained model weights (.h5: Keras/QKeras, lfads-torch export, TF1 LFADS model_params; .ckpt: lfads-torch Lightning checkpoint) or IR text (.lfadsir). Default: from lfadsc.json.")
    static let format = OptionSpec.value("format", "NAME", help: "Weight format when auto-detection is not wanted: keras, lfads-torch, lfads-tf1, ir.")
    static let reconstruction = OptionSpec.value("reconstruction", "NAME", help: "An lfads-torch model's reconstruction distribution when the file cannot say it: Poisson, PoissonBPS, MSE, Gaussian, Gamma, or 'ZeroInflatedGamma(gamma_loc=V)'; it must match the readout's width.", default: "lfadsc.json's reconstruction, else the file's, else inferred from the readout")
    static let config = OptionSpec.value("config", short: "c", "FILE", help: "Project file.", default: "lfadsc.json when present")
    static let target = OptionSpec.value("target", short: "t", "DEVICE", help: "Target device: u55c, u50, u250, u280, xc7vx690t.", default: "u55c")
    static let output = OptionSpec.value("output", short: "o", "PATH", help: "Where to write the result.")
    static let force = OptionSpec.flag("force", short: "f", help: "Overwrite an existing output.")
    static let precision = OptionSpec.value("precision", short: "p", "TYPE", help: "Default precision (e.g. 'ap_fixed<16,6>'), or 'auto' to choose per tensor from calibration data.")
    static let strategy = OptionSpec.value("strategy", "NAME", help: "Implementation strategy: latency, resource or lfads.", default: "lfads")
    static let reuse = OptionSpec.value("reuse", short: "r", "N|auto", help: "Reuse factor for every layer (overrides per-layer choices), or 'auto' to let the reuse pass choose within --max-utilization.", default: "auto unless the configuration gives reuse factors")
    static let latencyTarget = OptionSpec.value("latency-target", "US", help: "Let the reuse pass meet this latency (µs) with the least hardware.")
    static let maxUtilization = OptionSpec.value("max-utilization", "F", help: "Largest fraction of any device resource the reuse pass may use.", default: "0.8")
    static let clock = OptionSpec.value("clock", "MHZ", help: "Target clock frequency in MHz.", default: "device default")
    static let threads = OptionSpec.value("threads", short: "j", "N", help: "Worker threads (results do not depend on it).", default: "all cores")
}
