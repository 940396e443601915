import Forecasting
import Foundation
import Reporting
import WarRoomCore

/// The models' backtests on one simulated run: store × day sales forecasts (seasonal naive, ETS,
/// global regression, Poisson GLM) and the weekly-refitted churn model, each beside the oracle.
struct ModelEvaluation {
    /// The business case's forecast-accuracy target.
    static let accuracyTarget = 0.896
    /// How close to the oracle the forecast must come (accuracy points).
    static let oracleGap = 0.01
    /// How close to the oracle's AUC the churn model must come, and its calibration bound.
    static let aucGap = 0.005, eceTarget = 0.02
    /// The model whose figures the verdicts use (declared before looking at results).
    static let primary = "glm"

    /// Sales in CNY (revenue), the primary target.
    var sales: SalesBacktest
    /// Sale lines (volume), the same backtest on the other measure.
    var volume: SalesBacktest
    /// Origins as live-day numbers.
    var originDays: [Int]
    var firstDay: Int
    /// The sales panel (values in CNY) and the observed lines of the same stores and days.
    var panel: SalesPanel
    var lines: [[Double]]
    var churn: ChurnBacktest?
    var churnNote: String?
    /// Live days of the run.
    var liveDays: Int
    var storeNames: [String]

    /// The name of the reference oracle that does not know the scenario's shocks.
    static let shockBlindOracle = "oracle_without_shocks"

    /// Runs both backtests.
    ///
    /// - Parameter withoutShocks: the truth of the same world simulated without its competitor
    ///   shocks (same seed): its expected sales are the oracle that cannot foresee them.
    static func evaluate(data: ModelDataCollector, scenario: Scenario, layout: WorldLayout, records: [CustomerRecord],
                         withoutShocks: ModelDataCollector? = nil,
                         horizon: Int = 28, originCount: Int = 5, originStep: Int = 14) throws -> ModelEvaluation {
        let panel = salesPanel(data: data, values: data.amount, scenario: scenario, layout: layout)
        let origins = Self.origins(length: panel.length, horizon: horizon, count: originCount, step: originStep)
        guard !origins.isEmpty else {
            throw LabError("the run is too short for a \(horizon)-day backtest: need at least \(earliestOrigin(horizon) + horizon) days of history and live window")
        }
        let models: [any SalesForecaster] = [SeasonalNaiveForecaster(), ETSForecaster(), GlobalForecaster(.regression), GlobalForecaster(.glm)]
        let sales: SalesBacktest, volume: SalesBacktest
        do {
            sales = try SalesBacktest.run(panel: panel, models: models, origins: origins, horizon: horizon, oracle: data.expectedAmount,
                                          references: withoutShocks.map { [(Self.shockBlindOracle, $0.expectedAmount)] } ?? [])
            var linesPanel = panel
            linesPanel.values = data.lines
            volume = try SalesBacktest.run(panel: linesPanel, models: models, origins: origins, horizon: horizon, oracle: data.expectedLines,
                                           references: withoutShocks.map { [(Self.shockBlindOracle, $0.expectedLines)] } ?? [])
        } catch { throw LabError("sales backtest: \(error)") }

        // Churn: weekly snapshots of the live window whose 30-day label ends inside the run.
        var lost: [Int64: Int32] = [:]
        for r in records { if let d = r.lostDay { lost[r.customer] = d } }
        let horizonDays: Int32 = 30
        let testDays = Set(data.snapshots.map(\.day)).filter { Int($0) >= data.hazardStart && Int($0) + Int(horizonDays) < scenario.calendar.liveDays }.sorted()
        var churn: ChurnBacktest?
        var note: String?
        if testDays.isEmpty {
            note = "The live window (\(scenario.calendar.liveDays) days) is too short for a 30-day churn label; no churn backtest."
        } else {
            let oracle = data.snapshots.map { data.trueLossProbability(customer: $0.customer, day: Int($0.day), horizon: Int(horizonDays)) }
            let withoutFrailty = data.snapshots.map {
                data.trueLossProbability(customer: $0.customer, day: Int($0.day), horizon: Int(horizonDays), withoutFrailty: true)
            }
            let features = ChurnFeatures(storeRegion: layout.stores.map { Int($0.region) }, storeCity: layout.stores.map { Int($0.city) },
                                         regions: layout.regions.count)
            do {
                churn = try ChurnBacktest.run(snapshots: data.snapshots, lostDay: lost, features: features, testDays: testDays,
                                              horizonDays: horizonDays, oracle: oracle,
                                              references: [(name: "oracle_without_frailty", probabilities: withoutFrailty)])
            } catch { throw LabError("churn backtest: \(error)") }
        }
        return ModelEvaluation(sales: sales, volume: volume, originDays: origins.map { $0 + data.firstDay }, firstDay: data.firstDay, panel: panel, lines: data.lines,
                               churn: churn, churnNote: note, liveDays: scenario.calendar.liveDays, storeNames: layout.stores.map { "\(layout.cities[Int($0.city)].name) #\($0.indexInCity + 1)" })
    }

