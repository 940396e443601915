@testable import Forecasting
import Foundation
import Testing
import WarRoomCore

/// A panel whose series are fixed shares of one common weekly pattern, times independent
/// day-to-day noise (lognormal, coefficient of variation about `sigma`): stores that differ only by
/// size, as the lab's do, whose own four weeks estimate their level poorly.
func sharePanel(series: Int = 40, days: Int = 480, sigma: Double) -> (panel: SalesPanel, truth: [[Double]]) {
    let week = [1.0, 0.95, 0.97, 1.0, 1.1, 1.25, 0.75]
    var values: [[Double]] = [], truth: [[Double]] = []
    for s in 0..<series {
        var rng = RandomStream(seed: 9, stream: .synthetic, entity: UInt64(s))
        let size = 100 * (1 + Double(s % 10) / 3)
        let expected = (0..<days).map { t in size * week[t % 7] * (1 + 0.1 * cos(2 * Double.pi * Double(t) / 365.25)) }
        truth.append(expected)
        values.append(expected.map { sigma > 0 ? $0 * rng.lognormalMeanOne(sigma: sigma) : $0 })
    }
    return (dailyPanel(values), truth)
}

@Suite("Sales features: the pooled level")
struct SalesFeaturesTests {
    /// The pooled-level column of one (series, origin) row.
    func pooled(_ f: SalesFeatures, series s: Int, origin o: Int) throws -> Double {
        let level = try #require(f.level(s, origin: o))
        var row = [Double](repeating: 0, count: f.names.count)
        f.fill(&row, f.summary(series: s, origin: o, level: level), h: 1)
        return row[try #require(f.names.firstIndex(of: "pooled_level_vs_level"))]
    }

    @Test("Series that are exact shares of their group have a pooled level equal to their own")
    func exactShares() throws {
        let (panel, _) = sharePanel(sigma: 0)
        let f = SalesFeatures(panel: panel, horizon: 28, origin: 440)
        for s in [0, 7, 13, 39] {
            for o in [60, 300, 412, 440] { #expect(abs(try pooled(f, series: s, origin: o)) < 1e-12, "series \(s) origin \(o)") }
        }
    }

    @Test("The pooled level is the series' share of its group over the year before the forecast origin, times the group's window mean")
    func definition() throws {
        let (panel, _) = sharePanel(sigma: 0.4)
        let origin = 440, h = 28, s = 5
        let f = SalesFeatures(panel: panel, horizon: h, origin: origin)
        let members = (0..<panel.count).filter { panel.groups[$0] == panel.groups[s] }
        func groupMean(_ t: Int) -> Double { members.map { panel.values[$0][t] }.reduce(0, +) / Double(members.count) }
        func expected(_ o: Int) -> Double {
            // A training origin leaves its own targets out of the share.
            let steps = (origin - f.shareWindow)..<origin
            let kept = steps.filter { $0 < o || $0 >= o + h }
            let share = kept.map { panel.values[s][$0] }.reduce(0, +) / kept.map(groupMean).reduce(0, +)
            let window = (o - 28)..<o
            let own = window.map { panel.values[s][$0] }.reduce(0, +) / 28
            return log(share * window.map(groupMean).reduce(0, +) / 28 / own)
        }
        for o in [origin, origin - 28, origin - 140, 100] {
            #expect(abs(try pooled(f, series: s, origin: o) - expected(o)) < 1e-9, "origin \(o)")
        }
    }

    @Test("A training row's pooled level does not see its own targets")
    func noLeak() throws {
        var (panel, _) = sharePanel(sigma: 0.4)
        let origin = 440, o = 300, s = 3
        let before = try pooled(SalesFeatures(panel: panel, horizon: 28, origin: origin), series: s, origin: o)
        for t in o..<(o + 28) { panel.values[s][t] *= 3 }
        let after = SalesFeatures(panel: panel, horizon: 28, origin: origin)
        #expect(abs(try pooled(after, series: s, origin: o) - before) < 1e-9)
        #expect(abs(try pooled(after, series: s, origin: o - 28) - before) > 0.01)  // that origin's share does see them
    }

    @Test("On noisy stores of fixed size the GLM comes within a quarter point of the oracle (with its own four weeks alone it is half a point behind)")
    func noisyStoresNearOracle() throws {
        let (panel, truth) = sharePanel(sigma: 0.4)
        let b = try SalesBacktest.run(panel: panel, models: [GlobalForecaster(.glm)], origins: [396, 410, 424, 438, 452], horizon: 28, oracle: truth)
        let oracle = try #require(b.oracle)
        #expect(oracle.accuracy - b.scores[0].accuracy < 0.0025, "glm \(b.scores[0].accuracy) vs oracle \(oracle.accuracy)")
    }
}
