import Forecasting
import Foundation
import Testing
import WarRoomCore

@Suite("Exponential smoothing (ETS)")
struct ETSTests {
    /// Oil production in Saudi Arabia 1996–2013, millions of tonnes (Hyndman & Athanasopoulos,
    /// Forecasting: Principles and Practice, 2nd ed., §7.1, from the `fpp2` package).
    static let oil = [445.3641, 453.1950, 454.4096, 422.3789, 456.0371, 440.3866, 425.1944, 486.2052, 500.4291,
                      521.2759, 508.9476, 488.8889, 509.8706, 456.7229, 473.8166, 525.9509, 549.8338, 542.3405]

    @Test("ETS(A,N,N) on the oil series reproduces the published fit: α = 0.8339, ℓ0 = 446.59, forecast 542.68")
    func publishedSimpleExponentialSmoothing() throws {
        let fit = try ETS.fit(Self.oil, period: 1, model: .init(error: .additive, trend: .none, season: .none), optimiseInitialStates: true)
        #expect(abs(fit.alpha - 0.8339) < 0.005, "alpha \(fit.alpha)")
        #expect(abs(fit.initialLevel - 446.59) < 1, "l0 \(fit.initialLevel)")
        let f = fit.forecast(horizon: 3)
        for v in f { #expect(abs(v - 542.68) < 0.5, "forecast \(v)") }
        // The published 80% interval for 2014 is [504.45, 580.91] (σ from the fit's residuals).
        let lo = fit.quantile(0.1, horizon: 1)[0], hi = fit.quantile(0.9, horizon: 1)[0]
        #expect(abs(lo - 504.45) < 3 && abs(hi - 580.91) < 3, "80% interval [\(lo), \(hi)]")
    }

    @Test("A noiseless additive seasonal series is forecast exactly, and model selection finds its season")
    func exactSeasonal() throws {
        let week = [5.0, -3, 2, 0, 8, -6, -6]
        let y = (0..<140).map { 100 + 0.5 * Double($0) + week[$0 % 7] }
        let fit = try ETS.fit(y, period: 7, model: .init(error: .additive, trend: .additive, season: .additive))
        let f = fit.forecast(horizon: 14)
        for h in 0..<14 { #expect(abs(f[h] - (100 + 0.5 * Double(140 + h) + week[(140 + h) % 7])) < 0.05) }
        // Multiplicative weekly pattern with noise: AICc prefers a multiplicative season.
        var rng = RandomStream(seed: 3, stream: .synthetic, entity: 9)
        let factors = [1.3, 0.7, 1.0, 1.1, 0.9, 1.2, 0.8]
        let level = (0..<364).map { t in (200 + Double(t)) * factors[t % 7] * (1 + 0.02 * rng.normal()) }
        let best = try ETS.auto(level, period: 7)
        #expect(best.model.season == .multiplicative, "chose \(best.model)")
    }

    @Test("Short, constant and broken series: a typed error or a flat forecast, never NaN")
    func degenerate() throws {
        #expect(throws: ModelError.tooShort(needed: 4, got: 3)) { try ETS.auto([1, 2, 3], period: 7) }
        #expect(throws: ModelError.notFinite(row: 2, column: 0)) { try ETS.auto([1, 2, .nan, 4, 5], period: 1) }
        let flat = try ETS.auto([Double](repeating: 42, count: 60), period: 7)
        #expect(flat.forecast(horizon: 7).allSatisfy { abs($0 - 42) < 1e-6 })
        // Too short for a weekly season: non-seasonal models only.
        let short = try ETS.auto([3, 4, 5, 4, 3, 4, 5, 6, 5], period: 7)
        #expect(short.model.season == .none)
        // Zeros rule out multiplicative models instead of producing infinities.
        let zeros = try ETS.auto((0..<60).map { Double($0 % 3) }, period: 3)
        #expect(zeros.model.error == .additive && zeros.forecast(horizon: 3).allSatisfy { $0.isFinite })
    }
}
