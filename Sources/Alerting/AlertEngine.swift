import Dispatch
import WarRoomCore

/// The real-time alert engine: consumes events in arrival order, keeps incremental pane state
/// per rule and key, and evaluates a key only at the ticks where its window content changes
/// (arrivals, panes leaving the window, lag or baseline) or a `for`/cooldown/escalation timer
/// falls due, so a tick costs work in proportion to the keys that changed, not to all keys.
///
/// Ticks advance with the watermark (largest event time seen minus the allowed lateness); a tick
/// t is evaluated once the watermark has passed it. Events older than the watermark are late:
/// counted in `lateEvents` and left out.
public final class AlertEngine {
    /// The rules.
    public let ruleSet: RuleSet
    private let states: [RuleState]
    /// For each event kind, the (rule, aggregate or absence role) pairs interested in it. The
    /// states are held unretained here (`states` owns them) so the per-event loop does no
    /// reference counting.
    private let interest: [[(state: Unmanaged<RuleState>, aggregate: Int)]]
    private var watermark = Watermark(allowedLateness: 0)
    private var sequence: Int64 = 0
    /// The earliest scheduled tick time of any rule (ticks run once the watermark passes it).
    private var nextDue: Millis = .max
    /// Alerts produced and not yet taken.
    private var pendingAlerts: [Alert] = []
    /// Events consumed (on time).
    public private(set) var eventsProcessed: Int = 0
    /// At most this many key evaluations per incoming event (nil: all due ticks at once). A
    /// budget spreads the work of a tick boundary over the following events, so no single event
    /// waits for a whole tick's evaluations; the alerts are the same, emitted a little later in
    /// wall time. `drain()` evaluates everything due.
    public var evaluationBudget: Int?
    /// The rule the budgeted evaluation continues with.
    private var cursor = 0
    /// The distinct evaluation steps of the rules, and the current event's pane for each.
    private var steps: [Millis] = []
    private var stepPanes: [Int64] = []