    /// The earliest origin with a level window and two horizons of training before it.
    static func earliestOrigin(_ horizon: Int) -> Int { 28 + 2 * horizon + 7 }

    /// Origins every `step` days back from the last one whose horizon ends in the run, at most `count`.
    static func origins(length: Int, horizon: Int, count: Int, step: Int) -> [Int] {
        var origins: [Int] = []
        var o = length - horizon
        while origins.count < count && o >= earliestOrigin(horizon) {
            origins.insert(o, at: 0)
            o -= step
        }
        return origins
    }

    /// The primary model's sales forecast accuracy alone (what a sweep reports), or nil when
    /// the run is too short for the backtest.
    static func forecastAccuracy(data: ModelDataCollector, scenario: Scenario, layout: WorldLayout,
                                 horizon: Int = 28, originCount: Int = 5, originStep: Int = 14) throws -> Double? {
        let panel = salesPanel(data: data, values: data.amount, scenario: scenario, layout: layout)
        let origins = Self.origins(length: panel.length, horizon: horizon, count: originCount, step: originStep)
        guard !origins.isEmpty else { return nil }
        do {
            return try SalesBacktest.run(panel: panel, models: [GlobalForecaster(.glm)], origins: origins, horizon: horizon).scores[0].accuracy
        } catch { throw LabError("sales backtest: \(error)") }
    }

    /// The observable store × day panel: sales in CNY, weekday, time of year, the planned
    /// promotion depth (known ahead) and the store's competitor signals from the weekly CRM
    /// snapshot (known only up to the origin).
    static func salesPanel(data: ModelDataCollector, values: [[Double]], scenario: Scenario, layout: WorldLayout) -> SalesPanel {
        let days = data.days
        let dates = (0..<days).map { scenario.calendar.start.adding(days: $0 + data.firstDay) }
        // One planned-discount column per category: each category's lift is learnt from its own
        // past promotions (a category never promoted before gets none, rather than a guess).
        let categories = scenario.world.categories
        var promo = Array(repeating: Array(repeating: [Double](repeating: 0, count: days), count: layout.stores.count), count: categories.count)
        for p in scenario.demand.promotions {
            for s in layout.stores(in: p.scope) {
                for d in max(0, p.startDay - data.firstDay)..<max(0, min(days, p.startDay + p.days - data.firstDay)) {
                    promo[p.category][s][d] += p.discount
                }
            }
        }
        var signals = Array(repeating: [Double](repeating: 0, count: days), count: layout.stores.count)
        for s in data.snapshots { signals[Int(s.store)][Int(s.day) - data.firstDay] = Double(s.competitorSignals7d) }
        return SalesPanel(ids: layout.stores.map { String($0.id) }, groups: layout.stores.map { Int($0.region) }, groupNames: layout.regions,
                          values: values, season: 7, seasonPosition: dates.map { ($0.weekday + 6) % 7 },
                          yearFraction: dates.map { Double($0.dayOfYear - 1) / 365.25 }, stepsPerYear: 365.25,
                          future: categories.indices.map { .init(name: "discount_\(categories[$0].name)", values: promo[$0]) },
                          past: [.init(name: "competitor_signals", values: signals)])
    }

