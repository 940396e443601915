import Foundation
import Linalg
import Testing

@Suite("Linear algebra through BLAS and LAPACK")
struct LinalgTests {
    @Test("dot and gemv against hand-computed values")
    func products() throws {
        #expect(try dot([1, 2, 3], [4, -5, 6]) == 12)
        let a = try Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(try a.times([1, 0, -1]) == [-2, -2])
        #expect(throws: LinalgError.self) { try a.times([1, 2]) }
    }

    @Test("Cholesky solve of a symmetric positive-definite system")
    func solve() throws {
        // A = [[4, 2], [2, 3]], b = [2, 1]: x = A⁻¹b = [0.5, 0].
        let a = try Matrix([[4, 2], [2, 3]])
        let x = try a.solvePositiveDefinite([2, 1])
        #expect(abs(x[0] - 0.5) < 1e-12 && abs(x[1]) < 1e-12)
        // The 3×3 Hilbert-like matrix from a known inverse: A·x = A·[1, 2, 3].
        let h = try Matrix([[2, -1, 0], [-1, 2, -1], [0, -1, 2]])
        let b = try h.times([1, 2, 3])
        let y = try h.solvePositiveDefinite(b)
        for (v, e) in zip(y, [1.0, 2, 3]) { #expect(abs(v - e) < 1e-12) }
    }

    @Test("A matrix that is not positive definite gives a typed error, not NaNs")
    func notPositiveDefinite() throws {
        let a = try Matrix([[1, 2], [2, 1]])
        #expect(throws: LinalgError.notPositiveDefinite(order: 2)) { try a.solvePositiveDefinite([1, 1]) }
        let singular = try Matrix([[1, 1], [1, 1]])
        #expect(throws: LinalgError.self) { try singular.solvePositiveDefinite([1, 1]) }
    }

    @Test("gemm, syrk, transposed gemv and axpy against hand-computed values")
    func level3() throws {
        let a = try Matrix([[1, 2], [3, 4], [5, 6]])
        let b = try Matrix([[1, 0, -1], [2, 1, 0]])
        #expect(try a.times(b) == Matrix([[5, 2, -1], [11, 4, -3], [17, 6, -5]]))
        #expect(try a.times(a, transposeSelf: true) == Matrix([[35, 44], [44, 56]]))
        #expect(try b.times(b, transposeOther: true) == Matrix([[2, 2], [2, 5]]))
        #expect(a.gram() == (try Matrix([[35, 44], [44, 56]])))
        #expect(try a.transposeTimes([1, 1, 1]) == [9, 12])
        // Blocked accumulation equals the whole product.
        var c = Matrix(rows: 2, columns: 2)
        try Matrix([[1, 2]]).accumulateGram(into: &c)
        try Matrix([[3, 4], [5, 6]]).accumulateGram(into: &c)
        c.symmetrizeFromLower()
        #expect(c == a.gram())
        var y = [1.0, 1, 1]
        try axpy(2, [1, 2, 3], &y)
        #expect(y == [3, 5, 7])
        var v: Vector = [3, 4]
        #expect(v.norm == 5)
        try v.add(-1, times: [3, 4])
        #expect(v == [0, 0])
        #expect(throws: LinalgError.self) { try a.times(a) }
    }

    @Test("potrf/potrs, inverse and log-determinant of a known matrix")
    func cholesky() throws {
        // A = L·Lᵀ with L = [[2, 0, 0], [1, 3, 0], [-1, 2, 1]]: det A = (2·3·1)² = 36.
        let l = try Matrix([[2, 0, 0], [1, 3, 0], [-1, 2, 1]])
        let a = try l.times(l, transposeOther: true)
        let f = try Cholesky(a)
        for i in 0..<3 { for j in 0...i { #expect(abs(f.factor[i, j] - l[i, j]) < 1e-12) } }
        #expect(abs(f.logDeterminant - log(36)) < 1e-12)
        let x = try f.solve(a.times([1, -2, 3]))
        for (u, e) in zip(x, [1.0, -2, 3]) { #expect(abs(u - e) < 1e-12) }
        let product = try a.times(f.inverse())
        for i in 0..<3 { for j in 0..<3 { #expect(abs(product[i, j] - (i == j ? 1 : 0)) < 1e-12) } }
        var nan = a
        nan[1, 1] = .nan
        #expect(throws: LinalgError.notFinite("cholesky: A")) { try Cholesky(nan) }
    }

    @Test("gelsd: the closed-form line fit, and the minimum-norm answer for collinear columns")
    func leastSquares() throws {
        // y = 1 + 2x + e with e summing to zero against 1 and x: the fit is exactly (1, 2).
        let xs = [0.0, 1, 2, 3, 4]
        let e = [0.5, -1, 1, -1, 0.5]   // Σe = 0, Σx·e = 0 - 1 + 2 - 3 + 2 = 0
        let a = try Matrix(xs.map { [1, $0] })
        let b = zip(xs, e).map { 1 + 2 * $0 + $1 }
        let fit = try a.leastSquares(b)
        #expect(fit.rank == 2)
        #expect(abs(fit.coefficients[0] - 1) < 1e-12 && abs(fit.coefficients[1] - 2) < 1e-12)
        // Two identical columns: rank 1, the weight split evenly (minimum norm), or an error on request.
        let dup = try Matrix(xs.map { [$0, $0] })
        let twice = xs.map { 2 * $0 }
        let mn = try dup.leastSquares(twice)
        #expect(mn.rank == 1)
        #expect(abs(mn.coefficients[0] - 1) < 1e-10 && abs(mn.coefficients[1] - 1) < 1e-10)
        #expect(throws: LinalgError.singular(rank: 1, columns: 2)) { try dup.leastSquares(twice, minimumRank: 2) }
        #expect(throws: LinalgError.notFinite("gelsd: A or b")) { try a.leastSquares([1, 2, .nan, 4, 5]) }
    }
}
