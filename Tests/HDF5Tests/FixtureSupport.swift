import Foundation
import XCTest
@testable import HDF5

enum Fixtures {
    static let directory: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let names = ["types", "chunks", "groups", "keras"].flatMap { ["\($0)_earliest", "\($0)_latest"] } + ["offsets4_userblock"]
    static let kerasPeer = "/work/shared/peers/lfads-fpga-template/keras_model.h5"

    static func path(_ name: String) -> String { directory.appendingPathComponent(name + ".h5").path }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func values(_ name: String) throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name + ".values.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] ?? [:]
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }
}

/// Opens a file, walks every object and reads every dataset and attribute; returns a count
/// of what was read. Used by both the conformance and the corruption tests.
@discardableResult
func readEverything(_ file: HDF5File) throws -> Int {
    var n = 0
    try HDF5Inspector.walk(file) { node in
        switch node {
        case .dataset(let d, let attrs):
            n += attrs.count
            switch d.datatype {
            case .fixedString, .variableString: n += try d.readStrings().count
            case .other: break
            default:
                n += try d.readDoubles().count
                if let rows = d.shape.first, rows > 1 { n += try d.readDoubles(rows: 1..<rows).count }
            }
        case .group(_, let attrs), .other(_, let attrs): n += attrs.count
        case .softLink, .externalLink: n += 1
        }
    }
    _ = try HDF5Inspector.json(file)
    return n
}
