import Forecasting
import Foundation
import Linalg
import Testing
import WarRoomCore

/// A fixed design reproducible anywhere (integer arithmetic only): three features on [−1, 1].
func fixedDesign(_ n: Int = 300, columns: Int = 3) -> Matrix {
    var x = Matrix(rows: n, columns: columns)
    for i in 0..<n {
        let all = [Double((i * 37) % 101) / 50 - 1, Double((i * 53 + 11) % 97) / 48.5 - 1, Double((i * i) % 89) / 44.5 - 1]
        for j in 0..<columns { x[i, j] = all[j] }
    }
    return x
}

@Suite("Generalised linear models by Newton/IRLS")
struct GLMTests {
    /// Labels drawn once (u_i = ((7919 i + 13) mod 1000) / 1000 < σ(0.3 + 1.2 x1 − 0.8 x2 + 0.5 x3)).
    static let labels = "100000011111100010011111100000111111110000111111110000110111110000001010111000010101111000101011111000010111111100000101111100001011111100010101111110101011111110000110011111000000111111000001111111000000111111100011001111100011010111100000101011110001010111110010100101110001001011111000110111111000"

    @Test("Unpenalised logistic fit equals statsmodels' Logit (0.15.0) on a fixed dataset: coefficients and standard errors")
    func logisticReference() throws {
        let y = Self.labels.map { $0 == "1" ? 1.0 : 0.0 }
        let fit = try GLM.fit(features: fixedDesign(), response: y, family: .binomial, options: .init(l2: 0, tolerance: 1e-12))
        // statsmodels.api.Logit(y, add_constant(X)).fit(tol=1e-12): params and bse.
        let params = [0.30847839, 1.22653822, -1.2876383, 0.74305461]
        let bse = [0.13162509, 0.23766776, 0.24255373, 0.21655327]
        #expect(fit.converged)
        for j in 0..<4 {
            #expect(abs(fit.coefficients[j] - params[j]) < 1e-6, "coefficient \(j): \(fit.coefficients[j])")
            #expect(abs(fit.standardErrors[j] - bse[j]) < 1e-6, "standard error \(j): \(fit.standardErrors[j])")
        }
        // Log-likelihood −172.167702340457.
        #expect(abs(fit.trainingLogLoss * 300 - 172.167702340457) < 1e-6)
    }

    @Test("Poisson fit with an offset equals statsmodels' GLM Poisson (0.15.0) on a fixed dataset")
    func poissonReference() throws {
        let counts: [Double] = [0,3,11,4,11,2,2,3,9,7,1,1,2,16,5,2,4,4,5,14,1,3,2,3,8,1,5,7,6,7,3,3,5,4,5,2,1,3,11,9,1,2,6,8,6,1,4,1,5,5,2,3,3,10,12,1,2,8,3,7,1,1,6,5,14,2,3,4,13,4,1,1,3,7,2,3,6,5,7,18,1,4,1,4,12,0,2,10,8,10,4,2,7,2,7,2,1,4,5,11,2,2,4,11,3,1,6,2,7,8,0,1,4,5,15,0,3,11,4,10,1,2,3,2,8,3,1,6,17,6,2,4,4,5,3,0,7,3,9,24,1,5,2,6,7,0,1,4,1,12,5,3,9,3,9,1,2,2,7,2,1,12,5,14,5,2,4,3,4,11,1,2,2,2,20,1,4,6,5,6,2,3,4,3,3,1,2,8,10,7,1,6,5,7,5,0,3,1,11,14,1,3,3,8,10,1,2,6,2,6,1,3,5,4,12,2,2,4,10,3,1,2,2,8,6,2,5,4,6,15,0,3,4,3,4,1,6,8,7,8,3,2,6,2,5,1,1,3,13,10,1,8,3,9,3,1,2,2,5,6,2,4,13,5,13,0,3,9,3,8,1,1,7,6,7,3,1,5,14,5,2,3,3,3,2,1,6,2,8,21,1,4,6,5,6,0,1,11,4,11]
        let offset = (0..<300).map { log(1 + Double($0 % 5)) }
        let fit = try GLM.fit(features: fixedDesign(columns: 2), response: counts, family: .poisson, offset: offset,
                              options: .init(l2: 0, tolerance: 1e-12))
        let params = [0.3831909, 0.67404575, -0.42141529]
        let bse = [0.02881169, 0.04718246, 0.0460036]
        for j in 0..<3 {
            #expect(abs(fit.coefficients[j] - params[j]) < 1e-6, "coefficient \(j): \(fit.coefficients[j])")
            #expect(abs(fit.standardErrors[j] - bse[j]) < 1e-6, "standard error \(j): \(fit.standardErrors[j])")
        }
        let mean = try fit.predict(fixedDesign(columns: 2), offset: offset)
        #expect(abs(mean.reduce(0, +) - counts.reduce(0, +)) < 1e-6)   // the canonical link's score equation
    }

