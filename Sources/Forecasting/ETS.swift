import Foundation
import WarRoomCore

/// Exponential smoothing in the innovations state-space form of Hyndman et al. (2008):
/// ETS(error, trend, season) with additive or multiplicative errors, no / additive / damped
/// trend and no / additive / multiplicative seasonality.
///
/// Smoothing parameters (α, β, γ, φ) are fitted by maximum likelihood with Nelder–Mead under
/// the usual bounds (0 < β < α, 0 < γ < 1 − α, 0.8 ≤ φ ≤ 0.98); initial states come from the
/// classical-decomposition heuristic of Hyndman et al. §2.6.1 (`optimiseInitialStates` fits
/// them too). `ETS.auto` fits every admissible model and keeps the one with the lowest AICc.
///
/// ```swift
/// let fit = try ETS.auto(series, period: 7)
/// let next28 = fit.forecast(horizon: 28)
/// ```
public enum ETS {
    /// Additive or multiplicative.
    public enum Kind: String, Sendable, Hashable { case none = "N", additive = "A", multiplicative = "M" }

    /// One ETS specification.
    public struct Model: Sendable, Hashable, CustomStringConvertible {
        /// Error type (additive or multiplicative).
        public var error: Kind
        /// Trend (none or additive).
        public var trend: Kind
        /// Whether the trend is damped.
        public var damped: Bool
        /// Season type.
        public var season: Kind
        /// Creates a model.
        public init(error: Kind, trend: Kind, damped: Bool = false, season: Kind) {
            self.error = error
            self.trend = trend
            self.damped = damped && trend != .none
            self.season = season
        }
        public var description: String { "ETS(\(error.rawValue),\(trend.rawValue)\(damped ? "d" : ""),\(season.rawValue))" }

        /// The fifteen admissible models (no multiplicative trend; no additive error with
        /// multiplicative season, which is numerically unstable), seasonal ones only when `seasonal`.
        public static func admissible(seasonal: Bool, positive: Bool) -> [Model] {
            var out: [Model] = []
            for error in [Kind.additive, .multiplicative] where error == .additive || positive {
                for (trend, damped) in [(Kind.none, false), (.additive, false), (.additive, true)] {
                    for season in [Kind.none, .additive, .multiplicative] {
                        if season != .none && !seasonal { continue }
                        if season == .multiplicative && (error == .additive || !positive) { continue }
                        out.append(Model(error: error, trend: trend, damped: damped, season: season))
                    }
                }
            }
            return out
        }
    }

    /// A fitted model: parameters, final states (for forecasting) and information criteria.
    public struct Fit: Sendable {
        public var model: Model
        public var period: Int
        public var alpha: Double, beta: Double, gamma: Double, phi: Double
        /// Initial level, trend and seasonal states.
        public var initialLevel: Double, initialTrend: Double, initialSeason: [Double]
        /// States after the last observation; `season[i]` belongs to times t with t % period == i.
        public var level: Double, trend: Double, season: [Double]
        /// Observations fitted.
        public var count: Int
        /// Log-likelihood (Gaussian innovations, σ² concentrated out).
        public var logLikelihood: Double
        /// Free parameters counted in the criteria (smoothing, initial states, σ²).
        public var parameterCount: Int
        /// Akaike's criterion and its small-sample correction.
        public var aic: Double, aicc: Double
        /// Innovation variance: of the absolute error (A) or of the relative error (M).
        public var sigma2: Double

        /// Point forecasts for the next `horizon` steps.
        public func forecast(horizon: Int) -> [Double] {
            var out = [Double](repeating: 0, count: max(0, horizon))
            var damp = 0.0, phiPower = 1.0
            for h in 0..<max(0, horizon) {
                phiPower *= model.damped ? phi : 1
                damp += phiPower
                let t = model.trend == .none ? level : level + damp * trend
                let s = season.isEmpty ? 0 : season[(count + h) % period]
                switch model.season {
                case .none: out[h] = t
                case .additive: out[h] = t + s
                case .multiplicative: out[h] = t * s
                }
            }
            return out
        }

