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
}
