/// What `make synth` synthesises: each distinct module configuration once, out of context, multiplied by how
/// many instances the design holds. The RTL generator fills it; `SynthesisFlow.files` turns it into scripts.
/// Paths are relative to the project root, where Yosys runs (so `$readmemh` paths are too).
public struct SynthesisPlan: Codable, Hashable, Sendable {
    public var units: [Unit]

    public init(units: [Unit]) { self.units = units }

    public struct Unit: Codable, Hashable, Sendable {
        /// Unique identifier of this configuration (names the script, the result folder and the report row).
        public var name: String
        /// Verilog (`.v`) or SystemVerilog (`.sv`) files, read in this order.
        public var sources: [String]
        /// Files the sources read while elaborating (`$readmemh` images): part of the cache key, since a
        /// ROM's contents change its logic.
        public var dataFiles: [String]
        public var top: String
        /// Overrides of the top module's parameters, applied with `chparam` before elaboration.
        public var parameters: [Parameter]
        public var instances: Int
        /// DSP48E2 count one instance must synthesise to (the analytic product count). Yosys has removed a
        /// datapath with exit status 0 before (multi-driven vectors): a mismatch fails `make synth`.
        public var expectedDSP: Int?
        /// The unit is a repeated primitive whose figures, times `instances`, stand in for a module too large
        /// to synthesise whole; `note` says what it composes.
        public var composed: Bool
        public var note: String
        /// Whether the flow measures the unit's logic depth (`ltp`). Off for the top: its processes are black
        /// boxes, which `ltp` takes for combinational cells, so every read address → data → address path is a
        /// false loop (on the template, 68 million loop warnings, 4.5 GB of text, unfinished after 20 minutes).
        public var measureDepth: Bool

        public init(name: String, sources: [String], dataFiles: [String] = [], top: String,
                    parameters: [Parameter] = [], instances: Int = 1, expectedDSP: Int? = nil,
                    composed: Bool = false, note: String = "", measureDepth: Bool = true) {
            self.name = name
            self.sources = sources
            self.dataFiles = dataFiles
            self.top = top
            self.parameters = parameters
            self.instances = instances
            self.expectedDSP = expectedDSP
            self.composed = composed
            self.note = note
            self.measureDepth = measureDepth
        }

        /// A plan written by hand may leave out everything that has a default in `init`.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            sources = try c.decode([String].self, forKey: .sources)
            dataFiles = try c.decodeIfPresent([String].self, forKey: .dataFiles) ?? []
            top = try c.decode(String.self, forKey: .top)
            parameters = try c.decodeIfPresent([Parameter].self, forKey: .parameters) ?? []
            instances = try c.decodeIfPresent(Int.self, forKey: .instances) ?? 1
            expectedDSP = try c.decodeIfPresent(Int.self, forKey: .expectedDSP)
            composed = try c.decodeIfPresent(Bool.self, forKey: .composed) ?? false
            note = try c.decodeIfPresent(String.self, forKey: .note) ?? ""
            measureDepth = try c.decodeIfPresent(Bool.self, forKey: .measureDepth) ?? true
        }
    }

    public struct Parameter: Codable, Hashable, Sendable {
        public var name: String
        public var value: Value

        public init(_ name: String, _ value: Value) {
            self.name = name
            self.value = value
        }

        /// A Verilog parameter value: an integer or a string (a file name for `$readmemh`).
        public enum Value: Codable, Hashable, Sendable {
            case integer(Int)
            case string(String)

            public init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let i = try? c.decode(Int.self) { self = .integer(i) } else { self = .string(try c.decode(String.self)) }
            }

            public func encode(to encoder: Encoder) throws {
                var c = encoder.singleValueContainer()
                switch self {
                case .integer(let i): try c.encode(i)
                case .string(let s): try c.encode(s)
                }
            }
        }
    }
}
