import Dispatch
import WarRoomCore

/// Where an alert engine does the work of a tick boundary.
public enum TickWork: Sendable, Equatable {
    /// Every due tick before the event that made it due is added.
    case inline
    /// At most this many key evaluations per incoming event: a boundary's work is spread over
    /// the following events.
    case perEvent(Int)
    /// None on the event path (unless a rule's backlog would lose a pane): the caller runs
    /// `evaluatePending(limit:)` while it waits for input, as a server does when its queue is empty.
    case deferred
}

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
    /// `states` unretained, for the loops the idle caller runs one step at a time
    /// (`evaluatePending`, `prefault`): no reference counting per step.
    private let unretained: [Unmanaged<RuleState>]
    private var watermark = Watermark(allowedLateness: 0)
    private var sequence: Int64 = 0
    /// The earliest scheduled tick time of any rule (ticks run once the watermark passes it).
    private var nextDue: Millis = .max
    /// The rule whose window memory `prefault` looks at first.
    private var prefaultCursor = 0
    /// Alerts produced and not yet taken.
    private var pendingAlerts: [Alert] = []
    /// Events consumed (on time).
    public private(set) var eventsProcessed: Int = 0
    /// The arrival time of the event being processed, when the caller delivers events later
    /// than they happen (`.min`: no clock, an alert comes out at its tick). Alerts are stamped
    /// with it as `emittedAt`.
    public var clock: Millis = .min
    /// The event time of the event whose arrival made the ticks now evaluated due.
    private var closingEventTime: Millis = .min
    /// Late events per signal state (an event counts once for each state that would have read it).
    private var lateByState: [Int]
    /// For each event kind, the index in `states` of each `interest` entry's state, and the
    /// late event each state was last counted for.
    private let interestState: [[Int]]
    private var lateStamp: [Int]
    private var lateGeneration = 0
    /// Where the work of a tick boundary is done: all of it before the event that made it due
    /// (the default), a few key evaluations per incoming event, or none on the event path at all
    /// (the caller evaluates while it waits for input). The alerts are the same in every mode,
    /// only emitted later in wall time. `drain()` evaluates everything due.
    public var tickWork: TickWork = .inline {
        didSet { if case .perEvent(let n) = tickWork { precondition(n > 0, "a per-event budget must be positive") } }
    }
    /// Wall times at which the watermark passed tick boundaries with work still due.
    private var dueMarks: [(watermark: Millis, wall: UInt64)] = []
    /// The greatest common divisor of the rules' steps: every tick time is a multiple of it.
    private var tickGrain: Millis = 1
    /// The rule the budgeted evaluation continues with.
    private var cursor = 0
    /// The distinct evaluation steps of the rules, and the current event's pane for each.
    private var steps: [Millis] = []
    private var stepPanes: [Int64] = []

    /// Creates an engine for a rule set. Each rule keeps its first keys' panes in rings of its
    /// horizon's length, up to `ringBudget` bytes per aggregate, and further keys' panes in
    /// lists that hold only the panes with data (see `PaneLists`).
    public init(ruleSet: RuleSet, ringBudget: Int = PaneLists.defaultRingBudget) {
        self.ruleSet = ruleSet
        // Rules measuring the same signal the same way share one state (variants of a rule tuned
        // per team cost one pane update per event, not one each).
        var groups: [[(rule: Rule, index: Int)]] = []
        for (i, rule) in ruleSet.rules.enumerated() {
            if let g = groups.firstIndex(where: { RuleState.sharesSignal($0[0].rule, rule) }) {
                groups[g].append((rule, i))
            } else {
                groups.append([(rule, i)])
            }
        }
        states = groups.map { RuleState(rules: $0, allowedLateness: ruleSet.allowedLateness, ringBudget: ringBudget) }
        lateByState = Array(repeating: 0, count: states.count)
        unretained = states.map { Unmanaged.passUnretained($0) }
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
        let all = states
        interestState = table.map { entries in entries.map { entry in all.firstIndex { $0 === entry.state.takeUnretainedValue() }! } }
        lateStamp = Array(repeating: 0, count: states.count)
        watermark = Watermark(allowedLateness: ruleSet.allowedLateness)
        // Rules share a handful of steps (10 min, 1 h, 1 d): an event's pane is computed once per step.
        var distinct: [Millis] = []
        for s in states {
            if let i = distinct.firstIndex(of: s.every) { s.stepIndex = i } else { s.stepIndex = distinct.count; distinct.append(s.every) }
        }
        steps = distinct
        tickGrain = distinct.reduce(0) { Self.gcd($0, $1) }
        stepPanes = Array(repeating: 0, count: distinct.count)
    }

    private static func gcd(_ a: Millis, _ b: Millis) -> Millis { b == 0 ? max(a, 1) : gcd(b, a % b) }

    /// Makes room up front for the number of keys each scope is expected to have (stores,
    /// cities, accounts…), so the engine's tables do not grow, and copy, on the event path.
    /// Optional: without it they grow as keys appear.
    public func reserve(keys: (Rule.Scope) -> Int) {
        for s in states { s.reserve(keys: keys(s.rule.scope)) }
    }

    /// Bytes of window state the rules hold now (pane lists; freed blocks wait for reuse).
    public var paneBytes: Int { states.reduce(0) { $0 + $1.paneBytes } }

    /// At most the bytes of window state the rules can hold with `keys(scope)` keys each and
    /// `events` events (a pane list holds at most one pane per event and per pane of its span,
    /// in a block at most twice that size): what the key-scaling benchmark checks before it
    /// builds a large world.
    public func paneBytesBound(keys: (Rule.Scope) -> Int, events: Int) -> Int {
        states.reduce(0) { total, s in
            let panes = min(keys(s.rule.scope) * Int(s.ring), events)
            return total + 2 * panes * s.aggregates.count * MemoryLayout<Pane>.stride
        }
    }

    /// The least window state the rules will hold once `keys(scope)` keys each have data: the
    /// rings of the first keys (up to the ring budget per aggregate) and a first block of panes
    /// for each further key. What a run is checked against before it starts: a rule set whose
    /// floor does not fit the machine cannot run, whatever its events. One entry per signal
    /// state, named by its first rule's id.
    public func windowStateFloor(keys: (Rule.Scope) -> Int) -> [(rule: String, bytes: Double)] {
        let stride = Double(MemoryLayout<Pane>.stride)
        return states.map { s in
            let n = keys(s.rule.scope)
            let bytes = s.lists.reduce(0.0) { sum, list in
                let rings = min(n, list.ringKeys)
                return sum + Double(rings) * Double(list.span) * stride + Double(max(0, n - rings)) * 8 * stride
            }
            return (s.rule.id, bytes)
        }
    }

    /// Indices of the rules that share their signal state with at least one other rule.
    var sharedRuleIndices: [Int] { states.filter { $0.members.count > 1 }.flatMap { $0.members.map(\.index) } }

    /// Key evaluations so far over all rules: the tick work, beside the events' own.
    public var keyEvaluations: Int { states.reduce(0) { $0 + $1.evaluations } }

    /// Keys whose state was recycled once idle, over all rules.
    public var recycledKeys: Int { states.reduce(0) { $0 + $1.recycled } }

    /// Checks every rule state's consistency (`RuleState._checkInvariants`), trapping when one is
    /// broken: for the tests, in debug builds only (a no-op in release).
    func _checkInvariants() {
        #if DEBUG
        for s in states { s._checkInvariants() }
        #endif
    }

    /// Events that arrived behind the watermark and were left out.
    public var lateEvents: Int { watermark.lateEvents }

    /// Late events per rule: those behind the watermark that the rule would have read (of a
    /// kind it reads, passing its filter, with a key in its scope), indexed as `ruleSet.rules`.
    public var lateEventsByRule: [Int] {
        var out = Array(repeating: 0, count: ruleSet.rules.count)
        for (s, state) in states.enumerated() { for m in state.members { out[m.index] = lateByState[s] } }
        return out
    }

    /// Counts a late event against each signal state that would have read it, once per state
    /// (a generation stamp per state, no allocation: with no lateness allowed most events of a
    /// disordered stream can be late).
    @inline(never)
    private func countLate(_ e: Event) {
        lateGeneration &+= 1
        let kind = Int(e.kind.rawValue)
        for (j, (unmanaged, a)) in interest[kind].enumerated() {
            let s = interestState[kind][j]
            guard lateStamp[s] != lateGeneration else { continue }
            let counts = unmanaged._withUnsafeGuaranteedRef { state -> Bool in
                guard state.rule.scope.key(of: e) != nil else { return false }
                if a >= 0 { return state.unconditional[a] || state.passes(a, e) }
                let (t, f) = state.absenceRoles(e)
                return t || f
            }
            if counts {
                lateStamp[s] = lateGeneration
                lateByState[s] += 1
            }
        }
    }

    /// Consumes one event.
    @inline(__always)
    public func process(_ e: Event) {
        guard watermark.observe(e.time) else { countLate(e); return }
        // Ticks the watermark has now passed are final: evaluate them before this event's pane
        // is written, so no pane they need can be overwritten in its ring.
        let w = watermark.value
        if w > nextDue {
            closingEventTime = e.time
            noteDue(watermark: w)
            switch tickWork {
            case .inline: evaluateDue(before: w, budget: nil)
            case .perEvent(let n): evaluateDue(before: w, budget: n)
            case .deferred: break
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
                        guard state.unconditional[a] || state.passes(a, e) else { return }
                        // Spread or deferred tick work lets a rule's due ticks lag: never let this
                        // pane take a ring slot one of them still needs.
                        let pane = stepPanes[state.stepIndex]
                        if tickWork != .inline, let top = state.heap.firstTick, top * state.every < w,
                           pane - top >= state.safeBacklog {
                            closingEventTime = e.time
                            let first = pendingAlerts.count
                            state.process(before: w, into: &pendingAlerts)
                            stampAlerts(from: first)
                        }
                        guard state.add(e, aggregate: a, key: key, seq: sequence, pane: pane) else { return }
                    } else if state.shape == .absence {
                        let (t, f) = state.absenceRoles(e)
                        guard t || f else { return }
                        state.addAbsence(e, key: key, isTrigger: t, isFollowUp: f, within: state.absenceWithin, watermark: w)
                    }
                    // The arrival scheduled a tick, maybe earlier than any scheduled so far.
                    if let top = state.heap.firstTick, top * state.every < nextDue { nextDue = top * state.every }
                }
            }
        }
    }

    /// Consumes events in arrival order.
    public func process<S: Sequence>(_ events: S) where S.Element == Event {
        for e in events { process(e) }
    }

    /// Evaluates due ticks before `limit` (at most `budget` key evaluations when given), and
    /// stamps the alerts they produce with the wall time since their tick fell due. The clock
    /// is read only when alerts come out.
    private func evaluateDue(before limit: Millis, budget: Int?) {
        let first = pendingAlerts.count
        if let budget { advance(before: limit, budget: budget) } else { advance(before: limit) }
        stampAlerts(from: first)
        if nextDue >= watermark.value { dueMarks.removeAll(keepingCapacity: true) }
    }

    /// Stamps the alerts from index `first` on with the wall time since their tick fell due.
    private func stampAlerts(from first: Int) {
        guard pendingAlerts.count > first else { return }
        let emitted = DispatchTime.now().uptimeNanoseconds
        for i in first..<pendingAlerts.count {
            pendingAlerts[i].latencyNanoseconds = Int64(emitted - dueSince(pendingAlerts[i].time, fallback: emitted))
            pendingAlerts[i].evidenceTime = closingEventTime
            pendingAlerts[i].emittedAt = max(clock, pendingAlerts[i].time)
        }
    }

    /// Remembers when (wall time) the watermark passed `w`, so an alert at tick time t can be
    /// charged from the moment its tick fell due (the first mark with watermark > t).
    @inline(__always)
    private func noteDue(watermark w: Millis) {
        // Ticks are multiples of the steps' greatest common divisor: a new mark is needed only
        // when the watermark passes one more of those.
        if let last = dueMarks.last, floorDiv(w - 1, tickGrain) <= floorDiv(last.watermark - 1, tickGrain) { return }
        dueMarks.append((w, DispatchTime.now().uptimeNanoseconds))
    }

    private func floorDiv(_ a: Millis, _ b: Millis) -> Millis {
        let q = a / b
        return a % b < 0 ? q - 1 : q
    }

    /// The wall time at which tick time `t` fell due.
    private func dueSince(_ t: Millis, fallback: UInt64) -> UInt64 {
        var lo = 0, hi = dueMarks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if dueMarks[mid].watermark > t { hi = mid } else { lo = mid + 1 }
        }
        return lo < dueMarks.count ? dueMarks[lo].wall : fallback
    }

    /// Whether some tick the watermark has passed still waits for evaluation.
    public var hasDueWork: Bool { watermark.value > nextDue }

    /// Evaluates up to `limit` due (tick, key) pairs; for callers that evaluate while they wait
    /// for input (`tickWork = .deferred`). Returns whether due work remains.
    @discardableResult
    public func evaluatePending(limit: Int) -> Bool {
        guard hasDueWork else { return false }
        closingEventTime = watermark.maxEventTime
        evaluateDue(before: watermark.value, budget: max(1, limit))
        return hasDueWork
    }

    /// Touches one page of window memory ahead of where the rules will next need it, for
    /// callers with idle moments (the open-loop lab): a key met for the first time then finds its
    /// panes' memory backed instead of faulting it in page by page on the event path (a new
    /// ring of a few dozen pages stalls its event for tens of µs). Looks at one rule per call, so
    /// that a call costs an event arriving meanwhile next to nothing; returns whether it touched
    /// a page. Nothing else changes.
    @discardableResult
    public func prefault() -> Bool {
        guard !states.isEmpty else { return false }
        if unretained[prefaultCursor]._withUnsafeGuaranteedRef({ $0.prefault() }) { return true }
        prefaultCursor = prefaultCursor + 1 == states.count ? 0 : prefaultCursor + 1
        return false
    }

    /// Evaluates every tick before `limit`.
    private func advance(before limit: Millis) {
        var due = Millis.max
        for s in states {
            s.process(before: limit, into: &pendingAlerts)
            if let top = s.heap.firstTick { due = min(due, top * s.every) }
        }
        nextDue = due
    }

    /// Evaluates up to `budget` due (tick, key) pairs, one per rule in turn, so a rule with many
    /// keys due (a daily tick over every customer) does not hold back the others' ticks (rules
    /// are independent, so the order across rules does not change any alert).
    private func advance(before limit: Millis, budget: Int) {
        var left = budget
        var idle = 0
        while left > 0 && idle < states.count {
            if unretained[cursor]._withUnsafeGuaranteedRef({ $0.processOne(before: limit, into: &pendingAlerts) }) {
                left -= 1
                idle = 0
            } else {
                idle += 1
            }
            cursor = cursor + 1 == states.count ? 0 : cursor + 1
        }
        if idle >= states.count {
            // Nothing due any more: the next due time is the earliest scheduled tick.
            var due = Millis.max
            for s in states { if let top = s.heap.firstTick { due = min(due, top * s.every) } }
            nextDue = due
        }
    }

    /// Evaluates every tick the watermark has passed (with a budget, the work still pending).
    public func drain() {
        evaluateDue(before: watermark.value, budget: nil)
    }

    /// Ends the stream at `endTime`: evaluates every remaining tick at or before it.
    public func finish(at endTime: Millis) {
        for s in states {
            let lastTick = endTime >= 0 ? endTime / s.every : -((-endTime + s.every - 1) / s.every)
            s.finish(through: lastTick, into: &pendingAlerts)
        }
    }

    /// Whether alerts wait to be taken.
    public var hasAlerts: Bool { !pendingAlerts.isEmpty }

    /// Takes the alerts produced so far, in time, rule, key order.
    public func takeAlerts() -> [Alert] {
        // Alerts of the stream's end come out at their tick, or at the clock if it is past it.
        for i in pendingAlerts.indices where pendingAlerts[i].emittedAt == .min {
            pendingAlerts[i].emittedAt = max(clock, pendingAlerts[i].time)
        }
        let out: [Alert]
        if zip(pendingAlerts, pendingAlerts.dropFirst()).allSatisfy({ !Alert.precedes($1, $0) }) {
            out = pendingAlerts  // already in order (one rule's alerts, often)
        } else {
            // Sort the alerts' order keys with their indices, not the alerts: moving an Alert
            // retains and releases its strings, and a tick of many keys leaves thousands.
            var order = pendingAlerts.indices.map { i in
                let a = pendingAlerts[i]
                return (time: a.time, rule: a.rule, key: a.key, kind: a.kind == .fired ? 0 : 1, index: i)
            }
            order.sort { ($0.time, $0.rule, $0.key, $0.kind) < ($1.time, $1.rule, $1.key, $1.kind) }
            out = order.map { pendingAlerts[$0.index] }
        }
        pendingAlerts.removeAll(keepingCapacity: true)
        return out
    }
}
