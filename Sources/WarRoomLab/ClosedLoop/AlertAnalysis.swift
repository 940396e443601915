import Alerting
import WarRoomCore

/// How well the alerts of a run did against the truth log's shocks (evaluation only).
///
/// Definitions (README, "Alert metrics"):
/// - A rule is a *shock detector* when its events include `customer_lost` or `competitor_signal`.
/// - An alert *matches* a shock when its time lies in [onset, end + 7 days] and its key lies in
///   the shock's footprint: a store of the shocked city, that city, its region, a rep whose
///   territory is in the city, an account of one of its stores, or the global key.
/// - Precision: the share of the detectors' fired alerts that match some shock.
/// - Recall: the share of shocks matched by at least one detector alert.
/// - Detection latency of a shock: the first matching detector alert's time (a firing, or an
///   escalation of a firing that was still holding) minus the true onset.
struct AlertAnalysis {
    struct ShockDetection {
        var shock: ShockTruth
        var firstAlert: AlertMark?
        var latency: Millis? { firstAlert.map { $0.time - shock.onset } }
        /// The first detector alert out (in the arrival clock) after the true onset: what a
        /// war room fed late data waits (the same as `latency` with instant delivery).
        var emissionDelay: Millis? { firstEmitted.map { $0.emittedAt - shock.onset } }
        /// The matching detector alert that came out first (with delivery, not always the earliest tick).
        var firstEmitted: AlertMark?
        var firstByRule: [(rule: String, time: Millis)]
    }

    let alerts: [AlertMark]
    let byRule: [(id: String, fired: Int, escalated: Int, matching: Int, detector: Bool)]
    let byTier: [(tier: String, count: Int)]
    let detections: [ShockDetection]
    let precision: Double?
    let recall: Double?
    let lateEvents: Int

    static let grace = 7 * SimTime.day

    static func isDetector(_ rule: Rule) -> Bool {
        let bits = UInt32(1) << UInt32(EventKind.customerLost.rawValue) | UInt32(1) << UInt32(EventKind.competitorSignal.rawValue)
        switch rule.signal {
        case .absence(let t, let f, _): return (t.kinds | f.kinds) & bits != 0
        default: return rule.aggregates.contains { $0.filter.kinds & bits != 0 }
        }
    }

    static func matches(_ alert: AlertMark, _ rule: Rule, _ shock: ShockTruth, layout: WorldLayout) -> Bool {
        guard alert.time >= shock.onset && alert.time <= shock.end + grace else { return false }
        // A wider place matches when the shock's city lies in it.
        switch rule.scope.place(ofKey: alert.key) {
        case .global: return true
        case .region(let r): return r == layout.region(of: .city(Int(shock.city)))
        case let place: return layout.place(place, isIn: Int(shock.city))
        }
    }

    /// Emission latencies of the run's alerts, µs, ascending (wall time from the tick falling
    /// due to the alert; alerts emitted when the stream ended are left out).
    var emitLatenciesMicros: [Double] {
        alerts.filter { $0.latencyNanoseconds > 0 }.map { Double($0.latencyNanoseconds) / 1000 }.sorted()
    }

    init(ruleSet: RuleSet, alerts: [AlertMark], shocks: [ShockTruth], layout: WorldLayout, lateEvents: Int) {
        self.alerts = alerts
        self.lateEvents = lateEvents
        let rules = ruleSet.rules
        var fired = [Int](repeating: 0, count: rules.count), escalated = fired, matching = fired
        var detectorFired = 0, detectorMatching = 0
        var tiers = [Int](repeating: 0, count: Rule.Tier.allCases.count)
        for a in alerts {
            tiers[a.tier.rawValue] += 1
            if a.kind == .escalated { escalated[a.rule] += 1; continue }
            fired[a.rule] += 1
            let m = shocks.contains { AlertAnalysis.matches(a, rules[a.rule], $0, layout: layout) }
            if m { matching[a.rule] += 1 }
            if AlertAnalysis.isDetector(rules[a.rule]) {
                detectorFired += 1
                if m { detectorMatching += 1 }
            }
        }
        byRule = rules.indices.map { (rules[$0].id, fired[$0], escalated[$0], matching[$0], AlertAnalysis.isDetector(rules[$0])) }
        byTier = Rule.Tier.allCases.map { ($0.name, tiers[$0.rawValue]) }
        detections = shocks.map { shock in
            let matched = alerts.filter { AlertAnalysis.isDetector(rules[$0.rule]) && AlertAnalysis.matches($0, rules[$0.rule], shock, layout: layout) }
            var firstByRule: [(rule: String, time: Millis)] = []
            for r in rules.indices {
                if let first = matched.first(where: { $0.rule == r }) { firstByRule.append((rules[r].id, first.time)) }
            }
            return ShockDetection(shock: shock, firstAlert: matched.first,
                                  firstEmitted: matched.min { ($0.emittedAt, $0.time) < ($1.emittedAt, $1.time) }, firstByRule: firstByRule)
        }
        precision = detectorFired > 0 ? Double(detectorMatching) / Double(detectorFired) : nil
        recall = shocks.isEmpty ? nil : Double(detections.filter { $0.firstAlert != nil }.count) / Double(shocks.count)
    }
}
