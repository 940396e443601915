import Foundation

/// Metrics of probabilistic classifiers as DESIGN.md defines them.
public enum ClassificationMetrics {
    /// One reliability bin: predicted against observed frequency.
    public struct Bin: Sendable, Equatable {
        /// Rows in the bin.
        public var count: Int
        /// Mean predicted probability.
        public var predicted: Double
        /// Observed share of positives.
        public var observed: Double
    }

    /// ROC AUC by the rank-sum (Mann–Whitney) formula, ties given half credit; nil without
    /// both classes.
    public static func auc(scores: [Double], labels: [Double]) -> Double? {
        precondition(scores.count == labels.count)
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSumPositive = 0.0
        var positives = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let midRank = Double(i + j) / 2 + 1
            for k in i...j where labels[order[k]] == 1 { rankSumPositive += midRank; positives += 1 }
            i = j + 1
        }
        let negatives = Double(scores.count) - positives
        guard positives > 0, negatives > 0 else { return nil }
        return (rankSumPositive - positives * (positives + 1) / 2) / (positives * negatives)
    }

    /// Mean log loss, probabilities clipped to [1e-15, 1 − 1e-15].
    public static func logLoss(probabilities p: [Double], labels y: [Double]) -> Double? {
        guard !p.isEmpty, p.count == y.count else { return nil }
        var s = 0.0
        for i in p.indices {
            let q = min(max(p[i], 1e-15), 1 - 1e-15)
            s -= y[i] == 1 ? log(q) : log(1 - q)
        }
        return s / Double(p.count)
    }

    /// Brier score: mean squared difference of probability and label.
    public static func brier(probabilities p: [Double], labels y: [Double]) -> Double? {
        guard !p.isEmpty, p.count == y.count else { return nil }
        var s = 0.0
        for i in p.indices { s += (p[i] - y[i]) * (p[i] - y[i]) }
        return s / Double(p.count)
    }

    /// Reliability bins of equal count (rows sorted by probability, split into `bins` groups).
    public static func reliability(probabilities p: [Double], labels y: [Double], bins: Int = 10) -> [Bin] {
        guard !p.isEmpty, p.count == y.count, bins > 0 else { return [] }
        let order = p.indices.sorted { p[$0] < p[$1] }
        var out: [Bin] = []
        for b in 0..<bins {
            let lo = b * order.count / bins, hi = (b + 1) * order.count / bins
            if hi <= lo { continue }
            var sp = 0.0, sy = 0.0
            for k in lo..<hi { sp += p[order[k]]; sy += y[order[k]] }
            let n = Double(hi - lo)
            out.append(Bin(count: hi - lo, predicted: sp / n, observed: sy / n))
        }
        return out
    }

    /// Expected calibration error: Σ (bin share) · |mean predicted − observed| over equal-count bins.
    public static func ece(probabilities p: [Double], labels y: [Double], bins: Int = 10) -> Double? {
        let r = reliability(probabilities: p, labels: y, bins: bins)
        guard !r.isEmpty else { return nil }
        let n = Double(p.count)
        return r.reduce(0) { $0 + Double($1.count) / n * abs($1.predicted - $1.observed) }
    }

    /// Top-decile lift: the positive rate among the 10% highest scores over the overall rate.
    public static func topDecileLift(scores: [Double], labels y: [Double]) -> Double? {
        guard !scores.isEmpty, scores.count == y.count else { return nil }
        let base = y.reduce(0, +) / Double(y.count)
        guard base > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let k = max(1, order.count / 10)
        var hits = 0.0
        for i in 0..<k { hits += y[order[i]] }
        return hits / Double(k) / base
    }

    /// The ROC curve as (false-positive rate, true-positive rate) points, at most `points` + 1
    /// of them (evenly spaced in rank), from (0, 0) to (1, 1).
    public static func roc(scores: [Double], labels y: [Double], points: Int = 100) -> [(fpr: Double, tpr: Double)] {
        let positives = y.reduce(0, +), negatives = Double(y.count) - positives
        guard positives > 0, negatives > 0 else { return [] }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var out: [(fpr: Double, tpr: Double)] = [(0, 0)]
        var tp = 0.0, fp = 0.0
        let every = max(1, order.count / max(1, points))
        for (k, i) in order.enumerated() {
            if y[i] == 1 { tp += 1 } else { fp += 1 }
            if (k + 1) % every == 0 || k == order.count - 1 { out.append((fp / negatives, tp / positives)) }
        }
        return out
    }
}
