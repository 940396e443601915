import Foundation
import Forecasting
import Testing
import WarRoomCore

@Suite("Classification metrics")
struct ClassificationMetricsTests {
    @Test("AUC, log loss, Brier, ECE and lift against hand-computed values")
    func handComputed() throws {
        // Positives scored 0.8, 0.4 (tie with a negative), negatives 0.4, 0.2:
        // pairs (pos, neg): (0.8, 0.4) 1, (0.8, 0.2) 1, (0.4, 0.4) ½, (0.4, 0.2) 1 → 3.5 / 4.
        let p = [0.8, 0.4, 0.4, 0.2], y = [1.0, 1, 0, 0]
        #expect(ClassificationMetrics.auc(scores: p, labels: y) == 0.875)
        #expect(ClassificationMetrics.auc(scores: p, labels: [1, 1, 1, 1]) == nil)
        let brier = try #require(ClassificationMetrics.brier(probabilities: p, labels: y))
        #expect(abs(brier - (0.04 + 0.36 + 0.16 + 0.04) / 4) < 1e-12)
        let logLoss = try #require(ClassificationMetrics.logLoss(probabilities: p, labels: y))
        #expect(abs(logLoss - (-(log(0.8) + log(0.4) + log(0.6) + log(0.8)) / 4)) < 1e-12)
        // Two bins of two: mean p 0.3 vs observed 0.5, mean p 0.6 vs observed 0.5 → ECE = ½·0.2 + ½·0.1.
        let ece = try #require(ClassificationMetrics.ece(probabilities: p, labels: y, bins: 2))
        #expect(abs(ece - 0.15) < 1e-12)
        // Top decile of 20 rows = 2 rows, both positive; base rate 0.25 → lift 4.
        let scores = (0..<20).map { Double($0) }
        let labels = (0..<20).map { $0 >= 18 || $0 == 3 || $0 == 5 || $0 == 7 ? 1.0 : 0 }
        #expect(ClassificationMetrics.topDecileLift(scores: scores, labels: labels) == 4)
        let roc = ClassificationMetrics.roc(scores: p, labels: y)
        #expect(roc.first! == (0, 0) && roc.last! == (1, 1))
    }

    @Test("The standard normal quantile matches published values")
    func normalQuantile() {
        #expect(abs(Normal.quantile(0.975) - 1.959963984540054) < 1e-12)
        #expect(abs(Normal.quantile(0.1) + 1.2815515655446004) < 1e-12)
        #expect(abs(Normal.quantile(0.5)) < 1e-15)
        #expect(abs(Normal.quantile(1e-6) + 4.753424308822899) < 1e-9)
    }
}

@Suite("Student's t quantiles")
struct StudentTTests {
    @Test("t(0.975) for 1, 2, 4, 9 and 29 degrees of freedom matches published tables")
    func published() {
        for (df, t) in [(1, 12.7062047), (2, 4.30265273), (4, 2.77644511), (9, 2.26215716), (29, 2.04522964)] {
            #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: df) - t) < 1e-6, "df \(df)")
        }
    }
}
