import WarRoomCore

/// What a rule measures, without the filters.
enum SignalShape {
    case aggregate, ratio, absence
}

/// The engine's state for one signal — one rule, or several rules that measure the same thing
/// the same way and differ only in their condition, timing or tier (variants tuned per team):
/// per key, a ring of panes per aggregate, the ticks at which the key must be evaluated again,
/// and each member rule's firing state. The signal is measured once per key and tick for all
/// its members.
///
/// The class holds the stored state; its work is in extensions by concern, all in this module
/// so that the event path's calls are inlined as if in one file:
/// - `RuleState+Keys.swift`: the key index, room for keys, recycling idle keys;
/// - `RuleState+Arrivals.swift`: filters, and the panes events are added to;
/// - `RuleState+Scheduling.swift`: the ticks at which each key is evaluated, taken in order;
/// - `RuleState+Measure.swift`: window values (pane scans, running sums) and the signal;
/// - `RuleState+Lag.swift`, `RuleState+Baseline.swift`, `RuleState+ZScore.swift`: the
///   change-versus-lag, ratio-to-baseline and z-score measures;
/// - `RuleState+Firing.swift`: the member rules' conditions, timers and alerts;
/// - `RuleState+Absence.swift`: absence rules;
/// - `RuleState+Invariants.swift`: consistency checks for the tests.
final class RuleState {
    // MARK: The rule

    /// The first member rule: the signal, scope, step and comparison kind all members share.
    let rule: Rule
    let members: [RuleMember]
    let every: Millis
    let aggregates: [Aggregate]
    /// Whether a filter has no field condition (its kinds are already checked by the engine).
    let unconditional: [Bool]
    /// The filters' field conditions in memory this state owns: matching them through the
    /// filters' own arrays costs a retain and a release per event and rule.
    let conditions: [UnsafeMutableBufferPointer<FieldCondition>]
    /// Absence rules: the trigger's and the follow-up's kinds and field conditions, likewise.
    let triggerKinds: UInt32, followUpKinds: UInt32
    let triggerConditions: UnsafeMutableBufferPointer<FieldCondition>, followUpConditions: UnsafeMutableBufferPointer<FieldCondition>
    /// The aggregates' functions and fields, split out for the per-event path.
    let functions: [Aggregate.Function]
    let fields: [EventField]
    /// The signal's shape and the comparison's parts, split out of the rule's enums once (the
    /// enums carry filters, and matching them on every evaluation costs reference counting).
    let shape: SignalShape
    let absenceWithin: Millis
    let isRatioToBaseline: Bool
    let isZScore: Bool
    let isThreshold: Bool
    /// z-score rules whose every condition is false when the window is empty (z = −mean / sd ≤ 0
    /// with values that are never negative, or no z at all): a sparse key whose window is empty
    /// and whose firing state is at rest need not be judged again before its next pane.
    let quietWhenEmpty: Bool
    /// Whether a negative value reached a z-score rule (its empty windows then prove nothing).
    var sawNegative = false
    /// Panes per window, per aggregate.
    let windowPanes: [Int64]
    let lagPanes: Int64
    let baselineBlocks: Int64

    // MARK: Panes

    /// Span of panes kept per key and aggregate: a pane older than the newest written minus the
    /// span is never read again.
    let ring: Int64
    let ringLatenessPanes: Int64
    /// Per key × aggregate: the panes with data.
    let lists: [PaneLists]
    /// Their views, read without reference counting on the event path.
    let views: [PaneListsView]

    // MARK: Keys

    /// Each key's dense index, and the indices of recycled keys.
    var keyTable: KeyTable
    /// Keys recycled so far.
    var recycled = 0

    // MARK: Scheduling

