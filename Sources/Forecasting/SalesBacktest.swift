import Foundation

/// A rolling-origin backtest of sales forecasters on a panel: at each origin every model
/// forecasts the next `horizon` steps from what was observed before it, and the forecasts are
/// scored against what happened (and beside the oracle's, when one is given).
public struct SalesBacktest: Sendable {
    /// The scores of one model over the whole backtest.
    public struct Score: Sendable {
        /// Model name.
        public var name: String
        /// WAPE = Σ|y − ŷ| / Σ|y| and accuracy = 1 − WAPE, all origins, series and steps pooled.
        public var wape: Double, accuracy: Double
        /// MASE (seasonal naive scale with m = the panel's season, from each origin's history), mean over series × origins.
        public var mase: Double?
        /// Bias Σ(ŷ − y) / Σ|y|.
        public var bias: Double
        /// Mean pinball loss of P10, P50, P90, divided by the mean actual (so it reads as a share).
        public var pinball10: Double?, pinball50: Double?, pinball90: Double?
        /// Share of actuals inside [P10, P90] (nominal 80 %).
        public var coverage80: Double?
        /// Accuracy by horizon step (1…horizon).
        public var accuracyByHorizon: [Double]
        /// Accuracy by group (e.g. region), in the panel's group order.
        public var accuracyByGroup: [Double]
        /// Wall seconds spent fitting and forecasting over all origins.
        public var fitSeconds: Double
    }

    /// Forecast origins (time-step indices; each forecasts origin … origin + horizon − 1).
    public var origins: [Int]
    /// Steps ahead.
    public var horizon: Int
    /// Scores, in the order the models were given.
    public var scores: [Score]
    /// The oracle's score (its forecast is the true expected value), when one was given.
    public var oracle: Score?
    /// Other evaluation-only references scored like the oracle (e.g. the expected values of the
    /// same world without its shocks), by name.
    public var references: [(name: String, score: Score)]
    /// Every model's forecasts, by model, then origin.
    public var forecasts: [[SalesForecast]]

    /// Observations a series needs before its first forecast origin: two seasons for seasonal
    /// ETS, and a level window, a horizon and a season of training for the global models.
    public static func historyNeeded(season: Int, horizon: Int) -> Int {
        max(2 * season + 2, SalesFeatures.levelWindow(season: season) + horizon + season)
    }

