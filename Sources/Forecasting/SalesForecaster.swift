import Foundation
import Linalg
import WarRoomCore

/// Forecasts of every series of a panel from one origin: mean and P10/P50/P90, by series then
/// horizon step, and any further quantiles asked for.
public struct SalesForecast: Sendable {
    /// Point forecast (the model's mean).
    public var mean: [[Double]]
    /// Quantiles 10 %, 50 %, 90 %.
    public var p10: [[Double]], p50: [[Double]], p90: [[Double]]
    /// The further quantiles asked for (`SalesForecaster.forecast(_:origin:horizon:bands:)`), by
    /// probability: 0.025 and 0.975 bound a 95 % interval.
    public var bands: [Double: [[Double]]] = [:]

    /// Creates a forecast.
    public init(mean: [[Double]], p10: [[Double]], p50: [[Double]], p90: [[Double]], bands: [Double: [[Double]]] = [:]) {
        self.mean = mean; self.p10 = p10; self.p50 = p50; self.p90 = p90; self.bands = bands
    }

    /// The two quantiles that bound the central `level` % interval (80: 0.1 and 0.9).
    public static func bounds(level: Double) -> (lo: Double, hi: Double) { ((100 - level) / 200, 1 - (100 - level) / 200) }
}

/// A sales-forecast model evaluated by the backtest.
public protocol SalesForecaster: Sendable {
    /// Short name used in reports and JSON keys.
    var name: String { get }
    /// Forecasts steps origin … origin + horizon − 1 from the observations before `origin`, with
    /// the quantiles `bands` (probabilities in (0, 1)) besides P10/P50/P90.
    func forecast(_ panel: SalesPanel, origin: Int, horizon: Int, bands: [Double]) throws -> SalesForecast
}

extension SalesForecaster {
    /// Forecasts with P10/P50/P90 only.
    public func forecast(_ panel: SalesPanel, origin: Int, horizon: Int) throws -> SalesForecast {
        try forecast(panel, origin: origin, horizon: horizon, bands: [])
    }
}

/// Empirical quantiles of actual / forecast ratios per horizon step, from training residuals:
/// the bands of the global models and the seasonal naive.
struct RatioQuantiles {
    /// Each step's ratios, sorted.
    var sorted: [[Double]]

    init(ratios: [[Double]]) { sorted = ratios.map { $0.sorted() } }

    /// The `p` quantile of each step's ratios (linear between order statistics; 1 without any).
    func ratio(_ p: Double) -> [Double] {
        sorted.map { s in
            if s.isEmpty { return 1 }
            let pos = p * Double(s.count - 1)
            let lo = Int(pos), hi = min(lo + 1, s.count - 1)
            return s[lo] + (pos - Double(lo)) * (s[hi] - s[lo])
        }
    }

    func apply(_ mean: [[Double]], bands: [Double] = []) -> SalesForecast {
        func scaled(_ p: Double) -> [[Double]] {
            let r = ratio(p)
            return mean.map { $0.enumerated().map { $0.element * r[$0.offset] } }
        }
        return SalesForecast(mean: mean, p10: scaled(0.1), p50: scaled(0.5), p90: scaled(0.9),
                             bands: Dictionary(bands.map { ($0, scaled($0)) }, uniquingKeysWith: { a, _ in a }))
    }
}

/// Seasonal naive: each step repeats the last observed value at the same season position.
public struct SeasonalNaiveForecaster: SalesForecaster {
    public var name: String { "seasonal_naive" }
    /// Creates the model.
    public init() {}

