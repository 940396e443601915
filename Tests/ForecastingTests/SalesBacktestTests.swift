import Forecasting
import Foundation
import Testing
import WarRoomCore

/// A panel of `series` daily series over `days` days: level × weekday × a slow yearly wave, with
/// Poisson-like noise, and its true expectation (the oracle).
func syntheticPanel(series: Int = 12, days: Int = 500, noise: Bool = true) -> (panel: SalesPanel, truth: [[Double]]) {
    let week = [1.0, 0.95, 0.97, 1.0, 1.1, 1.25, 0.75]
    var values: [[Double]] = [], truth: [[Double]] = []
    for s in 0..<series {
        var rng = RandomStream(seed: 5, stream: .synthetic, entity: UInt64(s))
        let level = 200 + 40 * Double(s)
        let expected = (0..<days).map { t in level * week[t % 7] * (1 + 0.08 * cos(2 * Double.pi * Double(t) / 365.25)) }
        truth.append(expected)
        values.append(expected.map { noise ? Double(rng.poisson($0)) : $0 })
    }
    return (dailyPanel(values), truth)
}

/// A daily panel of `values` with a weekly season, series alternating between two groups.
func dailyPanel(_ values: [[Double]]) -> SalesPanel {
    let days = values.first?.count ?? 0
    return SalesPanel(ids: values.indices.map(String.init), groups: values.indices.map { $0 % 2 }, groupNames: ["even", "odd"],
                      values: values, season: 7, seasonPosition: (0..<days).map { $0 % 7 },
                      yearFraction: (0..<days).map { Double($0) / 365.25 }, stepsPerYear: 365.25)
}

@Suite("Sales forecasters and the rolling-origin backtest")
struct SalesBacktestTests {
    @Test("Seasonal naive is exact on a noiseless weekly series; the oracle scores 100%")
    func exactOnPeriodicSeries() throws {
        let week = [1.0, 2, 3, 4, 5, 6, 7]
        let values = [(0..<120).map { week[$0 % 7] * 10 }]
        let panel = SalesPanel(ids: ["a"], groups: [0], groupNames: ["all"], values: values, season: 7,
                               seasonPosition: (0..<120).map { $0 % 7 }, yearFraction: nil, stepsPerYear: 365.25)
        let b = try SalesBacktest.run(panel: panel, models: [SeasonalNaiveForecaster()], origins: [70, 84], horizon: 28, oracle: values)
        #expect(b.scores[0].accuracy == 1 && b.scores[0].bias == 0)
        #expect(b.scores[0].mase == nil)   // a perfectly seasonal history has no naive error to scale by
        #expect(b.oracle?.accuracy == 1)
        #expect(throws: ModelError.self) { try SalesBacktest.run(panel: panel, models: [SeasonalNaiveForecaster()], origins: [100], horizon: 28) }

        // A reference is scored as a point forecast like the oracle: 10% too high everywhere is 90%.
        let high = [values[0].map { $0 * 1.1 }]
        let r = try SalesBacktest.run(panel: panel, models: [], origins: [70, 84], horizon: 28, oracle: values, references: [("high", high)])
        let reference = try #require(r.references.first)
        #expect(reference.name == "high" && abs(reference.score.accuracy - 0.9) < 1e-12 && abs(reference.score.bias - 0.1) < 1e-12)
        #expect(reference.score.coverage80 == nil && reference.score.pinball10 == nil)
        // One that does not cover the panel is an error, not a crash.
        #expect(throws: ModelError.self) {
            try SalesBacktest.run(panel: panel, models: [], origins: [70], horizon: 28, references: [("short", [Array(high[0].prefix(90))])])
        }
    }

    @Test("On Poisson data with a known expectation the global models come within 1.5 points of the oracle and beat the naive")
    func globalModelsNearOracle() throws {
        let (panel, truth) = syntheticPanel()
        let models: [any SalesForecaster] = [SeasonalNaiveForecaster(), ETSForecaster(), GlobalForecaster(.regression), GlobalForecaster(.glm)]
        let b = try SalesBacktest.run(panel: panel, models: models, origins: [400, 428, 456], horizon: 28, oracle: truth)
        let oracle = try #require(b.oracle)
        let naive = b.scores[0]
        for s in b.scores.dropFirst() {
            #expect(oracle.accuracy - s.accuracy < 0.015, "\(s.name): \(s.accuracy) vs oracle \(oracle.accuracy)")
            #expect(s.accuracy > naive.accuracy, "\(s.name) \(s.accuracy) vs naive \(naive.accuracy)")
            #expect(s.accuracyByHorizon.count == 28 && s.accuracyByGroup.count == 2)
            let coverage = try #require(s.coverage80)
            #expect(coverage > 0.65 && coverage < 0.95, "\(s.name) P10–P90 coverage \(coverage)")
        }
        // Metric definitions: accuracy = 1 − WAPE.
        for s in b.scores { #expect(abs(s.accuracy + s.wape - 1) < 1e-12) }
    }
}