    @Test("On simulated data with known coefficients the fit recovers each within 4 standard errors")
    func recoversKnownCoefficients() throws {
        let truth = [-1.0, 0.8, -0.5, 0.0, 1.5]
        let n = 40_000
        var x = Matrix(rows: n, columns: 4)
        var y = [Double](repeating: 0, count: n)
        var rng = RandomStream(seed: 11, stream: .synthetic, entity: 1)
        for i in 0..<n {
            var eta = truth[0]
            for j in 0..<4 {
                x[i, j] = rng.normal() * Double(j + 1) + Double(j)   // different scales and means
                eta += truth[j + 1] * x[i, j]
            }
            y[i] = rng.uniform() < GLM.sigmoid(eta) ? 1 : 0
        }
        let fit = try GLM.fit(features: x, response: y, family: .binomial, options: .init(l2: 0))
        for j in 0..<5 {
            let z = (fit.coefficients[j] - truth[j]) / fit.standardErrors[j]
            #expect(abs(z) < 4, "coefficient \(j): \(fit.coefficients[j]) ± \(fit.standardErrors[j]), truth \(truth[j])")
        }
        // A warm start from the answer needs at most one step and lands on the same point.
        let again = try GLM.fit(features: x, response: y, family: .binomial, options: .init(l2: 0), warmStart: fit)
        #expect(again.iterations <= 1)
        for j in 0..<5 { #expect(abs(again.coefficients[j] - fit.coefficients[j]) < 1e-8) }
    }

    @Test("Degenerate data: a typed error or a regularised answer, never NaN")
    func degenerate() throws {
        let base = fixedDesign()
        let y = Self.labels.map { $0 == "1" ? 1.0 : 0.0 }
        // A constant column: coefficient 0, listed, the others unchanged.
        var constant = Matrix(rows: 300, columns: 4)
        for i in 0..<300 { for j in 0..<3 { constant[i, j] = base[i, j] }; constant[i, 3] = 5 }
        let c = try GLM.fit(features: constant, response: y, family: .binomial, options: .init(l2: 0, tolerance: 1e-12))
        #expect(c.constantColumns == [3] && c.coefficients[4] == 0)
        #expect(abs(c.coefficients[1] - 1.22653822) < 1e-6)
        // Two identical columns: an error without a penalty, a finite split with one.
        var twin = Matrix(rows: 300, columns: 4)
        for i in 0..<300 { for j in 0..<3 { twin[i, j] = base[i, j] }; twin[i, 3] = base[i, 0] }
        #expect(throws: ModelError.self) { try GLM.fit(features: twin, response: y, family: .binomial, options: .init(l2: 0)) }
        let ridge = try GLM.fit(features: twin, response: y, family: .binomial, options: .init(l2: 1))
        #expect(ridge.coefficients.allSatisfy { $0.isFinite } && ridge.standardErrors.allSatisfy { $0.isFinite })
        #expect(abs(ridge.coefficients[1] - ridge.coefficients[4]) < 1e-6)
        // Perfectly separable labels.
        let separable = (0..<300).map { base[$0, 0] > 0 ? 1.0 : 0.0 }
        #expect(throws: ModelError.perfectlySeparable) { try GLM.fit(features: base, response: separable, family: .binomial, options: .init(l2: 0)) }
        let penalised = try GLM.fit(features: base, response: separable, family: .binomial, options: .init(l2: 1))
        #expect(penalised.coefficients.allSatisfy { $0.isFinite })
        // Empty, non-finite, badly labelled.
        #expect(throws: ModelError.empty("no rows")) { try GLM.fit(features: Matrix(rows: 0, columns: 3), response: [], family: .binomial) }
        var nan = base
        nan[7, 2] = .nan
        #expect(throws: ModelError.notFinite(row: 7, column: 2)) { try GLM.fit(features: nan, response: y, family: .binomial) }
        var bad = y
        bad[3] = 2
        #expect(throws: ModelError.badLabel(row: 3, value: 2)) { try GLM.fit(features: base, response: bad, family: .binomial) }
        #expect(throws: ModelError.badLabel(row: 0, value: -1)) { try GLM.fit(features: base, response: [-1] + y.dropFirst(), family: .poisson) }
    }
}
