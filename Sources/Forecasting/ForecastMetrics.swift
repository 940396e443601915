/// Forecast accuracy metrics as DESIGN.md defines them.
public enum ForecastMetrics {
    /// Weighted absolute percentage error: Σ|y − ŷ| / Σ|y|; nil when Σ|y| is 0 or the lengths differ.
    public static func wape(actual: [Double], forecast: [Double]) -> Double? {
        guard actual.count == forecast.count, !actual.isEmpty else { return nil }
        var num = 0.0, den = 0.0
        for i in actual.indices {
            num += abs(actual[i] - forecast[i])
            den += abs(actual[i])
        }
        return den > 0 ? num / den : nil
    }

    /// Accuracy = 1 − WAPE.
    public static func accuracy(actual: [Double], forecast: [Double]) -> Double? {
        wape(actual: actual, forecast: forecast).map { 1 - $0 }
    }

    /// Bias: Σ(ŷ − y) / Σ|y| (positive when forecasts run high).
    public static func bias(actual: [Double], forecast: [Double]) -> Double? {
        guard actual.count == forecast.count, !actual.isEmpty else { return nil }
        var num = 0.0, den = 0.0
        for i in actual.indices {
            num += forecast[i] - actual[i]
            den += abs(actual[i])
        }
        return den > 0 ? num / den : nil
    }

    /// Mean absolute scaled error with seasonal period `m`: the forecast's mean absolute error
    /// divided by the in-sample mean absolute error of the seasonal naive forecast on `history`.
    /// Nil when the history is shorter than m + 1 or perfectly seasonal (scale 0).
    public static func mase(actual: [Double], forecast: [Double], history: [Double], m: Int = 7) -> Double? {
        guard actual.count == forecast.count, !actual.isEmpty, m > 0, history.count > m else { return nil }
        var scale = 0.0
        for i in m..<history.count { scale += abs(history[i] - history[i - m]) }
        scale /= Double(history.count - m)
        guard scale > 0 else { return nil }
        var mae = 0.0
        for i in actual.indices { mae += abs(actual[i] - forecast[i]) }
        return mae / Double(actual.count) / scale
    }

    /// Pinball (quantile) loss of quantile level `tau`, averaged over the points.
    public static func pinball(actual: [Double], quantile: [Double], tau: Double) -> Double? {
        guard actual.count == quantile.count, !actual.isEmpty, tau > 0, tau < 1 else { return nil }
        var total = 0.0
        for i in actual.indices {
            let diff = actual[i] - quantile[i]
            total += diff >= 0 ? tau * diff : (tau - 1) * diff
        }
        return total / Double(actual.count)
    }
}