    public func forecast(_ panel: SalesPanel, origin: Int, horizon: Int, bands: [Double]) throws -> SalesForecast {
        let m = max(1, panel.season)
        guard origin >= m else { throw ModelError.tooShort(needed: m, got: origin) }
        // The value one (or more) seasons back; where a series has none (it ended, or starts
        // late), its last value before the origin.
        func naive(_ y: [Double], _ o: Int, _ h: Int) -> Double {
            let back = ((h - 1) / m + 1) * m
            let v = y[o + h - 1 - back]
            if v.isFinite { return v }
            return y[..<o].last(where: \.isFinite) ?? 0
        }
        let mean = panel.values.map { y in (1...horizon).map { naive(y, origin, $0) } }
        // Bands from the naive's own errors over the last 8 seasons' worth of origins.
        var ratios = [[Double]](repeating: [], count: horizon)
        for y in panel.values {
            var o = origin - horizon
            var k = 0
            while o >= m + horizon && k < 8 {
                for h in 1...horizon {
                    let f = naive(y, o, h)
                    if f > 0 && y[o + h - 1].isFinite { ratios[h - 1].append(y[o + h - 1] / f) }
                }
                o -= m; k += 1
            }
        }
        return RatioQuantiles(ratios: ratios).apply(mean, bands: bands)
    }
}

/// ETS with model selection by AICc, one fit per series on all cores.
public struct ETSForecaster: SalesForecaster {
    public var name: String { "ets" }
    /// Use at most this many of the latest observations (older ones add little to ETS).
    public var maxHistory: Int
    /// Creates the model.
    public init(maxHistory: Int = 730) { self.maxHistory = maxHistory }

    public func forecast(_ panel: SalesPanel, origin: Int, horizon: Int, bands: [Double]) throws -> SalesForecast {
        let m = max(1, panel.season)
        // Each series' own latest stretch of observations before the origin (a series may end
        // earlier than others: its forecast then runs on from its own end).
        let fits = parallelMap(panel.count) { s -> (fit: ETS.Fit, gap: Int)? in
            let values = panel.values[s]
            var end = origin
            while end > 0 && !values[end - 1].isFinite { end -= 1 }
            var begin = end
            while begin > max(0, end - maxHistory) && values[begin - 1].isFinite { begin -= 1 }
            guard let fit = try? ETS.auto(Array(values[begin..<end]), period: m) else { return nil }
            return (fit, origin - end)
        }
        var out = SalesForecast(mean: [], p10: [], p50: [], p90: [], bands: Dictionary(bands.map { ($0, [[Double]]()) }, uniquingKeysWith: { a, _ in a }))
        for (s, result) in fits.enumerated() {
            if let (fit, gap) = result {
                out.mean.append(fit.forecast(horizon: horizon + gap).suffix(horizon).map { max(0, $0) })
                out.p10.append(fit.quantile(0.1, horizon: horizon + gap).suffix(horizon).map { max(0, $0) })
                out.p50.append(out.mean[s])
                out.p90.append(fit.quantile(0.9, horizon: horizon + gap).suffix(horizon).map { max(0, $0) })
                for q in out.bands.keys { out.bands[q]!.append(fit.quantile(q, horizon: horizon + gap).suffix(horizon).map { max(0, $0) }) }
            } else {
                // Too short or degenerate: the last value, flat.
                let last = panel.values[s][..<origin].last(where: \.isFinite) ?? 0
                let flat = [Double](repeating: last.isFinite ? last : 0, count: horizon)
                out.mean.append(flat); out.p10.append(flat); out.p50.append(flat); out.p90.append(flat)
                for q in out.bands.keys { out.bands[q]!.append(flat) }
            }
        }
        return out
    }
}

/// The global models: one model over all series on lag, calendar and covariate features, either
/// a linear regression of y / L solved by least squares (LAPACK `gelsd`), or a Poisson GLM of y
/// with offset log L fitted by the IRLS of `GLM`.
public struct GlobalForecaster: SalesForecaster {
    /// Which global model.
    public enum Kind: String, Sendable { case regression, glm }
    /// The model.
    public var kind: Kind
    /// Training origins at most (one per season step, newest first).
    public var maxTrainingOrigins: Int
    /// Feature names of the last fit (for reports).
    public var name: String { kind.rawValue }
    /// Creates the model.
    public init(_ kind: Kind, maxTrainingOrigins: Int = 52) {
        self.kind = kind
        self.maxTrainingOrigins = maxTrainingOrigins
    }

