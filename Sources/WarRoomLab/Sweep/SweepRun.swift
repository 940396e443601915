import Alerting
import Foundation
import Reporting
import RunStore
import Simulation
import WarRoomCore

/// One replication of a sweep: a variant's closed loop on one seed, reduced to its outcomes.
struct SweepRun {
    /// The outcomes a sweep compares, in report order, with their units.
    static let outcomes: [(key: String, label: String, unit: String)] = [
        ("revenue_cny", "Revenue, live window", "CNY"),
        ("churn_rate", "Accounts lost / accounts at the start", "share"),
        ("accounts_lost", "Accounts lost, live window", "accounts"),
        ("new_accounts", "New accounts won", "accounts"),
        ("visits", "Rep visits", "visits"),
        ("revenue_per_visit_cny", "Revenue per rep visit", "CNY"),
        ("acquisition_cost_cny", "Acquisition cost per new account", "CNY"),
        ("shock_city_acquisition_cost_cny", "Shocked city's acquisition cost per new account after onset", "CNY"),
        ("shock_city_acquisition_cost_before_cny", "Shocked city's acquisition cost per new account before onset", "CNY"),
        ("alerts", "Alerts fired", "alerts"),
        ("detection_latency_h", "Detection latency of the first shock", "hours"),
        ("detection_delay_h", "First shock: first detector alert out (arrival clock) after the true onset", "hours"),
        ("shock_city_accounts_lost", "Shocked city's accounts lost, live window", "accounts"),
        ("shock_city_revenue_cny", "Shocked city's revenue, live window", "CNY"),
        ("data_age_median_s", "Median age of an event when it reached the engine", "seconds"),
        ("late_events", "Events that arrived behind the watermark and were left out", "events"),
        ("forecast_accuracy", "Forecast accuracy (glm, sales)", "share"),
    ]

    var variant: String
    var seed: UInt64
    var digest: String
    /// Outcome values by key (NaN when undefined, e.g. no shock).
    var values: [String: Double]