    /// Index of this rule's `every` among the engine's distinct steps (set by the engine).
    var stepIndex = 0
    var heap = TickQueue()
    /// Schedule entries per key: a key with none left and nothing pending is recycled.
    var scheduledCount: [Int32] = []
    /// Threshold rules, per key × aggregate: the last pane whose window changes are scheduled.
    var lastScheduledPane: [Int64] = []
    /// Lag and baseline rules: their windows shift under every tick, so a busy key is evaluated
    /// at every tick from its first data until its last data has left the horizon, a sparse one
    /// at the ticks where one of its panes crosses a boundary (`continueEveryTick`).
    let everyTick: Bool
    let horizonPanes: Int64
    var lastDataPane: [Int64] = []
    /// Lag and baseline rules, per aggregate: the ticks, as offsets from a pane's own, at which
    /// the pane enters or leaves the window, the lagged window or a baseline block (ascending).
    let boundaries: [[Int64]]
    var nextScheduled: [Int64] = []
    /// Per key: the last tick evaluated.
    var lastEval: [Int64] = []
    /// Key evaluations so far (a key measured and its members' conditions checked at a tick).
    var evaluations = 0

    // MARK: Running sums and baselines

    /// Threshold rules on count, sum or avg: per key and aggregate, the window's running count and
    /// sum at its tick. Between two evaluations of a key at most the pane of the new tick
    /// enters and the pane N ticks before it leaves (any other pane with data would have
    /// scheduled an evaluation in between), so one pane in and one out keeps them exact.
    var running: RunningSums
    /// Lag rules on count, sum or avg: per key and aggregate, the count and sum of the window and
    /// of the lagged window, valid at its tick, moved forward by one pane at each tick.
    var lagged: RunningSums
    let allLagCached: Bool
    /// Baseline rules: per key, the window's and the baseline blocks' sums, and for z-score
    /// rules the window's recent values.
    var blocks = BlockSums()
    var history: WindowHistory

    // MARK: Absence

    /// Absence rules: per key, pending trigger times and follow-up times (both sorted).
    var pending: [[Millis]] = []
    var followUps: [[Millis]] = []

    /// Whether two rules can share one signal state: same scope, signal, step and comparison
    /// apart from its condition.
    static func sharesSignal(_ a: Rule, _ b: Rule) -> Bool {
        guard a.scope == b.scope, a.signal == b.signal, a.every == b.every else { return false }
        let none = Condition(.above, 0)
        func kind(_ c: Comparison) -> Comparison {
            switch c {
            case .threshold: return .threshold(none)
            case .changeVersusLag(let lag, _): return .changeVersusLag(lag: lag, none)
            case .ratioToBaseline(let b, _): return .ratioToBaseline(baseline: b, none)
            case .zScore(let b, _): return .zScore(baseline: b, none)
            }
        }
        return kind(a.comparison) == kind(b.comparison)
    }

    /// State for rules that share one signal (`sharesSignal`), with their indices in the rule set.
    convenience init(rule: Rule, index: Int, allowedLateness: Millis) {
        self.init(rules: [(rule, index)], allowedLateness: allowedLateness, ringBudget: PaneLists.defaultRingBudget)
    }