    /// The score of the oracle without the scenario's shocks, when it was computed.
    static func shockBlind(of b: SalesBacktest) -> SalesBacktest.Score? { b.references.first { $0.name == shockBlindOracle }?.score }

    var primaryScore: SalesBacktest.Score { Self.primary(of: sales) }
    static func primary(of b: SalesBacktest) -> SalesBacktest.Score { b.scores.first { $0.name == Self.primary } ?? b.scores[b.scores.count - 1] }
    func score(_ name: String) -> SalesBacktest.Score? { sales.scores.first { $0.name == name } }

    /// Verdict lines for the targets.
    var verdicts: [(label: String, met: Bool, text: String)] {
        var out: [(String, Bool, String)] = []
        func met(_ ok: Bool) -> String { ok ? L("met") : L("not met") }
        for (b, what) in [(sales, L("sales (CNY)")), (volume, L("sale lines"))] {
            let p = Self.primary(of: b)
            let oracle = b.oracle?.accuracy ?? .nan
            let pct = { (v: Double) in String(format: "%.1f%%", v * 100) }
            var text = L("{0}: forecast accuracy {1} — target {2} {3}; oracle {4}", what, pct(p.accuracy), pct(Self.accuracyTarget),
                         met(p.accuracy >= Self.accuracyTarget), pct(oracle))
            if let blind = Self.shockBlind(of: b) {
                // Two decimals: it is read against the target, often within a tenth of a point.
                text += L("; oracle without the scenario's shocks {0}", String(format: "%.2f%%", blind.accuracy * 100))
            }
            out.append((L("Forecast accuracy, {0}", what), p.accuracy >= Self.accuracyTarget, text))
            let gap = oracle - p.accuracy
            out.append((L("Forecast vs oracle, {0}", what), gap <= Self.oracleGap,
                        L("{0}: {1} points below the oracle — target ≤ {2} {3}", what, String(format: "%.2f", gap * 100),
                          String(format: "%.1f", Self.oracleGap * 100), met(gap <= Self.oracleGap))))
            let baselines = b.scores.filter { $0.name == "seasonal_naive" || $0.name == "ets" }
            let beats = baselines.allSatisfy { p.accuracy > $0.accuracy }
            out.append((L("Forecast vs baselines, {0}", what), beats,
                        L(beats ? "{0}: better than {1}" : "{0}: not better than all of {1}", what,
                          baselines.map { "\($0.name) " + pct($0.accuracy) }.joined(separator: ", "))))
        }
        if let c = churn, let auc = c.model.auc {
            let oracleAUC = c.oracle?.auc ?? .nan
            let ok = oracleAUC - auc <= Self.aucGap
            out.append((L("Churn AUC vs oracle"), ok, L("churn AUC {0} — oracle {1}, gap {2}, target ≤ {3} {4}", String(format: "%.3f", auc),
                                                        String(format: "%.3f", oracleAUC), String(format: "%.3f", oracleAUC - auc),
                                                        String(format: "%.3f", Self.aucGap), met(ok))))
            let ece = c.model.ece ?? .nan
            out.append((L("Churn calibration"), ece <= Self.eceTarget, L("churn ECE {0} — target ≤ {1} {2}", String(format: "%.4f", ece),
                                                                         String(format: "%.2f", Self.eceTarget), met(ece <= Self.eceTarget))))
        }
        return out
    }
}