    /// Runs a variant on a seed.
    static func run(_ variant: ScenarioVariant, seed: UInt64, ruleSet: RuleSet?) throws -> SweepRun {
        let scenario = variant.scenario
        let world = ClosedLoop(scenario: scenario, seed: seed, ruleSet: ruleSet, applyActions: variant.applyActions)
        let sim = world.simulator
        var collector = RunCollector(scenario: scenario, layout: sim.layout)
        var models = ModelDataCollector(scenario: scenario, layout: sim.layout, keepSnapshots: false)
        while !world.isFinished {
            try world.step(observe: { obs in
                collector.observe(obs)
                models.observe(obs)
            }, truth: { truth in
                collector.observeTruth(truth)
                models.observeTruth(truth)
            })
        }
        let layout = sim.layout
        let records = sim.customerRecords
        let shocks = sim.shockTruth
        let live = scenario.calendar.liveDays
        var v: [String: Double] = [:]
        var revenue = 0.0
        for r in collector.regionAmount.indices { for d in (-collector.firstDay)..<collector.days { revenue += Double(collector.regionAmount[r][d]) / 100 } }
        v["revenue_cny"] = revenue
        let atStart = records.filter { $0.wonDay < 0 && ($0.lostDay.map { $0 >= 0 } ?? true) }.count
        let lost = records.filter { ($0.lostDay ?? -1) >= 0 }.count
        v["churn_rate"] = atStart > 0 ? Double(lost) / Double(atStart) : .nan
        v["accounts_lost"] = Double(lost)
        let visits = Double(collector.stream.byKind[Int(EventKind.visit.rawValue)])
        v["visits"] = visits
        v["revenue_per_visit_cny"] = visits > 0 ? revenue / visits : .nan
        let won = records.filter { $0.wonDay >= 0 }
        v["new_accounts"] = Double(won.count)

        // Acquisition cost: marketing spend plus the actions' costs, over the accounts won.
        let economics = scenario.economics
        let actions = world.alerting?.actions ?? []
        func cost(_ a: ActionRecord) -> Double { a.applied || !variant.applyActions ? economics.actionCosts[a.action] ?? 0 : 0 }
        let liveActions = actions.filter { $0.start >= 0 && $0.start < SimTime.start(ofDay: live) }
        let spend = economics.acquisitionSpendPerStoreWeek * Double(layout.stores.count) * Double(live) / 7
        v["acquisition_cost_cny"] = won.isEmpty ? .nan : (spend + liveActions.reduce(0) { $0 + cost($1) }) / Double(won.count)
        if let shock = shocks.first {
            let city = Int(shock.city)
            let onsetDay = SimTime.dayIndex(shock.onset)
            let cityStores = layout.cities[city].stores
            let cityWon = won.filter { cityStores.contains(Int($0.store)) && Int($0.wonDay) >= onsetDay }.count
            let citySpend = economics.acquisitionSpendPerStoreWeek * Double(cityStores.count) * Double(live - onsetDay) / 7
            let cityCosts = liveActions.filter { $0.start >= shock.onset && layout.place($0.target, isIn: city) }.reduce(0) { $0 + cost($1) }
            v["shock_city_acquisition_cost_cny"] = cityWon > 0 ? (citySpend + cityCosts) / Double(cityWon) : .nan
            // The same before the onset: what a before/after comparison would set against it.
            let wonBefore = won.filter { cityStores.contains(Int($0.store)) && Int($0.wonDay) < onsetDay }.count
            let spendBefore = economics.acquisitionSpendPerStoreWeek * Double(cityStores.count) * Double(onsetDay) / 7
            let costsBefore = liveActions.filter { $0.start < shock.onset && layout.place($0.target, isIn: city) }.reduce(0) { $0 + cost($1) }
            v["shock_city_acquisition_cost_before_cny"] = wonBefore > 0 ? (spendBefore + costsBefore) / Double(wonBefore) : .nan
            v["shock_city_accounts_lost"] = Double(records.filter { ($0.lostDay ?? -1) >= 0 && cityStores.contains(Int($0.store)) }.count)
            var cityRevenue = 0.0
            for d in (-collector.firstDay)..<collector.days { cityRevenue += Double(collector.cityAmount[city][d]) / 100 }
            v["shock_city_revenue_cny"] = cityRevenue
        } else {
            for key in ["shock_city_acquisition_cost_cny", "shock_city_acquisition_cost_before_cny", "shock_city_accounts_lost", "shock_city_revenue_cny"] {
                v[key] = .nan
            }
        }
        if let stage = world.alerting {
            let report = AlertRunReport(stage: stage, shocks: shocks, layout: layout)
            v["alerts"] = Double(report.analysis.byRule.reduce(0) { $0 + $1.fired })
            v["detection_latency_h"] = report.analysis.detections.first?.latency.map { Double($0) / Double(SimTime.hour) } ?? .nan
            v["detection_delay_h"] = report.analysis.detections.first?.emissionDelay.map { Double($0) / Double(SimTime.hour) } ?? .nan
            v["data_age_median_s"] = stage.delivered ? Double(stage.dataAge.valueAtPercentile(50)) / 1000 : 0
            v["late_events"] = Double(stage.lateEvents)
        } else {
            for key in ["alerts", "detection_latency_h", "detection_delay_h", "data_age_median_s", "late_events"] { v[key] = .nan }
        }
        v["forecast_accuracy"] = try ModelEvaluation.forecastAccuracy(data: models, scenario: scenario, layout: layout) ?? .nan
        return SweepRun(variant: variant.name, seed: seed, digest: collector.stream.digest.hex, values: v)
    }

    /// One JSON line of a results file.
    func jsonLine(scenarioHash: String) -> String {
        let outcomes: [(String, JSONValue)] = Self.outcomes.map { o in
            let x = values[o.key] ?? .nan
            return (o.key, x.isFinite ? .double(x) : .null)
        }
        return JSONValue.object([("scenario_hash", .string(scenarioHash)), ("variant", .string(variant)),
                                 ("seed", .int(Int64(bitPattern: seed))), ("digest", .string(digest)),
                                 ("outcomes", .object(outcomes))]).compact()
    }

    /// Reads a results line; nil for a line cut short (a run killed while writing).
    static func parse(line: Substring) -> (hash: String, run: SweepRun)? {
        guard let data = line.data(using: .utf8), let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let hash = o["scenario_hash"] as? String, let variant = o["variant"] as? String,
              let seed = (o["seed"] as? NSNumber)?.int64Value, let digest = o["digest"] as? String,
              let outcomes = o["outcomes"] as? [String: Any] else { return nil }
        var values: [String: Double] = [:]
        for key in outcomes.keys { values[key] = (outcomes[key] as? NSNumber)?.doubleValue ?? .nan }
        return (hash, SweepRun(variant: variant, seed: UInt64(bitPattern: seed), digest: digest, values: values))
    }
}
