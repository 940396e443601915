import Alerting
import Dispatch
import Simulation
import WarRoomCore

extension AlertingStage {
    /// Feeds one live day's delivered events (arrival order; the engine's clock follows their
    /// arrivals) and the same day's events as they happened to the shadow engine; returns the
    /// interventions the alerts' actions cause.
    func process(delivered: DeliveredBatch, simulated: [Event]) -> [Intervention] {
        let engine = self.engine
        let start = DispatchTime.now().uptimeNanoseconds
        var last = start
        delivered.forEach { d in
            engine.clock = d.arrival
            engine.process(d.event)
            let now = DispatchTime.now().uptimeNanoseconds
            _ = processing.record(now - last)
            last = now
            _ = dataAge.record(UInt64(max(1, d.arrival - d.event.time)))
        }
        engineSeconds += Double(last - start) / 1e9
        noteLosses(delivered.lazy.map(\.event))
        if let shadow = shadowStorage {
            shadow.process(simulated)
            keepShadow(shadow.takeAlerts())
        }
        return handle(engine.takeAlerts())
    }

    /// Keeps the shadow engine's firings (escalations are not compared).
    func keepShadow(_ alerts: [Alert]) {
        for a in alerts where a.kind == .fired && a.time >= 0 { shadowFirings.append((a.rule, a.key, a.time)) }
    }

    /// What delivery changed, per rule: the firings of the delivered run against those of the
    /// same rules on the same world's events delivered instantly (the shadow engine).
    var deliveryComparison: [DeliveryComparison] {
        var byRule = ruleSet.rules.indices.map { DeliveryComparison(rule: ruleSet.rules[$0].id) }
        let late = lateEventsByRule
        for i in byRule.indices { byRule[i].lateEvents = late[i] }
        var instant: [Int: [Int64: [Millis]]] = [:]
        for f in shadowFirings {
            instant[f.rule, default: [:]][f.key, default: []].append(f.time)
            byRule[f.rule].instantFirings += 1
        }
        for a in alerts where a.kind == .fired && a.time >= 0 {
            byRule[a.rule].firings += 1
            if var ticks = instant[a.rule]?[a.key], let j = ticks.firstIndex(of: a.time) {
                ticks.remove(at: j)
                instant[a.rule]![a.key] = ticks
                byRule[a.rule].matched += 1
                byRule[a.rule].delays.append(a.emittedAt - a.time)
            } else {
                byRule[a.rule].extra += 1
            }
        }
        for i in byRule.indices { byRule[i].missed = byRule[i].instantFirings - byRule[i].matched }
        return byRule
    }
}

/// One rule's firings under delayed delivery against instant delivery on the same world.
struct DeliveryComparison: Equatable {
    /// The rule's id.
    var rule: String
    /// Events the rule would have read that arrived behind the watermark and were left out.
    var lateEvents = 0
    /// Firings with delivery.
    var firings = 0
    /// Firings with instant delivery (the shadow engine).
    var instantFirings = 0
    /// Firings at the same tick for the same key in both.
    var matched = 0
    /// Instant firings with no delivered firing at that tick and key (missed, or moved to another tick).
    var missed = 0
    /// Delivered firings with no instant firing at that tick and key.
    var extra = 0
    /// For matched firings: emission (arrival clock) minus tick, ms.
    var delays: [Millis] = []

    /// The median of `delays`, nil when nothing matched.
    var medianDelay: Millis? {
        guard !delays.isEmpty else { return nil }
        let s = delays.sorted()
        return s[s.count / 2]
    }
}

/// What the delivery did with the events at the end of a run.
struct DeliveryCounts: Equatable {
    /// Events that arrived after the live window ended (seen by the engine, too late to act on).
    var afterWindow = 0
    /// Copies sent by sources that deliver some events twice.
    var duplicated = 0
    /// Events held back by one delivery.
    var heldBack = 0
    /// Events that fell due during an outage and came when it ended.
    var deferredByOutage = 0
}
