import Foundation
import CLAPACKE

/// A Cholesky factor L of a symmetric positive-definite matrix A = L·Lᵀ (LAPACK `dpotrf`).
public struct Cholesky: Sendable {
    /// The factor, in the lower triangle (the upper holds A's original values).
    public let factor: Matrix

    /// Factors `a`.
    ///
    /// - Throws: `LinalgError.notPositiveDefinite` with the order of the first non-positive
    ///   leading minor; `.notFinite` when `a` holds a NaN.
    public init(_ a: Matrix) throws {
        guard a.rows == a.columns else { throw LinalgError.dimensionMismatch("cholesky: A is \(a.rows)×\(a.columns), not square") }
        guard a.isFinite else { throw LinalgError.notFinite("cholesky: A") }
        var f = a
        if f.rows > 0 {
            let n = Int32(f.rows)
            let info = f.elements.withUnsafeMutableBufferPointer { LAPACKE_dpotrf(LAPACK_ROW_MAJOR, lower, n, $0.baseAddress, n) }
            if info > 0 { throw LinalgError.notPositiveDefinite(order: Int(info)) }
            if info < 0 { throw LinalgError.lapack(routine: "dpotrf", info: info) }
        }
        factor = f
    }

    /// Solves A·x = b with the factor (LAPACK `dpotrs`).
    public func solve(_ b: [Double]) throws -> [Double] {
        let n = factor.rows
        guard b.count == n else { throw LinalgError.dimensionMismatch("potrs: A is \(n)×\(n), b has \(b.count)") }
        if n == 0 { return [] }
        var x = b
        let info = factor.elements.withUnsafeBufferPointer { f in
            x.withUnsafeMutableBufferPointer { xp in
                LAPACKE_dpotrs(LAPACK_ROW_MAJOR, lower, Int32(n), 1, f.baseAddress, Int32(n), xp.baseAddress, 1)
            }
        }
        if info != 0 { throw LinalgError.lapack(routine: "dpotrs", info: info) }
        return x
    }

    /// A⁻¹ (for standard errors: the inverse Hessian), column by column through `dpotrs`.
    public func inverse() throws -> Matrix {
        let n = factor.rows
        var inv = Matrix(rows: n, columns: n)
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            let col = try solve(e)
            for i in 0..<n { inv[i, j] = col[i] }
        }
        return inv
    }

    /// log det A = 2 Σ log Lᵢᵢ.
    public var logDeterminant: Double { 2 * factor.diagonal.reduce(0) { $0 + log($1) } }
}

/// The minimum-norm least-squares solution of a possibly rank-deficient system (LAPACK `dgelsd`).
public struct LeastSquaresSolution: Sendable {
    /// The coefficients x minimising ‖A·x − b‖ (of least norm when A is rank-deficient).
    public var coefficients: [Double]
    /// The effective rank of A at the given condition threshold.
    public var rank: Int
    /// A's singular values, largest first.
    public var singularValues: [Double]
}

private let lower = Int8(UInt8(ascii: "L"))

extension Matrix {
    /// Solves A·x = b for a symmetric positive-definite A by Cholesky (LAPACK `dposv`).
    ///
    /// - Throws: `LinalgError.notPositiveDefinite` when A is not positive definite.
    public func solvePositiveDefinite(_ b: [Double]) throws -> [Double] {
        guard rows == columns else { throw LinalgError.dimensionMismatch("A is \(rows)×\(columns), not square") }
        guard b.count == rows else { throw LinalgError.dimensionMismatch("A is \(rows)×\(rows), b has \(b.count)") }
        guard isFinite, b.allSatisfy(\.isFinite) else { throw LinalgError.notFinite("posv: A or b") }
        if rows == 0 { return [] }
        var a = elements
        var x = b
        let n = Int32(rows)
        let info = a.withUnsafeMutableBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { xp in
                LAPACKE_dposv(LAPACK_ROW_MAJOR, lower, n, 1, ap.baseAddress, n, xp.baseAddress, 1)
            }
        }
        if info > 0 { throw LinalgError.notPositiveDefinite(order: Int(info)) }
        if info < 0 { throw LinalgError.lapack(routine: "dposv", info: info) }
        return x
    }

    /// Least squares min ‖A·x − b‖ by SVD (LAPACK `dgelsd`); singular values below
    /// `rcond` × the largest count as zero, so collinear columns give the minimum-norm answer.
    ///
    /// - Parameter minimumRank: throw `LinalgError.singular` when the effective rank is lower.
    public func leastSquares(_ b: [Double], rcond: Double = 1e-10, minimumRank: Int = 0) throws -> LeastSquaresSolution {
        guard b.count == rows else { throw LinalgError.dimensionMismatch("gelsd: A has \(rows) rows, b has \(b.count)") }
        guard isFinite, b.allSatisfy(\.isFinite) else { throw LinalgError.notFinite("gelsd: A or b") }
        if rows == 0 || columns == 0 {
            if minimumRank > 0 { throw LinalgError.singular(rank: 0, columns: columns) }
            return LeastSquaresSolution(coefficients: [Double](repeating: 0, count: columns), rank: 0, singularValues: [])
        }
        var a = elements
        var x = b + [Double](repeating: 0, count: max(0, columns - rows))
        var s = [Double](repeating: 0, count: min(rows, columns))
        var rank: Int32 = 0
        let info = a.withUnsafeMutableBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { xp in
                s.withUnsafeMutableBufferPointer { sp in
                    LAPACKE_dgelsd(LAPACK_ROW_MAJOR, Int32(rows), Int32(columns), 1, ap.baseAddress, Int32(columns),
                                   xp.baseAddress, 1, sp.baseAddress, rcond, &rank)
                }
            }
        }
        if info > 0 { throw LinalgError.lapack(routine: "dgelsd (SVD did not converge)", info: info) }
        if info < 0 { throw LinalgError.lapack(routine: "dgelsd", info: info) }
        if Int(rank) < minimumRank { throw LinalgError.singular(rank: Int(rank), columns: columns) }
        return LeastSquaresSolution(coefficients: Array(x.prefix(columns)), rank: Int(rank), singularValues: s)
    }
}
