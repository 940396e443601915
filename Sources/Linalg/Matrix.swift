import CBLAS
import CLAPACKE

/// Errors of the linear-algebra routines, instead of NaNs.
public enum LinalgError: Error, Sendable, Equatable {
    /// The dimensions of the operands do not agree.
    case dimensionMismatch(String)
    /// The matrix is not positive definite (the leading minor of this order is not positive).
    case notPositiveDefinite(order: Int)
    /// LAPACK reported an illegal argument or another failure.
    case lapack(routine: String, info: Int32)
}

/// A dense matrix of `Double` in row-major, contiguous storage.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// Elements, row after row.
    public var elements: [Double]

    /// A matrix of zeros.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        elements = [Double](repeating: 0, count: rows * columns)
    }

    /// A matrix from its rows; all rows must have the same length.
    public init(_ rowArrays: [[Double]]) throws {
        let c = rowArrays.first?.count ?? 0
        guard rowArrays.allSatisfy({ $0.count == c }) else { throw LinalgError.dimensionMismatch("ragged rows") }
        rows = rowArrays.count
        columns = c
        elements = rowArrays.flatMap { $0 }
    }

    /// The element at row `i`, column `j`.
    public subscript(i: Int, j: Int) -> Double {
        get { elements[i * columns + j] }
        set { elements[i * columns + j] = newValue }
    }

    /// y = A·x, through BLAS `dgemv`.
    public func times(_ x: [Double]) throws -> [Double] {
        guard x.count == columns else { throw LinalgError.dimensionMismatch("A is \(rows)×\(columns), x has \(x.count)") }
        var y = [Double](repeating: 0, count: rows)
        if rows == 0 || columns == 0 { return y }
        elements.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(columns), 1, a.baseAddress, Int32(columns),
                                xp.baseAddress, 1, 0, yp.baseAddress, 1)
                }
            }
        }
        return y
    }

    /// Solves A·x = b for a symmetric positive-definite A by Cholesky (LAPACK `dposv`).
    ///
    /// - Throws: `LinalgError.notPositiveDefinite` when A is not positive definite.
    public func solvePositiveDefinite(_ b: [Double]) throws -> [Double] {
        guard rows == columns else { throw LinalgError.dimensionMismatch("A is \(rows)×\(columns), not square") }
        guard b.count == rows else { throw LinalgError.dimensionMismatch("A is \(rows)×\(rows), b has \(b.count)") }
        if rows == 0 { return [] }
        var a = elements
        var x = b
        let n = Int32(rows)
        let info = a.withUnsafeMutableBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { xp in
                LAPACKE_dposv(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), n, 1, ap.baseAddress, n, xp.baseAddress, 1)
            }
        }
        if info > 0 { throw LinalgError.notPositiveDefinite(order: Int(info)) }
        if info < 0 { throw LinalgError.lapack(routine: "dposv", info: info) }
        return x
    }
}

/// Dot product of two vectors through BLAS `ddot`.
public func dot(_ x: [Double], _ y: [Double]) throws -> Double {
    guard x.count == y.count else { throw LinalgError.dimensionMismatch("lengths \(x.count) and \(y.count)") }
    if x.isEmpty { return 0 }
    return x.withUnsafeBufferPointer { xp in
        y.withUnsafeBufferPointer { yp in cblas_ddot(Int32(x.count), xp.baseAddress, 1, yp.baseAddress, 1) }
    }
}
