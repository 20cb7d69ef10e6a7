/// A dense row-major weight matrix. Rows are outputs, columns are inputs, so y = W·x
/// (Keras stores kernels as [in, out]; importers transpose into this layout).
public struct Matrix: Hashable, Sendable {
    public let rows: Int
    public let columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) throws {
        guard rows >= 0, columns >= 0 else { throw IRError.invalid("matrix with negative shape \(rows)x\(columns)") }
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, count == values.count else {
            throw IRError.invalid("matrix \(rows)x\(columns) given \(values.count) values")
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public init(zeros rows: Int, _ columns: Int) {
        self.rows = max(rows, 0)
        self.columns = max(columns, 0)
        self.values = Array(repeating: 0, count: self.rows * self.columns)
    }

    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// Rows `range` as a new matrix (used to split fused gate matrices).
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(unchecked: range.count, columns, Array(values[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }

    /// Columns `range` as a new matrix (used to split a [x, h] matrix into input and recurrent parts).
    public func columns(_ range: Range<Int>) -> Matrix {
        var out = [Double]()
        out.reserveCapacity(rows * range.count)
        for r in 0..<rows { out.append(contentsOf: values[(r * columns + range.lowerBound)..<(r * columns + range.upperBound)]) }
        return Matrix(unchecked: rows, range.count, out)
    }

    public var transposed: Matrix {
        var out = [Double](repeating: 0, count: values.count)
        for r in 0..<rows { for c in 0..<columns { out[c * rows + r] = values[r * columns + c] } }
        return Matrix(unchecked: columns, rows, out)
    }

    /// Stacks matrices with equal column counts vertically.
    public static func stacking(_ parts: [Matrix]) throws -> Matrix {
        guard let first = parts.first else { return Matrix(zeros: 0, 0) }
        guard parts.allSatisfy({ $0.columns == first.columns }) else { throw IRError.invalid("stacking matrices with different column counts") }
        return Matrix(unchecked: parts.reduce(0) { $0 + $1.rows }, first.columns, parts.flatMap { $0.values })
    }

    /// Number of weights that are not finite, for importers' NaN/Inf checks.
    public var nonFiniteCount: Int { values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) } }

    init(unchecked rows: Int, _ columns: Int, _ values: [Double]) {
        self.rows = rows
        self.columns = columns
        self.values = values
    }
}