        /// Quantile `q` of the h-step forecast, from a normal approximation whose variance grows
        /// as σ²(1 + (h − 1)α²) (exact for ETS(A,N,N); an approximation otherwise).
        public func quantile(_ q: Double, horizon: Int) -> [Double] {
            let z = Normal.quantile(q)
            return forecast(horizon: horizon).enumerated().map { i, f in
                let spread = (sigma2 * (1 + Double(i) * alpha * alpha)).squareRoot()
                return model.error == .multiplicative ? f * (1 + z * spread) : f + z * spread
            }
        }
    }

    /// Fits every admissible model and returns the one with the lowest AICc.
    ///
    /// - Throws: `ModelError.tooShort` for fewer than 4 points, `.notFinite` for NaNs.
    public static func auto(_ y: [Double], period: Int, models: [Model]? = nil, optimiseInitialStates: Bool = false) throws -> Fit {
        try check(y)
        let seasonal = period > 1 && y.count >= 2 * period + 2
        let positive = y.allSatisfy { $0 > 0 }
        let candidates = (models ?? Model.admissible(seasonal: seasonal, positive: positive))
            .filter { ($0.season == .none || seasonal) && (($0.error != .multiplicative && $0.season != .multiplicative) || positive) }
        guard !candidates.isEmpty else { throw ModelError.tooShort(needed: 2 * period + 2, got: y.count) }
        var best: Fit?
        for m in candidates {
            guard let f = try? fit(y, period: period, model: m, optimiseInitialStates: optimiseInitialStates) else { continue }
            if best == nil || f.aicc < best!.aicc { best = f }
        }
        guard let best else { throw ModelError.collinear("no ETS model could be fitted") }
        return best
    }

