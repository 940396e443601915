import Foundation

/// The classical Holt-Winters method as R's `stats::HoltWinters` computes it: start values from
/// a classical decomposition of the first two seasons, smoothing parameters in [0, 1] chosen to
/// minimise the in-sample sum of squared one-step errors from the second season on.
///
/// ETS (see `ETS`) is the likelihood-based generalisation used for model selection; this is the
/// textbook method, kept so results can be checked against R's published output.
///
/// ```swift
/// let hw = try HoltWinters.fit(airPassengers, period: 12, seasonal: .multiplicative)
/// hw.forecast(horizon: 12)
/// ```
public struct HoltWinters: Sendable {
    /// Additive or multiplicative seasonality.
    public enum Seasonal: Sendable { case additive, multiplicative }

    public var alpha: Double, beta: Double, gamma: Double
    /// Level, trend and the next `period` seasonal factors after the last observation (R's a, b, s1…sp).
    public var level: Double, trend: Double, season: [Double]
    /// In-sample sum of squared one-step errors.
    public var sse: Double
    public var seasonal: Seasonal

    /// Point forecasts (a + h·b) combined with s_h.
    public func forecast(horizon: Int) -> [Double] {
        (1...max(1, horizon)).prefix(horizon).map { h in
            let s = season[(h - 1) % season.count]
            let base = level + Double(h) * trend
            return seasonal == .additive ? base + s : base * s
        }
    }

    /// Fits the method to `y` with seasonal period `period` (at least two full seasons plus one point).
    public static func fit(_ y: [Double], period f: Int, seasonal: Seasonal) throws -> HoltWinters {
        guard f >= 2 else { throw ModelError.dimensionMismatch("Holt-Winters needs a seasonal period of at least 2") }
        guard y.count >= 2 * f + 1 else { throw ModelError.tooShort(needed: 2 * f + 1, got: y.count) }
        if let i = y.firstIndex(where: { !$0.isFinite }) { throw ModelError.notFinite(row: i, column: 0) }
        if seasonal == .multiplicative, let i = y.firstIndex(where: { $0 <= 0 }) {
            throw ModelError.dimensionMismatch("multiplicative seasonality needs positive data; point \(i) is \(y[i])")
        }
        // Classical decomposition of the first two seasons (R's `decompose`).
        let first = Array(y.prefix(2 * f))
        var trendMA = [Double?](repeating: nil, count: first.count)
        let half = f / 2
        for t in half..<(first.count - half) {
            var s = 0.0
            if f % 2 == 0 {
                for k in (t - half)...(t + half) { s += first[k] * ((k == t - half || k == t + half) ? 0.5 : 1) }
            } else {
                for k in (t - half)...(t + half) { s += first[k] }
            }
            trendMA[t] = s / Double(f)
        }
        var figure = [Double](repeating: 0, count: f)
        for i in 0..<f {
            var s = 0.0, n = 0.0
            var t = i
            while t < first.count {
                if let m = trendMA[t] { s += seasonal == .additive ? first[t] - m : first[t] / m; n += 1 }
                t += f
            }
            figure[i] = n > 0 ? s / n : (seasonal == .additive ? 0 : 1)
        }
        let mean = figure.reduce(0, +) / Double(f)
        figure = figure.map { seasonal == .additive ? $0 - mean : $0 / mean }
        // Level and trend: a line through the moving average (R: .lm.fit on seq_along).
        let trendValues = trendMA.compactMap { $0 }
        let n = Double(trendValues.count)
        var sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0
        for (k, v) in trendValues.enumerated() {
            let x = Double(k + 1)
            sx += x; sy += v; sxx += x * x; sxy += x * v
        }
        let b0 = (n * sxy - sx * sy) / (n * sxx - sx * sx)
        let l0 = (sy - b0 * sx) / n

        func run(_ a: Double, _ b: Double, _ g: Double) -> (sse: Double, level: Double, trend: Double, season: [Double]) {
            var level = l0, trend = b0
            var season = figure
            var sse = 0.0
            for i in f..<y.count {
                let j = (i - f) % f
                let stmp = season[j]
                let xhat = seasonal == .additive ? level + trend + stmp : (level + trend) * stmp
                let res = y[i] - xhat
                sse += res * res
                let newLevel = seasonal == .additive ? a * (y[i] - stmp) + (1 - a) * (level + trend)
                    : a * (y[i] / stmp) + (1 - a) * (level + trend)
                trend = b * (newLevel - level) + (1 - b) * trend
                level = newLevel
                season[j] = seasonal == .additive ? g * (y[i] - level) + (1 - g) * stmp : g * (y[i] / level) + (1 - g) * stmp
            }
            // Rotate so that season[0] belongs to the step after the last observation.
            let next = (y.count - f) % f
            return (sse, level, trend, Array(season[next...] + season[..<next]))
        }
        // Parameters in [0, 1] through a logistic map; R's start (0.3, 0.1, 0.1).
        let nm = NelderMead(tolerance: 1e-12, maxEvaluations: 5000, step: 0.5)
        var best = nm.minimise(from: [logit(0.3), logit(0.1), logit(0.1)]) { u in run(logistic(u[0]), logistic(u[1]), logistic(u[2])).sse }
        best = nm.minimise(from: best.point) { u in run(logistic(u[0]), logistic(u[1]), logistic(u[2])).sse }
        let (a, b, g) = (logistic(best.point[0]), logistic(best.point[1]), logistic(best.point[2]))
        let r = run(a, b, g)
        return HoltWinters(alpha: a, beta: b, gamma: g, level: r.level, trend: r.trend, season: r.season, sse: r.sse, seasonal: seasonal)
    }
}
