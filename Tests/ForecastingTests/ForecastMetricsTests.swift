import Forecasting
import Testing

@Suite("Forecast metrics")
struct ForecastMetricsTests {
    let actual: [Double] = [10, 20, 30, 40]
    let forecast: [Double] = [12, 18, 33, 40]

    @Test("WAPE, accuracy and bias against hand-computed values")
    func wape() throws {
        #expect(try #require(ForecastMetrics.wape(actual: actual, forecast: forecast)) == 7.0 / 100)
        #expect(abs(try #require(ForecastMetrics.accuracy(actual: actual, forecast: forecast)) - 0.93) < 1e-12)
        #expect(abs(try #require(ForecastMetrics.bias(actual: actual, forecast: forecast)) - 0.03) < 1e-12)
        #expect(ForecastMetrics.wape(actual: [0, 0], forecast: [1, 1]) == nil)
        #expect(ForecastMetrics.wape(actual: [1], forecast: [1, 2]) == nil)
    }

    @Test("MASE scales by the in-sample seasonal naive error")
    func mase() throws {
        // History with m = 2: |3−1| + |4−2| + |5−3| → scale 2; MAE of the forecast is 7/4.
        let value = try #require(ForecastMetrics.mase(actual: actual, forecast: forecast, history: [1, 2, 3, 4, 5], m: 2))
        #expect(abs(value - 7.0 / 4 / 2) < 1e-12)
        #expect(ForecastMetrics.mase(actual: actual, forecast: forecast, history: [1, 1, 1, 1], m: 2) == nil)
    }

    @Test("Pinball loss weighs under- and over-forecasts by the quantile level")
    func pinball() throws {
        #expect(abs(try #require(ForecastMetrics.pinball(actual: [10], quantile: [8], tau: 0.9)) - 1.8) < 1e-12)
        #expect(abs(try #require(ForecastMetrics.pinball(actual: [10], quantile: [12], tau: 0.9)) - 0.2) < 1e-12)
    }
}