    /// Fits one model by maximum likelihood.
    public static func fit(_ y: [Double], period: Int, model: Model, optimiseInitialStates: Bool = false) throws -> Fit {
        try check(y)
        let m = model.season == .none ? 1 : period
        if model.season != .none && y.count < 2 * period + 2 { throw ModelError.tooShort(needed: 2 * period + 2, got: y.count) }
        if (model.error == .multiplicative || model.season == .multiplicative), let i = y.firstIndex(where: { $0 <= 0 }) {
            throw ModelError.dimensionMismatch("multiplicative models need positive data; point \(i) is \(y[i])")
        }
        let start = initialStates(y, period: m, model: model)
        let hasTrend = model.trend != .none, hasSeason = model.season != .none
        // Unbounded parameters u ↦ bounded α, β, γ, φ (and initial-state offsets when optimised).
        func decode(_ u: [Double]) -> (Double, Double, Double, Double, Double, Double, [Double]) {
            var k = 0
            let alpha = 1e-4 + 0.9998 * logistic(u[k]); k += 1
            var beta = 0.0, gamma = 0.0, phi = 1.0
            if hasTrend { beta = alpha * logistic(u[k]) * 0.9999; k += 1 }
            if hasSeason { gamma = (1 - alpha) * logistic(u[k]) * 0.9999; k += 1 }
            if model.damped { phi = 0.8 + 0.18 * logistic(u[k]); k += 1 }
            var l0 = start.level, b0 = start.trend, s0 = start.season
            if optimiseInitialStates {
                l0 += u[k] * start.scale; k += 1
                if hasTrend { b0 += u[k] * start.scale / 10; k += 1 }
                if hasSeason {
                    for i in 0..<(m - 1) { s0[i] += u[k] * (model.season == .multiplicative ? 0.1 : start.scale); k += 1 }
                    s0[m - 1] = model.season == .multiplicative ? Double(m) - s0.prefix(m - 1).reduce(0, +) : -s0.prefix(m - 1).reduce(0, +)
                }
            }
            return (alpha, beta, gamma, phi, l0, b0, s0)
        }
        var u0 = [logit(0.2)]
        if hasTrend { u0.append(logit(0.1)) }
        if hasSeason { u0.append(logit(0.1)) }
        if model.damped { u0.append(logit(0.5)) }
        if optimiseInitialStates { u0 += [Double](repeating: 0, count: 1 + (hasTrend ? 1 : 0) + (hasSeason ? m - 1 : 0)) }
        var buffer = [Double](repeating: 0, count: m)
        let objective: ([Double]) -> Double = { u in
            let (a, b, g, p, l0, b0, s0) = decode(u)
            return run(y, model: model, period: m, alpha: a, beta: b, gamma: g, phi: p, l0: l0, b0: b0, s0: s0, season: &buffer).objective
        }
        let nm = NelderMead(tolerance: 1e-7, maxEvaluations: optimiseInitialStates ? 20_000 : 300, step: 0.6)
        var best = nm.minimise(from: u0, objective)
        if optimiseInitialStates {
            // Restart once from the optimum: Nelder–Mead in many dimensions stalls early.
            best = nm.minimise(from: best.point, objective)
        }
        guard best.value.isFinite else { throw ModelError.collinear("\(model): no feasible parameters") }
        let (a, b, g, p, l0, b0, s0) = decode(best.point)
        let r = run(y, model: model, period: m, alpha: a, beta: b, gamma: g, phi: p, l0: l0, b0: b0, s0: s0, season: &buffer)
        let n = Double(y.count)
        let logL = -0.5 * (r.objective + n * (log(2 * Double.pi / n) + 1))
        let k = 1 + (hasTrend ? 1 : 0) + (hasSeason ? 1 : 0) + (model.damped ? 1 : 0) + 1 + (hasTrend ? 1 : 0) + (hasSeason ? m - 1 : 0) + 1
        let aic = -2 * logL + 2 * Double(k)
        let aicc = n - Double(k) - 1 > 0 ? aic + 2 * Double(k) * Double(k + 1) / (n - Double(k) - 1) : .infinity
        return Fit(model: model, period: m, alpha: a, beta: b, gamma: g, phi: p, initialLevel: l0, initialTrend: b0,
                   initialSeason: hasSeason ? s0 : [], level: r.level, trend: r.trend, season: hasSeason ? buffer : [],
                   count: y.count, logLikelihood: logL, parameterCount: k, aic: aic, aicc: aicc, sigma2: r.sse / n)
    }

    static func check(_ y: [Double]) throws {
        guard y.count >= 4 else { throw ModelError.tooShort(needed: 4, got: y.count) }
        if let i = y.firstIndex(where: { !$0.isFinite }) { throw ModelError.notFinite(row: i, column: 0) }
    }

    /// One pass of the recursion. The state updates are the same for additive and multiplicative
    /// errors (written with the additive error e = y − ŷ); only the likelihood differs.
    /// `objective` is n·log(Σe²) (+ 2Σlog ŷ for multiplicative errors), +∞ when infeasible.
    static func run(_ y: [Double], model: Model, period m: Int, alpha: Double, beta: Double, gamma: Double, phi: Double,
                    l0: Double, b0: Double, s0: [Double], season s: inout [Double]) -> (objective: Double, sse: Double, level: Double, trend: Double) {
        let hasTrend = model.trend != .none
        let phiEff = model.damped ? phi : 1
        let seasonKind = model.season
        let multiplicativeError = model.error == .multiplicative
        var l = l0, b = hasTrend ? b0 : 0
        for i in 0..<m { s[i] = seasonKind == .none ? 0 : s0[i] }
        // Σ log ŷ is taken as the log of running products (one log per ~dozens of steps, not per
        // step: the logarithm was a third of the fitting time).
        var sse = 0.0, sumLog = 0.0, product = 1.0
        var ok = true
        y.withUnsafeBufferPointer { yp in
            s.withUnsafeMutableBufferPointer { sp in
                var i = 0
                for t in 0..<yp.count {
                    let so = sp[i]
                    let trendPart = phiEff * b
                    let tt = l + trendPart
                    let yhat: Double
                    switch seasonKind {
                    case .none: yhat = tt
                    case .additive: yhat = tt + so
                    case .multiplicative: yhat = tt * so
                    }
                    let e = yp[t] - yhat
                    if multiplicativeError || seasonKind == .multiplicative {
                        if !(yhat > 0) || !(tt > 0) { ok = false; break }
                    }
                    if multiplicativeError {
                        let r = e / yhat
                        sse += r * r
                        product *= yhat
                        if product > 1e200 || product < 1e-200 { sumLog += log(product); product = 1 }
                    } else {
                        sse += e * e
                    }
                    if seasonKind == .multiplicative {
                        l = tt + alpha * e / so
                        b = trendPart + beta * e / so
                        sp[i] = so + gamma * e / tt
                    } else {
                        l = tt + alpha * e
                        b = trendPart + beta * e
                        if seasonKind == .additive { sp[i] = so + gamma * e }
                    }
                    i += 1
                    if i == m { i = 0 }
                }
            }
        }
        sumLog += log(product)
        if !ok || !sse.isFinite { return (.infinity, sse, l, b) }
        let n = Double(y.count)
        // A perfect fit (a constant series) keeps a finite likelihood: σ² is floored far below any noise.
        let objective = n * log(max(sse / n, 1e-300)) + (multiplicativeError ? 2 * sumLog : 0)
        return (objective, sse, l, hasTrend ? b : 0)
    }