    init(rules: [(rule: Rule, index: Int)], allowedLateness: Millis, ringBudget: Int) {
        precondition(!rules.isEmpty)
        let rule = rules[0].rule
        self.rule = rule
        members = rules.map { RuleMember(rule: $0.rule, index: $0.index) }
        every = rule.every
        aggregates = rule.aggregates
        unconditional = rule.aggregates.map(\.filter.conditions.isEmpty)
        func owned(_ c: [FieldCondition]) -> UnsafeMutableBufferPointer<FieldCondition> {
            let buffer = UnsafeMutableBufferPointer<FieldCondition>.allocate(capacity: c.count)
            _ = buffer.initialize(from: c)
            return buffer
        }
        conditions = rule.aggregates.map { owned($0.filter.conditions) }
        if case let .absence(trigger, followUp, _) = rule.signal {
            (triggerKinds, followUpKinds) = (trigger.kinds, followUp.kinds)
            (triggerConditions, followUpConditions) = (owned(trigger.conditions), owned(followUp.conditions))
        } else {
            (triggerKinds, followUpKinds) = (0, 0)
            (triggerConditions, followUpConditions) = (owned([]), owned([]))
        }
        functions = rule.aggregates.map(\.function)
        switch rule.signal {
        case .aggregate: shape = .aggregate; absenceWithin = 0
        case .ratio: shape = .ratio; absenceWithin = 0
        case .absence(_, _, let within): shape = .absence; absenceWithin = within
        }
        if case .ratioToBaseline = rule.comparison { isRatioToBaseline = true } else { isRatioToBaseline = false }
        if case .zScore = rule.comparison { isZScore = true } else { isZScore = false }
        if case .threshold = rule.comparison { isThreshold = true } else { isThreshold = false }
        quietWhenEmpty = isZScore && rules.allSatisfy { r in
            let c = r.rule.comparison.condition
            switch c.op {
            case .above: return c.value >= 0
            case .atLeast, .equal: return c.value > 0
            case .below, .atMost, .notEqual: return false
            }
        }
        fields = rule.aggregates.map(\.field)
        windowPanes = aggregates.map { $0.window / rule.every }
        let latenessPanes = (allowedLateness + rule.every - 1) / rule.every
        ringLatenessPanes = latenessPanes
        // A power of two (a ring's slot is a mask). Headroom of about 12 hours of event time (at
        // most the window's own size, at least 8 panes) lets due ticks wait while new panes are
        // written (deferred or spread tick work) before the engine must evaluate them on the
        // event path.
        let headroom = min((12 * SimTime.hour + rule.every - 1) / rule.every, max(8, Int64(rule.panesPerKey)))
        var r: Int64 = 1
        while r < Int64(rule.panesPerKey) + latenessPanes + 3 + headroom { r <<= 1 }
        ring = r
        switch rule.comparison {
        case .changeVersusLag(let lag, _): lagPanes = lag / rule.every; baselineBlocks = 0
        case .ratioToBaseline(let b, _), .zScore(let b, _): lagPanes = 0; baselineBlocks = b / (aggregates.first?.window ?? b)
        case .threshold: lagPanes = 0; baselineBlocks = 0
        }
        keyTable = KeyTable(useDense: rule.scope != .customer)
        let hasLag = lagPanes > 0
        let threshold = isThreshold
        running = RunningSums(cached: rule.aggregates.map { [.count, .sum, .avg].contains($0.function) && threshold })
        let cached = rule.aggregates.map { [.count, .sum, .avg].contains($0.function) && hasLag }
        lagged = RunningSums(cached: cached)
        allLagCached = cached.allSatisfy { $0 }
        everyTick = lagPanes > 0 || baselineBlocks > 0
        var h: Int64 = 1
        if case .zScore = rule.comparison { while h < baselineBlocks * (windowPanes.first ?? 1) + 1 { h <<= 1 } }
        history = WindowHistory(mask: h - 1)
        horizonPanes = rule.horizon / rule.every
        let (lag, blocks, zScore) = (lagPanes, baselineBlocks, isZScore)
        boundaries = windowPanes.map { n in
            if lag > 0 { return Array(Set([0, n, lag, lag + n])).sorted() }
            if zScore { return (0...(blocks + 1)).map { $0 * n } }
            return blocks > 0 ? [0, n, (blocks + 1) * n] : []  // threshold rules schedule their own
        }
        lists = rule.aggregates.map { PaneLists(span: r, tracksDistinct: $0.function == .distinct, ringBudget: ringBudget) }
        views = lists.map(\.view)
    }

    deinit {
        for c in conditions { c.deallocate() }
        triggerConditions.deallocate()
        followUpConditions.deallocate()
    }

    // MARK: Panes

    /// Aggregate `a`'s pane lists, for reading.
    @inline(__always)
    func list(_ a: Int) -> PaneListsView { views[a] }

    /// Bytes of window state the lists hold.
    var paneBytes: Int { lists.reduce(0) { $0 + $1.bytes } }

    /// Touches a page of window memory ahead of use, if one of the lists has one to touch.
    func prefault() -> Bool { lists.contains { $0.prefault() } }

    /// The pane an event time falls into: ((p − 1)·every, p·every].
    @inline(__always)
    func pane(of time: Millis) -> Int64 {
        let q = time / every
        return time > q * every ? q + 1 : q  // ceil, also for negative times
    }
}