    /// Creates an engine for a rule set.
    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        states = ruleSet.rules.enumerated().map { RuleState(rule: $1, index: $0, allowedLateness: ruleSet.allowedLateness) }
        var table = [[(state: Unmanaged<RuleState>, aggregate: Int)]](repeating: [], count: EventKind.allCases.count)
        for state in states {
            for kind in EventKind.allCases {
                let bit = UInt32(1) << UInt32(kind.rawValue)
                switch state.rule.signal {
                case .absence(let trigger, let followUp, _):
                    if trigger.kinds & bit != 0 || followUp.kinds & bit != 0 { table[Int(kind.rawValue)].append((.passUnretained(state), -1)) }
                default:
                    for (a, agg) in state.aggregates.enumerated() where agg.filter.kinds & bit != 0 {
                        table[Int(kind.rawValue)].append((.passUnretained(state), a))
                    }
                }
            }
        }
        interest = table
        watermark = Watermark(allowedLateness: ruleSet.allowedLateness)
        // Rules share a handful of steps (10 min, 1 h, 1 d): an event's pane is computed once per step.
        var distinct: [Millis] = []
        for s in states {
            if let i = distinct.firstIndex(of: s.every) { s.stepIndex = i } else { s.stepIndex = distinct.count; distinct.append(s.every) }
        }
        steps = distinct
        stepPanes = Array(repeating: 0, count: distinct.count)
    }

    /// Keys whose state was recycled once idle, over all rules.
    public var recycledKeys: Int { states.reduce(0) { $0 + $1.recycled } }

    /// Events that arrived behind the watermark and were left out.
    public var lateEvents: Int { watermark.lateEvents }

    /// Consumes one event.
    @inline(__always)
    public func process(_ e: Event) {
        guard watermark.observe(e.time) else { return }
        // Ticks the watermark has now passed are final: evaluate them before this event's pane
        // is written, so no pane they need can be overwritten in its ring.
        let w = watermark.value
        if w > nextDue {
            // Wall time is read only here, to measure how long this event's arrival took to alert.
            let arrival = DispatchTime.now().uptimeNanoseconds
            let first = pendingAlerts.count
            if let budget = evaluationBudget { advance(before: w, budget: budget) } else { advance(before: w) }
            if pendingAlerts.count > first {
                let emitted = Int64(DispatchTime.now().uptimeNanoseconds - arrival)
                for i in first..<pendingAlerts.count { pendingAlerts[i].latencyNanoseconds = emitted }
            }
        }
        eventsProcessed += 1
        sequence += 1
        for i in steps.indices {
            let q = e.time / steps[i]
            stepPanes[i] = e.time > q * steps[i] ? q + 1 : q  // ceil, also for negative times
        }
        interest[Int(e.kind.rawValue)].withUnsafeBufferPointer { targets in
            for (unmanaged, a) in targets {
                unmanaged._withUnsafeGuaranteedRef { state in
                    guard let key = state.rule.scope.key(of: e) else { return }
                    if a >= 0 {
                        guard state.unconditional[a] || state.filters[a].matches(e) else { return }
                        // With a budget, a rule's due ticks may lag: never let this pane take a ring
                        // slot one of them still needs.
                        let pane = stepPanes[state.stepIndex]
                        if evaluationBudget != nil, let top = state.heap.top, top.tick * state.every < w,
                           pane - top.tick >= state.safeBacklog {
                            state.process(before: w, into: &pendingAlerts)
                        }
                        guard state.add(e, aggregate: a, key: key, seq: sequence, pane: pane) else { return }
                    } else if case let .absence(trigger, followUp, within) = state.rule.signal {
                        let t = trigger.matches(e), f = followUp.matches(e)
                        guard t || f else { return }
                        state.addAbsence(e, key: key, isTrigger: t, isFollowUp: f, within: within, watermark: w)
                    }
                    // The arrival scheduled a tick, maybe earlier than any scheduled so far.
                    if let top = state.heap.top, top.tick * state.every < nextDue { nextDue = top.tick * state.every }
                }
            }
        }
    }

    /// Consumes events in arrival order.
    public func process<S: Sequence>(_ events: S) where S.Element == Event {
        for e in events { process(e) }
    }

    /// Evaluates every tick before `limit`.
    private func advance(before limit: Millis) {
        var due = Millis.max
        for s in states {
            s.process(before: limit, into: &pendingAlerts)
            if let top = s.heap.top { due = min(due, top.tick * s.every) }
        }
        nextDue = due
    }

    /// Evaluates up to `budget` due (tick, key) pairs, visiting the rules in turn (rules are
    /// independent, so the order across rules does not change any alert).
    private func advance(before limit: Millis, budget: Int) {
        var left = budget
        var idle = 0
        while left > 0 && idle < states.count {
            let s = states[cursor]
            if s.processOne(before: limit, into: &pendingAlerts) {
                left -= 1
                idle = 0
            } else {
                cursor = cursor + 1 == states.count ? 0 : cursor + 1
                idle += 1
            }
        }
        if idle >= states.count {
            // Nothing due any more: the next due time is the earliest scheduled tick.
            var due = Millis.max
            for s in states { if let top = s.heap.top { due = min(due, top.tick * s.every) } }
            nextDue = due
        }
    }

    /// Evaluates every tick the watermark has passed (with a budget, the work still pending).
    public func drain() {
        advance(before: watermark.value)
    }

    /// Ends the stream at `endTime`: evaluates every remaining tick at or before it.
    public func finish(at endTime: Millis) {
        for s in states {
            let lastTick = endTime >= 0 ? endTime / s.every : -((-endTime + s.every - 1) / s.every)
            s.finish(through: lastTick, into: &pendingAlerts)
        }
    }

    /// Takes the alerts produced so far, in time, rule, key order.
    public func takeAlerts() -> [Alert] {
        let out = pendingAlerts.sorted(by: Alert.precedes)
        pendingAlerts.removeAll(keepingCapacity: true)
        return out
    }
}