    /// With no training rows at all (every series' level is zero, or too little history), the
    /// seasonal naive's forecast, rather than no forecast.
    public func forecast(_ panel: SalesPanel, origin: Int, horizon: Int, bands: [Double]) throws -> SalesForecast {
        do {
            return try fitAndForecast(panel, origin: origin, horizon: horizon, bands: bands).forecast
        } catch ModelError.tooShort {
            return try SeasonalNaiveForecaster().forecast(panel, origin: origin, horizon: horizon, bands: bands)
        }
    }

    /// The forecast and the fitted coefficients (intercept first) with their feature names.
    public func fitAndForecast(_ panel: SalesPanel, origin: Int, horizon: Int, bands: [Double] = []) throws -> (forecast: SalesForecast, coefficients: [Double], names: [String]) {
        let features = SalesFeatures(panel: panel, horizon: horizon, origin: origin)
        let train = features.training(origin: origin, maxOrigins: maxTrainingOrigins)
        guard train.y.count > features.names.count + 1 else {
            throw ModelError.tooShort(needed: features.firstOrigin + 2 * horizon, got: origin)
        }
        let predictTrain: [Double]
        let coefficients: [Double]
        switch kind {
        case .regression:
            var design = Matrix(rows: train.x.rows, columns: train.x.columns + 1)
            for i in 0..<train.x.rows {
                design[i, 0] = 1
                for j in 0..<train.x.columns { design[i, j + 1] = train.x[i, j] }
            }
            let ratio = zip(train.y, train.level).map { $0 / $1 }
            // Normal equations XᵀX b = Xᵀy (syrk, then Cholesky with a whisper of ridge); the SVD
            // of `gelsd` only when they are too ill-conditioned for Cholesky.
            var gram = design.gram()
            let ridge = 1e-10 * max(1, gram.diagonal.max() ?? 1)
            for j in 0..<gram.rows { gram[j, j] += ridge }
            if let solved = try? gram.solvePositiveDefinite(try design.transposeTimes(ratio)) {
                coefficients = solved
            } else {
                coefficients = try design.leastSquares(ratio, rcond: 1e-10).coefficients
            }
            predictTrain = try design.times(coefficients).enumerated().map { max(0, $0.element) * train.level[$0.offset] }
        case .glm:
            let offset = train.level.map { log($0) }
            let fit = try GLM.fit(features: train.x, response: train.y, family: .poisson, offset: offset, options: .init(l2: 1e-6, tolerance: 1e-9))
            coefficients = fit.coefficients
            predictTrain = try fit.predict(train.x, offset: offset)
        }
        // Bands: actual / fitted ratios of the newest 8 training origins, per horizon step.
        var ratios = [[Double]](repeating: [], count: horizon)
        for i in train.y.indices where train.originIndex[i] < 8 && predictTrain[i] > 0 {
            ratios[train.h[i] - 1].append(train.y[i] / predictTrain[i])
        }
        var mean = [[Double]]()
        var row = [Double](repeating: 0, count: features.names.count)
        let naive = try SeasonalNaiveForecaster().forecast(panel, origin: origin, horizon: horizon).mean
        for s in 0..<panel.count {
            guard let l = features.level(s, origin: origin) else { mean.append(naive[s].map { max(0, $0) }); continue }
            var path = [Double](repeating: 0, count: horizon)
            let summary = features.summary(series: s, origin: origin, level: l)
            for h in 1...horizon {
                features.fill(&row, summary, h: h)
                var eta = coefficients[0]
                for j in row.indices { eta += coefficients[j + 1] * row[j] }
                path[h - 1] = kind == .glm ? l * exp(min(eta, 50)) : max(0, eta) * l
            }
            mean.append(path)
        }
        return (RatioQuantiles(ratios: ratios).apply(mean, bands: bands), coefficients, ["intercept"] + features.names)
    }
}
