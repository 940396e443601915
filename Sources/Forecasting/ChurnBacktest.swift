import Foundation
import Linalg
import WarRoomCore

/// A rolling backtest of the churn model with weekly refits: for each test week the model is
/// refitted (warm-started from the previous week) on every snapshot whose 30-day label was
/// already known, then scores that week's snapshots.
public struct ChurnBacktest: Sendable {
    /// Classifier scores on the pooled test snapshots.
    public struct Score: Sendable {
        public var auc: Double?, logLoss: Double?, brier: Double?, ece: Double?, topDecileLift: Double?
        /// Reliability bins (10 of equal count).
        public var reliability: [ClassificationMetrics.Bin]
        /// ROC curve points.
        public var roc: [(fpr: Double, tpr: Double)]

        init(probabilities p: [Double], labels y: [Double]) {
            auc = ClassificationMetrics.auc(scores: p, labels: y)
            logLoss = ClassificationMetrics.logLoss(probabilities: p, labels: y)
            brier = ClassificationMetrics.brier(probabilities: p, labels: y)
            ece = ClassificationMetrics.ece(probabilities: p, labels: y)
            topDecileLift = ClassificationMetrics.topDecileLift(scores: p, labels: y)
            reliability = ClassificationMetrics.reliability(probabilities: p, labels: y)
            roc = ClassificationMetrics.roc(scores: p, labels: y)
        }
    }

    /// Days of the test snapshots.
    public var testDays: [Int32]
    /// Label horizon in days.
    public var horizonDays: Int32
    /// Training rows of the last refit, and test rows in all.
    public var trainingRows: Int, testRows: Int
    /// Share of test snapshots lost within the horizon.
    public var positiveRate: Double
    /// The model's score.
    public var model: Score
    /// The oracle's score (true probabilities), when given.
    public var oracle: Score?
    /// Other evaluation-only references (e.g. the oracle without a latent trait), by name.
    public var references: [(name: String, score: Score)]
    /// Baseline: the training base rate for everyone (AUC 0.5 by construction).
    public var baseRate: Score
    /// Baseline: recency only (days since the last order) through the same logistic fit.
    public var recencyOnly: Score
    /// The last refit.
    public var lastFit: GLM
    /// Feature names of `lastFit`'s coefficients (after the intercept).
    public var featureNames: [String]
    /// Wall seconds of every refit, in order.
    public var fitSeconds: [Double]
    /// Newton iterations of every refit (warm starts need fewer).
    public var iterations: [Int]

    /// Runs the backtest.
    ///
    /// - Parameters:
    ///   - snapshots: all weekly snapshots, any order.
    ///   - lostDay: the day each customer was lost (observable: the CRM records it), if any.
    ///   - oracle: the true probability of each snapshot's label (NaN when unknown); evaluation only.
    public static func run(snapshots: [CustomerSnapshot], lostDay: [Int64: Int32], features: ChurnFeatures, testDays: [Int32],
                           horizonDays: Int32 = 30, l2: Double = 1, oracle: [Double]? = nil,
                           references: [(name: String, probabilities: [Double])] = []) throws -> ChurnBacktest {
        guard !snapshots.isEmpty else { throw ModelError.empty("no customer snapshots") }
        guard !testDays.isEmpty else { throw ModelError.empty("no test weeks (the live window is shorter than the label horizon)") }
        let x = features.matrix(snapshots)
        let labels = snapshots.map { s -> Double in
            guard let l = lostDay[s.customer] else { return 0 }
            return l > s.day && l <= s.day + horizonDays ? 1 : 0
        }
        var previous: GLM?, previousRecency: GLM?
        var probabilities: [Double] = [], testLabels: [Double] = [], oracleProbabilities: [Double] = []
        var recencyScores: [Double] = [], baseScores: [Double] = []
        var referenceScores = [[Double]](repeating: [], count: references.count)
        var times: [Double] = [], iterations: [Int] = []
        var trainingRows = 0
        for day in testDays.sorted() {
            let train = snapshots.indices.filter { snapshots[$0].day + horizonDays <= day }
            let test = snapshots.indices.filter { snapshots[$0].day == day }
            guard !train.isEmpty, !test.isEmpty else { continue }
            let xt = x.selecting(rows: train), xs = x.selecting(rows: test)
            let yt = train.map { labels[$0] }
            let clock = DispatchTime.now().uptimeNanoseconds
            let fit = try GLM.fit(features: xt, response: yt, family: .binomial, options: .init(l2: l2), warmStart: previous)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9)
            iterations.append(fit.iterations)
            previous = fit
            trainingRows = train.count
            probabilities += try fit.predict(xs)
            testLabels += test.map { labels[$0] }
            if let oracle { oracleProbabilities += test.map { oracle[$0] } }
            for r in references.indices { referenceScores[r] += test.map { references[r].probabilities[$0] } }
            // Baselines.
            let rate = yt.reduce(0, +) / Double(yt.count)
            baseScores += [Double](repeating: rate, count: test.count)
            let rt = x.selecting(rows: train, columns: [0]), rs = x.selecting(rows: test, columns: [0])
            let recency = try GLM.fit(features: rt, response: yt, family: .binomial, options: .init(l2: l2), warmStart: previousRecency)
            previousRecency = recency
            recencyScores += try recency.predict(rs)
        }
        guard let lastFit = previous else { throw ModelError.empty("no test week had both training and test snapshots") }
        var oracleScore: Score?
        if oracle != nil {
            let known = oracleProbabilities.indices.filter { oracleProbabilities[$0].isFinite }
            oracleScore = Score(probabilities: known.map { oracleProbabilities[$0] }, labels: known.map { testLabels[$0] })
        }
        let scoredReferences = references.indices.map { r -> (name: String, score: Score) in
            let known = referenceScores[r].indices.filter { referenceScores[r][$0].isFinite }
            return (references[r].name, Score(probabilities: known.map { referenceScores[r][$0] }, labels: known.map { testLabels[$0] }))
        }
        return ChurnBacktest(testDays: testDays, horizonDays: horizonDays, trainingRows: trainingRows, testRows: testLabels.count,
                             positiveRate: testLabels.reduce(0, +) / Double(max(1, testLabels.count)),
                             model: Score(probabilities: probabilities, labels: testLabels), oracle: oracleScore, references: scoredReferences,
                             baseRate: Score(probabilities: baseScores, labels: testLabels),
                             recencyOnly: Score(probabilities: recencyScores, labels: testLabels),
                             lastFit: lastFit, featureNames: features.names, fitSeconds: times, iterations: iterations)
    }
}
