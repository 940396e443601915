/// A dense matrix of `Double` in row-major, contiguous storage.
///
/// Every product and solve goes through BLAS or LAPACK (see `Matrix+BLAS.swift` and
/// `Matrix+LAPACK.swift`); nothing outside this module touches their pointers.
///
/// ```swift
/// let a = try Matrix([[4, 2], [2, 3]])
/// let x = try a.solvePositiveDefinite([2, 1])   // [0.5, 0]
/// ```
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// Elements, row after row.
    public var elements: [Double]

    /// A matrix of zeros.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "negative matrix dimension")
        self.rows = rows
        self.columns = columns
        elements = [Double](repeating: 0, count: rows * columns)
    }

    /// A matrix over `elements` given row after row.
    public init(rows: Int, columns: Int, elements: [Double]) throws {
        guard rows >= 0, columns >= 0, elements.count == rows * columns else {
            throw LinalgError.dimensionMismatch("\(elements.count) elements for a \(rows)×\(columns) matrix")
        }
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from its rows; all rows must have the same length.
    public init(_ rowArrays: [[Double]]) throws {
        let c = rowArrays.first?.count ?? 0
        guard rowArrays.allSatisfy({ $0.count == c }) else { throw LinalgError.dimensionMismatch("ragged rows") }
        rows = rowArrays.count
        columns = c
        elements = rowArrays.flatMap { $0 }
    }

    /// The n × n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// The element at row `i`, column `j`.
    public subscript(i: Int, j: Int) -> Double {
        get { elements[i * columns + j] }
        set { elements[i * columns + j] = newValue }
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] { Array(elements[(i * columns)..<((i + 1) * columns)]) }

    /// The transpose.
    public func transposed() -> Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t.elements[j * rows + i] = elements[i * columns + j] } }
        return t
    }

    /// The diagonal of a square matrix.
    public var diagonal: [Double] { (0..<min(rows, columns)).map { self[$0, $0] } }

    /// Whether every element is finite.
    public var isFinite: Bool { elements.allSatisfy(\.isFinite) }

    /// Copies the lower triangle onto the upper one (after a `syrk` that fills only the lower).
    public mutating func symmetrizeFromLower() {
        precondition(rows == columns)
        for i in 0..<rows { for j in (i + 1)..<max(i + 1, columns) { elements[i * columns + j] = elements[j * columns + i] } }
    }

    /// Multiplies row `i` by `factors[i]`.
    public mutating func scaleRows(by factors: [Double]) throws {
        guard factors.count == rows else { throw LinalgError.dimensionMismatch("\(factors.count) factors for \(rows) rows") }
        let c = columns
        elements.withUnsafeMutableBufferPointer { e in
            for i in 0..<factors.count {
                let f = factors[i]
                for j in 0..<c { e[i * c + j] *= f }
            }
        }
    }

    /// The given rows (in that order) and, optionally, only the given columns.
    public func selecting(rows indices: [Int], columns: [Int]? = nil) -> Matrix {
        let cols = columns ?? Array(0..<self.columns)
        var m = Matrix(rows: indices.count, columns: cols.count)
        let width = self.columns
        m.elements.withUnsafeMutableBufferPointer { out in
            elements.withUnsafeBufferPointer { src in
                for (r, i) in indices.enumerated() {
                    for (c, j) in cols.enumerated() { out[r * cols.count + c] = src[i * width + j] }
                }
            }
        }
        return m
    }
}