    /// Runs the backtest.
    ///
    /// - Parameters:
    ///   - oracle: the true expected value of every series and step (simulated data only).
    ///   - references: other named expected values, scored as forecasts like the oracle.
    ///   - combinations: named equal-weight averages of the given models' forecasts (means and
    ///     quantiles averaged), scored like models; their fit time is the sum of their members'.
    public static func run(panel: SalesPanel, models: [any SalesForecaster], origins: [Int], horizon: Int,
                           oracle: [[Double]]? = nil, references: [(name: String, expected: [[Double]])] = [],
                           combinations: [(name: String, members: [String])] = []) throws -> SalesBacktest {
        guard panel.count > 0 else { throw ModelError.empty("no series") }
        guard horizon >= 1 else { throw ModelError.dimensionMismatch("horizon must be at least 1") }
        for o in origins where o < max(1, panel.season) || o + horizon > panel.length {
            throw ModelError.dimensionMismatch("origin \(o) with horizon \(horizon) does not fit a panel of \(panel.length) steps")
        }
        var scores: [Score] = [], all: [[SalesForecast]] = []
        for model in models {
            let clock = DispatchTime.now().uptimeNanoseconds
            var perOrigin: [SalesForecast] = []
            for o in origins { perOrigin.append(try model.forecast(panel, origin: o, horizon: horizon)) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
            scores.append(score(name: model.name, panel: panel, origins: origins, horizon: horizon, forecasts: perOrigin, seconds: seconds))
            all.append(perOrigin)
        }
        for (name, members) in combinations {
            let indices = members.compactMap { m in models.firstIndex { $0.name == m } }
            guard indices.count == members.count, !indices.isEmpty else {
                throw ModelError.dimensionMismatch("combination \(name) names a model that was not run")
            }
            let combined = origins.indices.map { k -> SalesForecast in
                func average(_ pick: (SalesForecast) -> [[Double]]) -> [[Double]] {
                    let parts = indices.map { pick(all[$0][k]) }
                    return parts[0].indices.map { s in parts[0][s].indices.map { h in parts.reduce(0) { $0 + $1[s][h] } / Double(parts.count) } }
                }
                // A band only some members have (none asked for) is left out.
                let bands = all[indices[0]][k].bands.keys.filter { q in indices.allSatisfy { all[$0][k].bands[q] != nil } }
                return SalesForecast(mean: average(\.mean), p10: average(\.p10), p50: average(\.p50), p90: average(\.p90),
                                     bands: Dictionary(uniqueKeysWithValues: bands.map { q in (q, average { $0.bands[q]! }) }))
            }
            let seconds = indices.reduce(0) { $0 + scores[$1].fitSeconds }
            scores.append(score(name: name, panel: panel, origins: origins, horizon: horizon, forecasts: combined, seconds: seconds))
            all.append(combined)
        }
        // Expected values are point forecasts: no quantiles to score.
        func expectedScore(_ name: String, _ expected: [[Double]]) throws -> Score {
            guard expected.count == panel.count, expected.allSatisfy({ $0.count >= panel.length }) else {
                throw ModelError.dimensionMismatch("\(name) has \(expected.count) series for a panel of \(panel.count) × \(panel.length)")
            }
            let f = origins.map { o in
                let mean = expected.map { Array($0[o..<(o + horizon)]) }
                return SalesForecast(mean: mean, p10: mean, p50: mean, p90: mean)
            }
            var s = score(name: name, panel: panel, origins: origins, horizon: horizon, forecasts: f, seconds: 0)
            s.pinball10 = nil; s.pinball90 = nil; s.coverage80 = nil
            return s
        }
        let oracleScore = try oracle.map { try expectedScore("oracle", $0) }
        let referenceScores = try references.map { (name: $0.name, score: try expectedScore($0.name, $0.expected)) }
        return SalesBacktest(origins: origins, horizon: horizon, scores: scores, oracle: oracleScore, references: referenceScores, forecasts: all)
    }

    static func score(name: String, panel: SalesPanel, origins: [Int], horizon: Int, forecasts: [SalesForecast], seconds: Double) -> Score {
        var absErr = 0.0, absY = 0.0, signed = 0.0
        var byH = [(Double, Double)](repeating: (0, 0), count: horizon)
        var byG = [(Double, Double)](repeating: (0, 0), count: panel.groupNames.count)
        var pin = [0.0, 0.0, 0.0], inside = 0, points = 0
        var maseSum = 0.0, maseCount = 0
        let m = max(1, panel.season)
        for (k, o) in origins.enumerated() {
            let f = forecasts[k]
            for s in 0..<panel.count {
                let y = panel.values[s]
                var seriesErr = 0.0, seriesN = 0
                for h in 0..<horizon {
                    let actual = y[o + h]
                    guard actual.isFinite else { continue }
                    let e = abs(actual - f.mean[s][h])
                    absErr += e; absY += abs(actual); signed += f.mean[s][h] - actual
                    byH[h].0 += e; byH[h].1 += abs(actual)
                    byG[panel.groups[s]].0 += e; byG[panel.groups[s]].1 += abs(actual)
                    for (i, (q, tau)) in [(f.p10[s][h], 0.1), (f.p50[s][h], 0.5), (f.p90[s][h], 0.9)].enumerated() {
                        let d = actual - q
                        pin[i] += d >= 0 ? tau * d : (tau - 1) * d
                    }
                    if actual >= f.p10[s][h] && actual <= f.p90[s][h] { inside += 1 }
                    points += 1
                    seriesErr += e; seriesN += 1
                }
                // MASE scale: in-sample seasonal naive error on the history before the origin.
                var scale = 0.0, n = 0
                for t in m..<o where y[t].isFinite && y[t - m].isFinite { scale += abs(y[t] - y[t - m]); n += 1 }
                if n > 0 && scale > 0 && seriesN > 0 {
                    maseSum += (seriesErr / Double(seriesN)) / (scale / Double(n))
                    maseCount += 1
                }
            }
        }
        let meanY = points > 0 ? absY / Double(points) : 0
        let wape = absY > 0 ? absErr / absY : .nan
        func share(_ x: Double) -> Double? { points > 0 && meanY > 0 ? x / Double(points) / meanY : nil }
        return Score(name: name, wape: wape, accuracy: 1 - wape, mase: maseCount > 0 ? maseSum / Double(maseCount) : nil,
                     bias: absY > 0 ? signed / absY : .nan,
                     pinball10: share(pin[0]), pinball50: share(pin[1]), pinball90: share(pin[2]),
                     coverage80: points > 0 ? Double(inside) / Double(points) : nil,
                     accuracyByHorizon: byH.map { $0.1 > 0 ? 1 - $0.0 / $0.1 : .nan },
                     accuracyByGroup: byG.map { $0.1 > 0 ? 1 - $0.0 / $0.1 : .nan },
                     fitSeconds: seconds)
    }
}
