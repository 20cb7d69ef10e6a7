extension SynthesisPlan {
    /// Names and paths end up unquoted in a Makefile, a POSIX shell script, Yosys scripts and Tcl, so they
    /// are held to characters that mean nothing special in any of them.
    public func validate() throws {
        guard !units.isEmpty else { throw SynthesisError("synthesis plan", "has no units") }
        var seen = Set<String>()
        for u in units {
            let subject = "synthesis unit \(u.name.debugDescription)"
            guard Self.isIdentifier(u.name) else { throw SynthesisError(subject, "name must be a Verilog-style identifier") }
            guard seen.insert(u.name).inserted else { throw SynthesisError(subject, "appears twice in the plan") }
            guard Self.isIdentifier(u.top) else { throw SynthesisError(subject, "top \(u.top.debugDescription) is not an identifier") }
            guard !u.sources.isEmpty else { throw SynthesisError(subject, "lists no Verilog sources") }
            for path in u.sources + u.dataFiles where !Self.isSafeRelativePath(path) {
                throw SynthesisError(subject, "path \(path.debugDescription) must be relative, without '..', of letters, digits and _ . / + -")
            }
            guard u.instances >= 1 else { throw SynthesisError(subject, "instance count \(u.instances) must be at least 1") }
            if let e = u.expectedDSP, e < 0 { throw SynthesisError(subject, "expected DSP count \(e) is negative") }
            var names = Set<String>()
            for p in u.parameters {
                guard Self.isIdentifier(p.name), names.insert(p.name).inserted else {
                    throw SynthesisError(subject, "parameter \(p.name.debugDescription) is not an identifier or is set twice")
                }
                if case .string(let s) = p.value, !s.unicodeScalars.allSatisfy(Self.isPlainCharacter) {
                    throw SynthesisError(subject, "parameter \(p.name) value \(s.debugDescription) may hold only letters, digits and _ . / + -")
                }
            }
        }
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    static func isSafeRelativePath(_ s: String) -> Bool {
        guard !s.isEmpty, !s.hasPrefix("/") else { return false }
        return s.unicodeScalars.allSatisfy(isPlainCharacter) && !s.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0.isEmpty }
    }

    /// Letters, digits and `_ . / + -`: plain in make, sh, Tcl and Yosys scripts alike.
    static func isPlainCharacter(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "_./+-".unicodeScalars.contains(c))
    }
}
