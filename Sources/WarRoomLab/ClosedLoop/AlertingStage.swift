import Alerting
import Foundation
import Histogram
import Reporting
import RunStore
import Simulation
import WarRoomCore

/// The alert engine inside a run: the history replayed as daily summaries (so year-over-year
/// and baseline rules have their past), the live stream, the three-tier package of every
/// alert, and the actions it triggers, turned into interventions on the simulated world.
final class AlertingStage {
    let ruleSet: RuleSet
    /// The engine; nil once `releaseEngine()` let its window state go.
    private var engineStorage: AlertEngine?
    /// The engine (only before `releaseEngine()`).
    var engine: AlertEngine {
        guard let engineStorage else { preconditionFailure("the alert engine was released at the end of the stream") }
        return engineStorage
    }
    private var lateEventsAtRelease = 0
    /// Events that arrived behind the watermark.
    var lateEvents: Int { engineStorage?.lateEvents ?? lateEventsAtRelease }
    let layout: WorldLayout
    let scenario: Scenario
    let applyActions: Bool
    private let effects: [String: ActionEffectSpec]
    private var seq: Int64 = 0

    /// Live alerts, in order (their marks; the full records go to the run store).
    private(set) var alerts: [AlertMark] = []
    /// The alerts' and actions' records not yet handed over (`dropRecords()`).
    private(set) var records: [AlertRecord] = []
    private(set) var actions: [ActionRecord] = []
    /// Actions triggered and applied since the start, and triggered by action name (they outlive `dropRecords()`).
    private(set) var actionsTriggered = 0, actionsApplied = 0
    private(set) var actionsByName: [String: Int] = [:]
    /// Seconds spent inside the engine.
    var engineSeconds = 0.0
    /// Every live event's processing time (ns, HdrHistogram, 3 significant digits): from the
    /// moment the engine takes it to the end of its processing, due ticks and their alerts
    /// included (DESIGN.md's processing latency; events are handed over a day at a time, so an
    /// event arrives when the one before it is done).
    var processing = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000,
                                                    numberOfSignificantValueDigits: .three)
    /// Alerts and actions handed over and dropped by `forgetRecords()`.
    private(set) var forgottenAlerts = 0, forgottenActions = 0
    /// Accounts lost per city: (time, reached by a competitor), for HQ's root cause (observable).
    private var cityLosses: [[(time: Millis, competitor: Bool)]]
    /// Whether events reach the engine later than they happen (a scenario `delivery:`): actions
    /// then start from the alert's emission, not from its tick.
    let delivered: Bool
    /// With delivery, the same rules on the same world's events as they happen: what the alerts
    /// would have been with instant delivery (`DeliveryComparison`).
    var shadowStorage: AlertEngine?
    /// The shadow engine's firings: (rule, key, tick).
    var shadowFirings: [(rule: Int, key: Int64, time: Millis)] = []
    /// Ages of the delivered events on arrival (arrival − event time), ms.
    var dataAge = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 100 * 86_400_000, numberOfSignificantValueDigits: .three)
    /// Whether the live window has ended (the data still on its way is being delivered): alerts
    /// still come out, but their actions are recorded as not applied, the world being over.
    var afterWindow = false
    /// The delivery's own counts at the end of the stream (set by the closed loop).
    var deliveryCounts = DeliveryCounts()
    /// Accounts whose loss has been noted (`noteLosses`).
    private var lostSeen = Set<Int64>()
    /// Late events per rule, kept once the engine is released.
    var lateByRuleAtRelease: [Int] = []

    init(ruleSet: RuleSet, scenario: Scenario, layout: WorldLayout, applyActions: Bool, delivered: Bool = false) {
        self.ruleSet = ruleSet
        self.delivered = delivered
        let engine = AlertEngine(ruleSet: ruleSet)
        engineStorage = engine
        // Accounts come and go; recycling keeps the live ones near the starting number, and
        // twice that leaves room for growth scenarios.
        let stores = layout.stores.count
        let accounts = 2 * stores * scenario.customers.perStore
        func keys(_ scope: Rule.Scope) -> Int { scope == .customer ? accounts : layout.count(of: scope.placeKind) }
        engine.reserve(keys: keys)
        if delivered {
            let shadow = AlertEngine(ruleSet: ruleSet)
            shadow.reserve(keys: keys)
            shadowStorage = shadow
        }
        self.scenario = scenario
        self.layout = layout
        self.applyActions = applyActions
        var byName: [String: ActionEffectSpec] = [:]
        for a in scenario.actions { byName[a.name] = a }
        effects = byName
        cityLosses = Array(repeating: [], count: layout.cities.count)
    }

    /// Drops the alert and action records (with their messages) kept so far, once they are in
    /// the run store; the alerts' marks and the actions' counts stay for the report.
    func dropRecords() {
        records.removeAll()
        actions.removeAll()
    }

    /// Drops the alerts, records and actions kept so far (after they were stored or counted), so a
    /// long run's memory does not grow with its alerts.
    func forgetRecords() {
        forgottenAlerts += alerts.count
        forgottenActions += actions.count
        alerts.removeAll()
        records.removeAll()
        actions.removeAll()
    }

    /// Puts a stored run's wall-clock figures in place of this re-simulation's own (`warroom
    /// report RUN`): the processing-time histogram, the engine's seconds and each alert's
    /// emission latency, in the order the alerts were raised.
    func replaceClockFigures(processing: Histogram<UInt64>, engineSeconds: Double, alertLatencies: [Int64]) {
        self.processing = processing
        self.engineSeconds = engineSeconds
        for i in alerts.indices { alerts[i].latencyNanoseconds = alertLatencies[i] }
    }

    /// Feeds one history day as one summary sale line per store (amount and units of the day,
    /// `attr` = 2) at the day's last millisecond: sums over history windows are exact.
    func replayHistory(day: Int, sales: [StoreDaySales]) {
        let engine = self.engine
        let clock = Stopwatch()
        for e in Self.historySummary(day: day, sales: sales, layout: layout) {
            engine.process(e)
            shadowStorage?.process(e)
        }
        engineSeconds += clock.seconds
        _ = engine.takeAlerts()  // warm-up: history alerts are not the live window's
        _ = shadowStorage?.takeAlerts()
    }

    /// One history day as the engine is fed it: a summary sale line per store (the day's amount
    /// and units, `attr` = 2) at the day's last millisecond (`warroom stream --history` too).
    static func historySummary(day: Int, sales: [StoreDaySales], layout: WorldLayout) -> [Event] {
        let t = SimTime.start(ofDay: day + 1) - 1
        return sales.map { row in
            let store = layout.stores[Int(row.store)]
            return Event(time: t, kind: .sale, store: row.store, city: store.city, region: store.region,
                         quantity: Int32(clamping: row.units), amount: row.amount, attr: 2)
        }
    }

    /// Feeds one live day's events; returns the interventions its alerts' actions cause.
    func process(events: [Event]) -> [Intervention] {
        // One clock read per event: the end of one event is the start of the next.
        let engine = self.engine
        let start = DispatchTime.now().uptimeNanoseconds
        var last = start
        for e in events {
            engine.process(e)
            let now = DispatchTime.now().uptimeNanoseconds
            _ = processing.record(now - last)
            last = now
        }
        engineSeconds += Double(last - start) / 1e9
        noteLosses(events)
        return handle(engine.takeAlerts())
    }

    /// Keeps the accounts lost among `events` for HQ's root cause, each account once (a source
    /// that delivers twice must not count a loss twice: the CRM keys by account).
    func noteLosses<S: Sequence>(_ events: S) where S.Element == Event {
        for e in events where e.kind == .customerLost && lostSeen.insert(e.customer).inserted {
            cityLosses[Int(e.city)].append((e.time, e.attr == FirstTouch.competitorExperienceStore.rawValue))
        }
    }

    /// Lets the engine's window state go once the stream has ended and its alerts are handled:
    /// a long run's models are fitted without the engine's memory beside them.
    func releaseEngine() {
        lateEventsAtRelease = lateEvents
        lateByRuleAtRelease = lateEventsByRule
        engineStorage = nil
        shadowStorage = nil
    }

    /// Late events per rule (rule-set order).
    var lateEventsByRule: [Int] { engineStorage?.lateEventsByRule ?? lateByRuleAtRelease }

    /// Ends the stream at the end of the live window.
    func finish(at end: Millis) -> [Intervention] {
        if delivered { engine.clock = max(engine.clock, end) }
        engine.finish(at: end)
        if let shadow = shadowStorage {
            shadow.finish(at: end)
            keepShadow(shadow.takeAlerts())
        }
        return handle(engine.takeAlerts())
    }

    /// Keeps an action's record until it is handed over, and counts it.
    private func keep(_ action: ActionRecord) {
        actions.append(action)
        actionsTriggered += 1
        if action.applied { actionsApplied += 1 }
        actionsByName[action.action, default: 0] += 1
    }

    func handle(_ batch: [Alert]) -> [Intervention] {
        var interventions: [Intervention] = []
        for alert in batch where alert.time >= 0 {
            seq += 1
            let rule = ruleSet.rules[alert.rule]
            let messages = TierPackage(alert: alert, rule: rule, layout: layout, losses: cityLosses)
            alerts.append(AlertMark(alert))
            records.append(AlertRecord(seq: seq, time: alert.time, rule: alert.rule, ruleID: alert.ruleID, scope: rule.scope.rawValue,
                                       key: alert.key, kind: alert.kind.rawValue, tier: alert.tier.name,
                                       route: alert.kind == .fired ? rule.route : "\(alert.tier.name) (escalation of \(rule.route))", value: alert.value,
                                       compared: alert.compared, reference: alert.reference, latencyNanoseconds: alert.latencyNanoseconds,
                                       repMessage: messages.rep, managerMessage: messages.manager, hqMessage: messages.hq)
                .with(evidenceTime: alert.evidenceTime == .min ? nil : alert.evidenceTime, emittedTime: alert.emittedAt == .min ? nil : alert.emittedAt))
            guard alert.kind == .fired else { continue }
            // An action can act only once its alert is out: with delayed delivery that is the
            // arrival of the data that closed the tick, not the tick.
            let from = delivered ? max(alert.emittedAt, alert.time) : alert.time
            for binding in rule.actions {
                let params = binding.parameters.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
                guard let effect = effects[binding.name] else {
                    keep(record(alert, rule, .store, seq: seq, binding: binding, params: params,
                                start: from, end: from, effect: "none (no modelled effect in the scenario)", applied: false))
                    continue
                }
                // An account-level action (a task card) acts on one account, or on the alert's own
                // store; from a city-, region- or rep-wide alert it has no account to act on, so it is
                // recorded without an effect on the world rather than widened to the whole place.
                if effect.place == .account && rule.scope != .customer && rule.scope != .store {
                    keep(record(alert, rule, .region, seq: seq, binding: binding, params: params, start: from, end: from,
                                effect: "none (an account action from a \(rule.scope.rawValue)-wide alert)", applied: false))
                    continue
                }
                let place = self.place(of: alert, rule: rule, effect.place)
                let start = from + Millis(effect.delayHours * Double(SimTime.hour))
                let end = start + Millis(effect.durationDays * Double(SimTime.day))
                var parts: [String] = []
                var made: [Intervention.Effect] = []
                if effect.churnMultiplier != 1 { parts.append("churn×\(effect.churnMultiplier)"); made.append(.churnHazard(multiplier: effect.churnMultiplier)) }
                if effect.trafficMultiplier != 1 { parts.append("traffic×\(effect.trafficMultiplier)"); made.append(.traffic(multiplier: effect.trafficMultiplier)) }
                if effect.acquisitionMultiplier != 1 { parts.append("acquisition×\(effect.acquisitionMultiplier)"); made.append(.acquisition(multiplier: effect.acquisitionMultiplier)) }
                let applies = applyActions && !afterWindow
                keep(record(alert, rule, effect.place, seq: seq, binding: binding, params: params,
                            start: start, end: end, effect: parts.isEmpty ? "none" : parts.joined(separator: " "), applied: applies, made: made))
                if applies {
                    let account = effect.place == .account && rule.scope == .customer ? alert.key : nil
                    for m in made { interventions.append(Intervention(place: place, start: start, end: end, effect: m, customer: account)) }
                }
            }
        }
        return interventions
    }

    /// The place an action acts on: the alert's own place narrowed or widened as the effect asks
    /// (a rep's territory acts through its city, an account through its store).
    func place(of alert: Alert, rule: Rule, _ wanted: ActionPlace) -> Place {
        let own = alert.place(in: rule)
        let widest: Place = layout.region(of: own).map { .region($0) } ?? .global
        switch wanted {
        case .all: return .global
        case .store, .account:
            if case .rep = own {} else if let s = layout.store(of: own) { return .store(s) }
            return layout.city(of: own).map { .city($0) } ?? widest
        case .city:
            return layout.city(of: own).map { .city($0) } ?? widest
        case .region:
            return widest
        }
    }

    /// The place an action record names: the account itself for an account action on an
    /// account's alert, otherwise where the action acts.
    private func target(_ alert: Alert, _ rule: Rule, _ wanted: ActionPlace) -> Place {
        wanted == .account && rule.scope == .customer ? alert.place(in: rule) : place(of: alert, rule: rule, wanted)
    }

    /// A record of an action taken on an alert, named as the run store writes places.
    /// `made` gives the effect's multipliers as values beside the readable `effect`.
    private func record(_ alert: Alert, _ rule: Rule, _ wanted: ActionPlace, seq: Int64, binding: ActionBinding, params: String,
                        start: Millis, end: Millis, effect: String, applied: Bool, made: [Intervention.Effect] = []) -> ActionRecord {
        let place = target(alert, rule, wanted)
        var churn: Double?, traffic: Double?, acquisition: Double?
        for m in made {
            switch m {
            case .churnHazard(let x): churn = x
            case .traffic(let x): traffic = x
            case .acquisition(let x): acquisition = x
            }
        }
        return ActionRecord(alertSeq: seq, action: binding.name, parameters: params, place: layout.recordName(of: place), target: place,
                            start: start, end: end, effect: effect, applied: applied,
                            parametersJSON: JSONValue.object(binding.parameters.map { ($0.0, .string($0.1)) }).compact(),
                            churnMultiplier: churn, trafficMultiplier: traffic, acquisitionMultiplier: acquisition)
    }
}
