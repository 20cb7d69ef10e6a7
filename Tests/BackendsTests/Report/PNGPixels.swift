import HDF5

/// Just enough PNG decoding (8-bit RGB/RGBA, non-interlaced) to ask "is this screenshot blank?".
struct PNGPixels {
    var width: Int
    var height: Int
    var channels: Int
    var data: [UInt8]

    struct Failure: Error { var message: String }

    init(_ bytes: [UInt8]) throws {
        guard bytes.count > 8, bytes[1] == 0x50, bytes[2] == 0x4E, bytes[3] == 0x47 else { throw Failure(message: "not a PNG") }
        var i = 8
        var idat: [UInt8] = []
        var w = 0, h = 0, colourType = 0
        while i + 8 <= bytes.count {
            let length = Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            guard length >= 0, i + 12 + length <= bytes.count else { throw Failure(message: "truncated chunk") }
            let body = Array(bytes[(i + 8)..<(i + 8 + length)])
            if type == "IHDR" {
                w = Int(body[0]) << 24 | Int(body[1]) << 16 | Int(body[2]) << 8 | Int(body[3])
                h = Int(body[4]) << 24 | Int(body[5]) << 16 | Int(body[6]) << 8 | Int(body[7])
                guard body[8] == 8, body[12] == 0 else { throw Failure(message: "only 8-bit non-interlaced PNGs") }
                colourType = Int(body[9])
            } else if type == "IDAT" {
                idat += body
            }
            i += 12 + length
        }
        let channels = colourType == 6 ? 4 : colourType == 2 ? 3 : 0
        guard channels > 0, w > 0, h > 0 else { throw Failure(message: "unsupported colour type \(colourType)") }
        let stride = w * channels
        let raw = try Inflate.zlibDecompress(idat, expectedSize: h * (stride + 1))
        var out = [UInt8](repeating: 0, count: h * stride)
        for y in 0..<h {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let v = raw[y * (stride + 1) + 1 + x]
                let a = x >= channels ? Int(out[y * stride + x - channels]) : 0
                let b = y > 0 ? Int(out[(y - 1) * stride + x]) : 0
                let c = (x >= channels && y > 0) ? Int(out[(y - 1) * stride + x - channels]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predictor = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)
                default: throw Failure(message: "bad filter \(filter)")
                }
                out[y * stride + x] = UInt8(truncatingIfNeeded: Int(v) + predictor)
            }
        }
        width = w; height = h; self.channels = channels; data = out
    }

    /// Number of distinct RGB colours (a blank page has one).
    var distinctColours: Int {
        var seen = Set<UInt32>()
        var p = 0
        while p + 2 < data.count {
            seen.insert(UInt32(data[p]) << 16 | UInt32(data[p + 1]) << 8 | UInt32(data[p + 2]))
            p += channels
        }
        return seen.count
    }
}