    /// Initial level, trend and seasonal states from the first seasons (Hyndman et al. 2008, §2.6.1).
    static func initialStates(_ y: [Double], period m: Int, model: Model) -> (level: Double, trend: Double, season: [Double], scale: Double) {
        var season = [Double](repeating: model.season == .multiplicative ? 1 : 0, count: m)
        var adjusted = y
        if model.season != .none && m > 1 {
            // Centred moving average over the first (up to) twenty seasons, then seasonal indices
            // (four, as in the textbook, leave them too noisy for noisy daily sales).
            let span = min(y.count, 20 * m)
            var sums = [Double](repeating: 0, count: m), counts = [Double](repeating: 0, count: m)
            let half = m / 2
            for t in half..<(span - half) where t + half < y.count {
                var ma = 0.0
                if m % 2 == 1 {
                    for k in (t - half)...(t + half) { ma += y[k] }
                    ma /= Double(m)
                } else {
                    for k in (t - half)...(t + half) { ma += y[k] * ((k == t - half || k == t + half) ? 0.5 : 1) }
                    ma /= Double(m)
                }
                let ratio = model.season == .multiplicative ? (ma != 0 ? y[t] / ma : 1) : y[t] - ma
                sums[t % m] += ratio
                counts[t % m] += 1
            }
            for i in 0..<m { season[i] = counts[i] > 0 ? sums[i] / counts[i] : (model.season == .multiplicative ? 1 : 0) }
            let mean = season.reduce(0, +) / Double(m)
            for i in 0..<m { season[i] = model.season == .multiplicative ? season[i] / mean : season[i] - mean }
            for t in y.indices { adjusted[t] = model.season == .multiplicative ? y[t] / season[t % m] : y[t] - season[t % m] }
        }
        // Level and trend from a line through the first (up to) four seasons of adjusted points.
        let k = min(adjusted.count, max(10, 4 * m))
        var sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0
        for t in 0..<k {
            let x = Double(t + 1)
            sx += x; sy += adjusted[t]; sxx += x * x; sxy += x * adjusted[t]
        }
        let kd = Double(k)
        let slope = (kd * sxy - sx * sy) / max(kd * sxx - sx * sx, 1e-12)
        let intercept = (sy - slope * sx) / kd
        let level = model.trend == .none ? sy / kd : intercept
        let scale = max(abs(sy / kd), 1e-9) * 0.1
        return (level, model.trend == .none ? 0 : slope, season, scale)
    }
}

@inline(__always) func logistic(_ u: Double) -> Double { 1 / (1 + exp(-u)) }
@inline(__always) func logit(_ p: Double) -> Double { log(p / (1 - p)) }
