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
final class RuleState {
    /// The first member rule: the signal, scope, step and comparison kind all members share.
    let rule: Rule
    let members: [RuleMember]
    let every: Millis
    let aggregates: [Aggregate]
    /// The aggregates' functions and fields, split out for the per-event path.
    /// Whether a filter has no field condition (its kinds are already checked by the engine).
    let unconditional: [Bool]
    /// The filters' field conditions in memory this state owns: matching them through the
    /// filters' own arrays costs a retain and a release per event and rule.
    let conditions: [UnsafeMutableBufferPointer<FieldCondition>]
    /// Absence rules: the trigger's and the follow-up's kinds and field conditions, likewise.
    let triggerKinds: UInt32, followUpKinds: UInt32
    let triggerConditions: UnsafeMutableBufferPointer<FieldCondition>, followUpConditions: UnsafeMutableBufferPointer<FieldCondition>
    let functions: [Aggregate.Function]
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
    private var sawNegative = false
    let allLagCached: Bool
    let fields: [EventField]
    /// Panes per window, per aggregate.
    let windowPanes: [Int64]
    /// Span of panes kept per key and aggregate: a pane older than the newest written minus the
    /// span is never read again.
    let ring: Int64
    let ringLatenessPanes: Int64
    /// Index of this rule's `every` among the engine's distinct steps (set by the engine).
    var stepIndex = 0
    let lagPanes: Int64
    let baselineBlocks: Int64

    // Keys.
    var keys: [Int64] = []
    var dense: [Int32] = []            // small non-negative keys → index
    var sparse: [Int64: Int32] = [:]   // customer keys → index
    let useDense: Bool

    // Per key × aggregate: the panes with data.
    let lists: [PaneLists]
    /// Their views, read without reference counting on the event path.
    private let views: [PaneListsView]
    var lastScheduledPane: [Int64] = []  // per key × aggregate
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
    /// Baseline rules: the sums of the current window (index 0) and of each baseline block, per
    /// key, valid at tick `blockTick[key]`, moved forward by one pane per block at each tick.
    var blockSums: [Double] = []
    var blockTick: [Int64] = []
    /// z-score rules: for a key in rings (busy, evaluated at every tick), the window's value at
    /// each of the last ticks (a ring indexed by tick) in slot `historySlot[key]`: block j at tick
    /// k is the window at tick k − j·N, so the M blocks are M reads of this compact ring instead
    /// of 2·(M + 1) pane reads. A key in lists (sparse) has no slot: its few panes give the
    /// blocks directly, and a history of 8 KiB per key would be most of the memory at 100,000
    /// stores.
    var windowHistory: [Double] = []
    let historyMask: Int64
    /// Each key's history slot, −1 when none.
    var historySlot: [Int32] = []
    /// Slots of recycled keys, reused.
    private var freeHistorySlots: [Int32] = []
    /// Threshold rules on count, sum or avg: per key and aggregate, the window's running count and
    /// sum at tick `runTick`. Between two evaluations of a key at most the pane of the new tick
    /// enters and the pane N ticks before it leaves (any other pane with data would have
    /// scheduled an evaluation in between), so one pane in and one out keeps them exact.
    var runSums: [Double] = []
    var runTick: [Int64] = []
    let runCached: [Bool]
    /// Lag rules on count, sum or avg: per key and aggregate, the count and sum of the window and
    /// of the lagged window, valid at tick `lagTick`, moved forward by one pane at each tick.
    var lagSums: [Double] = []
    var lagTick: [Int64] = []
    let lagCached: [Bool]

    // Per key.
    var lastEval: [Int64] = []

    // Absence rules: per key, pending trigger times and follow-up times (both sorted).
    var pending: [[Millis]] = []
    var followUps: [[Millis]] = []

    var heap = TickQueue()
    /// Schedule entries per key: a key with none left and nothing pending is recycled.
    var scheduledCount: [Int32] = []
    /// Indices of recycled keys, reused by new keys.
    var freeIndices: [Int32] = []
    /// Keys recycled so far.
    private(set) var recycled = 0
    /// Key evaluations so far (a key measured and its members' conditions checked at a tick).
    private(set) var evaluations = 0

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
        useDense = rule.scope != .customer
        let hasLag = lagPanes > 0
        let threshold = isThreshold
        runCached = rule.aggregates.map { [.count, .sum, .avg].contains($0.function) && threshold }
        let cached = rule.aggregates.map { [.count, .sum, .avg].contains($0.function) && hasLag }
        lagCached = cached
        allLagCached = cached.allSatisfy { $0 }
        everyTick = lagPanes > 0 || baselineBlocks > 0
        var h: Int64 = 1
        if case .zScore = rule.comparison { while h < baselineBlocks * (windowPanes.first ?? 1) + 1 { h <<= 1 } }
        historyMask = h - 1
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

    /// Whether an event passes every condition of a list.
    @inline(__always)
    private static func holds(_ conditions: UnsafeMutableBufferPointer<FieldCondition>, _ e: Event) -> Bool {
        for c in conditions where !c.op.holds(c.field.value(of: e), c.value) { return false }
        return true
    }

    /// Whether an event of an interesting kind passes aggregate `a`'s field conditions.
    @inline(__always)
    func passes(_ a: Int, _ e: Event) -> Bool { Self.holds(conditions[a], e) }

    /// Absence rules: whether an event is a trigger and whether it is a follow-up.
    @inline(__always)
    func absenceRoles(_ e: Event) -> (trigger: Bool, followUp: Bool) {
        let bit = UInt32(1) << UInt32(e.kind.rawValue)
        return (triggerKinds & bit != 0 && Self.holds(triggerConditions, e), followUpKinds & bit != 0 && Self.holds(followUpConditions, e))
    }

    /// Schedules an evaluation of a key at a tick.
    @inline(__always)
    func schedule(_ tick: Int64, _ key: Int32) {
        heap.push(tick, key)
        scheduledCount[Int(key)] += 1
    }

    /// The dense index of a key, creating its state on first sight.
    @inline(__always)
    func keyIndex(_ key: Int64) -> Int32 {
        if useDense {
            let k = Int(key)
            if k < dense.count, dense[k] >= 0 { return dense[k] }
            if k >= dense.count { dense.append(contentsOf: repeatElement(-1, count: k - dense.count + 1)) }
            let i = newKey(key)
            dense[k] = i
            return i
        }
        if let i = sparse[key] { return i }
        let i = newKey(key)
        sparse[key] = i
        return i
    }

    /// Makes room for `n` keys up front, so that growing the per-key arrays, the key table and
    /// the schedule never copies them on the event path (a copy of a few thousand keys' state
    /// stalls one event for 50–150 µs).
    func reserve(keys n: Int) {
        guard n > keys.count else { return }
        let aggs = aggregates.count
        keys.reserveCapacity(n)
        scheduledCount.reserveCapacity(n)
        if useDense { dense.reserveCapacity(n) } else { sparse.reserveCapacity(n) }
        lastScheduledPane.reserveCapacity(n * aggs)
        lastDataPane.reserveCapacity(n)
        nextScheduled.reserveCapacity(n)
        if baselineBlocks > 0 {
            blockSums.reserveCapacity(n * 2 * (Int(baselineBlocks) + 1))
            blockTick.reserveCapacity(n)
            if isZScore {
                historySlot.reserveCapacity(n)
                windowHistory.reserveCapacity(min(n, lists[0].ringKeys) * (Int(historyMask) + 1))
            }
        }
        if runCached.contains(true) { runSums.reserveCapacity(2 * n * aggs); runTick.reserveCapacity(n * aggs) }
        if lagPanes > 0 { lagSums.reserveCapacity(4 * n * aggs); lagTick.reserveCapacity(n * aggs) }
        for list in lists { list.reserve(keys: n) }
        for m in members { m.reserve(n) }
        lastEval.reserveCapacity(n)
        if shape == .absence { pending.reserveCapacity(n); followUps.reserveCapacity(n) }
    }

    private func newKey(_ key: Int64) -> Int32 {
        if let i = freeIndices.popLast() {
            keys[Int(i)] = key
            return i
        }
        keys.append(key)
        scheduledCount.append(0)
        for list in lists {
            list.appendKey()
            lastScheduledPane.append(.min)
        }
        lastDataPane.append(.min)
        nextScheduled.append(.min)
        if baselineBlocks > 0 {
            blockSums.append(contentsOf: repeatElement(0, count: 2 * (Int(baselineBlocks) + 1)))
            blockTick.append(.min)
            if isZScore { historySlot.append(-1) }
        }
        if runCached.contains(true) {
            runSums.append(contentsOf: repeatElement(0, count: 2 * aggregates.count))
            runTick.append(contentsOf: repeatElement(.min, count: aggregates.count))
        }
        if lagPanes > 0 {
            lagSums.append(contentsOf: repeatElement(0, count: 4 * aggregates.count))
            lagTick.append(contentsOf: repeatElement(.min, count: aggregates.count))
        }
        for m in members { m.appendKey() }
        lastEval.append(.min)
        if shape == .absence {
            pending.append([])
            followUps.append([])
        }
        return Int32(keys.count - 1)
    }

    /// Aggregate `a`'s pane lists, for reading.
    @inline(__always)
    private func list(_ a: Int) -> PaneListsView { views[a] }

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

    // MARK: Arrivals

    /// Adds an on-time event to aggregate `a` of its key; true when it scheduled an evaluation.
    @inline(__always) @discardableResult
    func add(_ e: Event, aggregate a: Int, key: Int64, seq: Int64, pane p: Int64) -> Bool {
        let k = keyIndex(key)
        let v = fields[a].value(of: e)
        if isZScore && v < 0 { sawNegative = true }
        let pane = views[a].existing(k, p) ?? lists[a].insert(k, p)
        pane.pointee.add(v, time: e.time, seq: seq)
        if functions[a] == .distinct { lists[a].insertDistinct(v, key: k, pane: p) }
        if everyTick {
            let i = Int(k)
            if p > lastDataPane[i] { lastDataPane[i] = p }
            if nextScheduled[i] == .min || nextScheduled[i] > p {
                nextScheduled[i] = p
                schedule(p, k)
                return true
            }
        } else {
            let c = Int(k) * aggregates.count + a
            if lastScheduledPane[c] != p {
                lastScheduledPane[c] = p
                scheduleContentChanges(key: k, pane: p, windowPanes: windowPanes[a])
                return true
            }
        }
        return false
    }

    /// Schedules the ticks at which pane `p` enters or leaves the window: the only ticks at
    /// which its presence changes a threshold rule's condition.
    private func scheduleContentChanges(key: Int32, pane p: Int64, windowPanes n: Int64) {
        schedule(p, key)
        schedule(p + n, key)
    }

    /// Lag and baseline rules: after evaluating tick k, schedule the next tick at which the
    /// signal can change. A key in rings (busy) is evaluated at every tick while data is within
    /// the horizon; a key in lists (sparse) only at the ticks where one of its panes enters or
    /// leaves the window, the lagged window or a baseline block (`nextChange`): between those
    /// its value, so its condition, stays the same, and the firing timers schedule their own ticks.
    /// A quiet key (`isQuiet`) in lists waits for its next pane instead: the panes leaving
    /// baseline blocks meanwhile move the mean and deviation, but the condition stays false.
    private func continueEveryTick(key: Int32, after k: Int64, quiet: Bool) {
        let i = Int(key)
        var next: Int64?
        if views.contains(where: { $0.isRing(key) }) {
            if lastDataPane[i] != .min && k + 1 <= lastDataPane[i] + horizonPanes { next = k + 1 }
        } else if quiet {
            // The next pane to enter the window, or else the tick the newest one leaves the last
            // baseline block: the key holds data until then and must not be recycled before.
            let reach = boundaries[0].last ?? 0
            let entering = views[0].oldest(key, from: k + 1, to: .max)?.pointee.id ?? .max
            let leaving = views[0].newest(key, from: k + 1 - reach, to: k).map { $0.pointee.id + reach } ?? .max
            next = min(entering, leaving) == .max ? nil : min(entering, leaving)
        } else {
            next = nextChange(key: key, after: k)
        }
        if let t = next {
            if nextScheduled[i] <= k || t < nextScheduled[i] { nextScheduled[i] = t; schedule(t, key) }
        } else if nextScheduled[i] <= k {
            nextScheduled[i] = .min
        }
    }

    /// The first tick after k at which a pane with data of the key crosses a boundary of the
    /// signal: enters the window (its own tick), leaves it, enters or leaves the lagged window,
    /// or moves from one baseline block to the next; nil when no pane is left in the horizon.
    private func nextChange(key: Int32, after k: Int64) -> Int64? {
        var best = Int64.max
        for a in aggregates.indices where best > k + 1 {
            let offsets = boundaries[a]
            let reach = offsets.last ?? 0
            let n = windowPanes[a]
            views[a].forEach(key, from: k + 1 - reach, to: .max) { pane in
                let q = pane.pointee.id
                guard q < best, best > k + 1 else { return }
                if q > k {
                    best = q
                } else if isZScore {
                    // The boundaries are every n ticks from the pane's own: the next one after k.
                    best = min(best, q + ((k - q) / n + 1) * n)
                } else {
                    for b in offsets where q + b > k { best = min(best, q + b); break }
                }
            }
        }
        return best == .max ? nil : best
    }

    /// The current window's value and the mean and standard deviation of the baseline blocks
    /// at tick k. Block counts and sums move forward incrementally from tick k − 1 when possible
    /// (recomputed every 256 ticks against drift, staggered by key so that keys do not all
    /// recompute at the same tick; a block with no event is exactly 0).
    private func baseline(key: Int32, tick k: Int64) -> (value: Double, mean: Double, sd: Double) {
        let i = Int(key)
        let m = Int(baselineBlocks)
        let n = windowPanes[0]
        let isCount = functions[0] == .count
        let base = i * 2 * (m + 1)
        let view = list(0), header = view.header(key)
        @inline(__always) func read(_ p: Int64) -> (Double, Double) { view.countAndSum(in: header, p) }
        if isRatioToBaseline {
            // Only the mean is needed: keep the window's and the whole baseline's count and sum.
            if blockTick[i] == k - 1 && (k + Int64(i)) & 255 != 0 {
                let now = read(k), out = read(k - n), older = read(k - Int64(m + 1) * n)
                blockSums[base] += now.0 - out.0
                blockSums[base + 1] += now.1 - out.1
                blockSums[base + 2] += out.0 - older.0
                blockSums[base + 3] += out.1 - older.1
            } else if blockTick[i] != k {
                (blockSums[base], blockSums[base + 1]) = countAndSum(0, key, from: k - n + 1, to: k)
                (blockSums[base + 2], blockSums[base + 3]) = countAndSum(0, key, from: k - Int64(m + 1) * n + 1, to: k - n)
            }
            blockTick[i] = k
            let value = isCount ? blockSums[base] : (blockSums[base] > 0 ? blockSums[base + 1] : 0)
            let total = isCount ? blockSums[base + 2] : (blockSums[base + 2] > 0 ? blockSums[base + 3] : 0)
            return (value, total / Double(m), 0)
        }
        guard view.isRing(key) else { return sparseZScore(key: key, tick: k, blocks: m, window: n, isCount: isCount, base: base) }
        // z-score, key in rings: the running window, and the window's past values from its
        // history ring (made from its panes when the key has just become a ring).
        if historySlot[i] < 0 { startHistory(key: key, tick: k) }
        let h = Int(historySlot[i]) * Int(historyMask + 1)
        if blockTick[i] == k - 1 && (k + Int64(i)) & 255 != 0 {
            let now = read(k), out = read(k - n)
            blockSums[base] += now.0 - out.0
            blockSums[base + 1] += now.1 - out.1
        } else if blockTick[i] != k {
            (blockSums[base], blockSums[base + 1]) = countAndSum(0, key, from: k - n + 1, to: k)
            // Between two evaluations no pane entered or left the window (those ticks are
            // evaluated): the window kept the value it had at the last one (0 for a new key).
            if blockTick[i] < k - 1 {
                let kept = blockTick[i] == .min ? 0 : windowHistory[h + Int(blockTick[i] & historyMask)]
                let from = blockTick[i] == .min ? k - historyMask : max(blockTick[i] + 1, k - historyMask)
                var t = from
                while t < k { windowHistory[h + Int(t & historyMask)] = kept; t += 1 }
            }
        }
        blockTick[i] = k
        let value = isCount ? blockSums[base] : (blockSums[base] > 0 ? blockSums[base + 1] : 0)
        windowHistory[h + Int(k & historyMask)] = value
        var total = 0.0
        for j in 1...m { total += windowHistory[h + Int((k - Int64(j) * n) & historyMask)] }
        let mean = total / Double(m)
        var squares = 0.0
        for j in 1...m { let d = windowHistory[h + Int((k - Int64(j) * n) & historyMask)] - mean; squares += d * d }
        return (value, mean, (squares / Double(m)).squareRoot())
    }

    /// z-score of a key in lists at tick k: the window and the M blocks before it summed from its
    /// panes (each pane in (k − (M + 1)·N, k − N] falls in exactly one block), no history kept.
    /// Leaves the window's count and sum in `blockSums` (`isQuiet` reads the count).
    private func sparseZScore(key: Int32, tick k: Int64, blocks m: Int, window n: Int64, isCount: Bool, base: Int) -> (value: Double, mean: Double, sd: Double) {
        let (count, sum) = countAndSum(0, key, from: k - n + 1, to: k)
        blockSums[base] = count
        blockSums[base + 1] = sum
        blockTick[Int(key)] = .min
        let value = isCount ? count : (count > 0 ? sum : 0)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: m) { blocks in
            blocks.initialize(repeating: 0)
            list(0).forEach(key, from: k - Int64(m + 1) * n + 1, to: k - n) { pane in
                let j = Int((k - pane.pointee.id) / n)  // 1…M
                blocks[j - 1] += isCount ? Double(pane.pointee.count) : pane.pointee.sum
            }
            var total = 0.0
            for b in blocks { total += b }
            let mean = total / Double(m)
            var squares = 0.0
            for b in blocks { squares += (b - mean) * (b - mean) }
            return (value, mean, (squares / Double(m)).squareRoot())
        }
    }

    /// Gives a key that has just become a ring a history slot, filled with its window's values at
    /// the ticks the blocks of tick k and later still read (k − M·N … k − 1), from its panes;
    /// leaves the window at k − 1 in `blockSums`, so tick k moves it one pane forward.
    private func startHistory(key: Int32, tick k: Int64) {
        let i = Int(key)
        let width = Int(historyMask + 1)
        let slot: Int32
        if let reused = freeHistorySlots.popLast() {
            slot = reused
        } else {
            slot = Int32(windowHistory.count / width)
            windowHistory.append(contentsOf: repeatElement(0, count: width))
        }
        historySlot[i] = slot
        let h = Int(slot) * width
        let m = Int64(baselineBlocks), n = windowPanes[0]
        let isCount = functions[0] == .count
        let view = list(0), header = view.header(key)
        var t = k - m * n
        var (c, s) = countAndSum(0, key, from: t - n + 1, to: t)
        while true {
            windowHistory[h + Int(t & historyMask)] = isCount ? c : (c > 0 ? s : 0)
            if t == k - 1 { break }
            t += 1
            let enter = view.countAndSum(in: header, t), leave = view.countAndSum(in: header, t - n)
            c += enter.0 - leave.0
            s += enter.1 - leave.1
        }
        let base = i * 2 * (Int(m) + 1)
        blockSums[base] = c
        blockSums[base + 1] = s
        blockTick[i] = k - 1
    }

    /// Absence rules: a trigger or a follow-up for a key.
    func addAbsence(_ e: Event, key: Int64, isTrigger: Bool, isFollowUp: Bool, within: Millis, watermark: Millis) {
        let k = Int(keyIndex(key))
        if isFollowUp {
            // With no trigger pending, follow-ups behind the watermark can resolve nothing: every
            // trigger still to arrive is on time, so later than them.
            if pending[k].isEmpty { followUps[k].removeAll { $0 < watermark } }
            Self.insertSorted(e.time, into: &followUps[k])
        }
        if isTrigger {
            Self.insertSorted(e.time, into: &pending[k])
            let due = pane(of: e.time + within)  // the first tick at or after τ + within
            schedule(due, Int32(k))
        }
    }

    private static func insertSorted(_ t: Millis, into list: inout [Millis]) {
        var i = list.count
        list.append(t)
        while i > 0 && list[i - 1] > t { list.swapAt(i - 1, i); i -= 1 }
    }

    // MARK: Values

    func rangeValue(_ a: Int, key: Int32, from lo: Int64, to hi: Int64) -> Double? {
        var acc = RangeAggregate()
        let f = functions[a]
        // The window's last value is the last of its newest pane with data.
        if f == .last { return list(a).newest(key, from: lo, to: hi)?.pointee.last }
        list(a).forEach(key, from: lo, to: hi) { pane in
            acc.add(pane.pointee)
            if f == .distinct { for v in lists[a].distinctValues(key, pane.pointee.id) { acc.distinct.insert(v) } }
        }
        return acc.value(f)
    }

    /// Count and sum of aggregate `a` over [lo, hi].
    private func countAndSum(_ a: Int, _ key: Int32, from lo: Int64, to hi: Int64) -> (Double, Double) {
        var c = 0.0, s = 0.0
        list(a).forEach(key, from: lo, to: hi) { pane in c += Double(pane.pointee.count); s += pane.pointee.sum }
        return (c, s)
    }

    /// Lag rules: the value of aggregate `a` over the window and over the lagged window at tick k,
    /// from running counts and sums moved forward one pane per tick.
    private func lagValues(_ a: Int, key: Int32, tick k: Int64) -> (current: Double?, lagged: Double?) {
        let n = windowPanes[a], l = lagPanes
        let c = (Int(key) * aggregates.count + a)
        let b = 4 * c
        if lagTick[c] == k - 1 && (k + Int64(c)) & 255 != 0 {
            let view = list(a), h = view.header(key)
            let now = view.countAndSum(in: h, k), out = view.countAndSum(in: h, k - n)
            let lagNow = view.countAndSum(in: h, k - l), lagOut = view.countAndSum(in: h, k - l - n)
            lagSums[b] += now.0 - out.0
            lagSums[b + 1] += now.1 - out.1
            lagSums[b + 2] += lagNow.0 - lagOut.0
            lagSums[b + 3] += lagNow.1 - lagOut.1
        } else if lagTick[c] != k {
            (lagSums[b], lagSums[b + 1]) = countAndSum(a, key, from: k - n + 1, to: k)
            (lagSums[b + 2], lagSums[b + 3]) = countAndSum(a, key, from: k - l - n + 1, to: k - l)
        }
        lagTick[c] = k
        func value(_ count: Double, _ sum: Double) -> Double? {
            switch functions[a] {
            case .count: return count
            case .sum: return count > 0 ? sum : 0  // an empty window is exactly 0, whatever the rounding
            default: return count > 0 ? sum / count : nil
            }
        }
        return (value(lagSums[b], lagSums[b + 1]), value(lagSums[b + 2], lagSums[b + 3]))
    }

    /// Threshold rules: aggregate `a` over the window at tick k from the running count and sum.
    private func runningValue(_ a: Int, key: Int32, tick k: Int64) -> Double? {
        let n = windowPanes[a]
        let c = Int(key) * aggregates.count + a
        let b = 2 * c
        if runTick[c] != .min && runTick[c] < k && (k + Int64(c)) & 255 != 0 {
            let view = list(a), h = view.header(key)
            let now = view.countAndSum(in: h, k), out = view.countAndSum(in: h, k - n)
            runSums[b] += now.0 - out.0
            runSums[b + 1] += now.1 - out.1
        } else if runTick[c] != k {
            (runSums[b], runSums[b + 1]) = countAndSum(a, key, from: k - n + 1, to: k)
        }
        runTick[c] = k
        let count = runSums[b], sum = count > 0 ? runSums[b + 1] : 0
        switch functions[a] {
        case .count: return count
        case .sum: return sum
        default: return count > 0 ? sum / count : nil
        }
    }

    /// The window value of aggregate `a` at tick k.
    @inline(__always)
    private func windowValue(_ a: Int, key: Int32, tick k: Int64) -> Double? {
        runCached[a] ? runningValue(a, key: key, tick: k) : rangeValue(a, key: key, from: k - windowPanes[a] + 1, to: k)
    }

    /// The signal's value at tick k, the compared quantity and the reference.
    func measure(key: Int32, tick k: Int64) -> (value: Double?, compared: Double?, reference: Double?) {
        let n = windowPanes[0]
        switch shape {
        case .aggregate where baselineBlocks > 0:
            let b = baseline(key: key, tick: k)
            if isRatioToBaseline { return (b.value, b.mean > 0 ? b.value / b.mean : nil, b.mean) }
            return (b.value, b.sd > 0 ? (b.value - b.mean) / b.sd : nil, b.mean)
        case .absence:
            return (nil, nil, nil)
        case .aggregate, .ratio:
            break
        }
        if case .changeVersusLag = rule.comparison, allLagCached {
            // Both windows from the running sums: no pane scan.
            let first = lagValues(0, key: key, tick: k)
            var current = first.current, lagged = first.lagged
            if aggregates.count == 2 {
                let second = lagValues(1, key: key, tick: k)
                if let num = current, let den = second.current, den != 0 { current = num / den } else { current = nil }
                if let num = lagged, let den = second.lagged, den != 0 { lagged = num / den } else { lagged = nil }
            }
            guard let v = current, let l = lagged, l != 0 else { return (current, nil, lagged) }
            return (v, (v - l) / abs(l), l)
        }
        let value: Double?
        if shape == .ratio {
            let num = windowValue(0, key: key, tick: k)
            let den = windowValue(1, key: key, tick: k)
            if let num, let den, den != 0 { value = num / den } else { value = nil }
        } else {
            value = windowValue(0, key: key, tick: k)
        }
        switch rule.comparison {
        case .threshold:
            return (value, value, nil)
        case .changeVersusLag:
            let lagged: Double?
            switch shape {
            case .ratio:
                let m = windowPanes[1]
                let num = rangeValue(0, key: key, from: k - lagPanes - n + 1, to: k - lagPanes)
                let den = rangeValue(1, key: key, from: k - lagPanes - m + 1, to: k - lagPanes)
                if let num, let den, den != 0 { lagged = num / den } else { lagged = nil }
            default:
                lagged = rangeValue(0, key: key, from: k - lagPanes - n + 1, to: k - lagPanes)
            }
            guard let v = value, let l = lagged, l != 0 else { return (value, nil, lagged) }
            return (value, (v - l) / abs(l), l)
        case .ratioToBaseline, .zScore:
            return (value, nil, nil)  // baselines apply to single count or sum signals, handled above
        }
    }

    // MARK: Ticks

    /// Evaluates every key scheduled at ticks whose time is before `limit` (exclusive), appending alerts.
    func process(before limit: Millis, into alerts: inout [Alert]) {
        while processOne(before: limit, into: &alerts) {}
    }

    /// Evaluates the earliest scheduled (tick, key) if its tick is before `limit`; false when none is.
    @discardableResult
    func processOne(before limit: Millis, into alerts: inout [Alert]) -> Bool {
        guard let first = heap.firstTick, first * every < limit, let top = heap.pop() else { return false }
        let k = Int(top.key)
        scheduledCount[k] -= 1
        if lastEval[k] != top.tick {
            lastEval[k] = top.tick
            evaluations += 1
            if shape == .absence {
                evaluateAbsence(key: top.key, tick: top.tick, within: absenceWithin, into: &alerts)
            } else {
                evaluate(key: top.key, tick: top.tick, into: &alerts)
            }
        }
        if scheduledCount[k] == 0 { recycleIfIdle(top.key, tick: top.tick) }
        return true
    }

    /// Frees a key with nothing scheduled whose state is the one a new key starts with: not
    /// holding, armed, no escalation due, cooldown over, no trigger pending. Its data has left
    /// every window (the last expiry or horizon tick scheduled it), so the reference's view of
    /// it — evaluated at every tick, the condition false — matches a fresh key's from here on.
    private func recycleIfIdle(_ key: Int32, tick k: Int64) {
        let i = Int(key)
        for m in members { guard m.isIdle(i, tick: k) else { return } }
        if shape == .absence {
            // Follow-ups after this tick may still resolve a trigger yet to arrive: keep the key.
            followUps[i].removeAll { $0 <= k * every }
            guard pending[i].isEmpty, followUps[i].isEmpty else { return }
        }
        if useDense { dense[Int(keys[i])] = -1 } else { sparse.removeValue(forKey: keys[i]) }
        for a in aggregates.indices {
            lists[a].reset(key)
            lastScheduledPane[i * aggregates.count + a] = .min
        }
        lastDataPane[i] = .min
        nextScheduled[i] = .min
        if baselineBlocks > 0 {
            blockTick[i] = .min
            if isZScore && historySlot[i] >= 0 {
                freeHistorySlots.append(historySlot[i])
                historySlot[i] = -1
            }
        }
        if runCached.contains(true) { for a in aggregates.indices { runTick[i * aggregates.count + a] = .min } }
        if lagPanes > 0 { for a in aggregates.indices { lagTick[i * aggregates.count + a] = .min } }
        for m in members { m.resetKey(i) }
        lastEval[i] = .min
        freeIndices.append(key)
        recycled += 1
    }

    /// How many ticks a due tick may wait while newer panes are written, before a newer pane
    /// could take the ring slot of a pane that tick still needs.
    var safeBacklog: Int64 { ring - horizonPanes - ringLatenessPanes - 2 }

    /// Evaluates all remaining ticks up to and including `lastTick`.
    func finish(through lastTick: Int64, into alerts: inout [Alert]) {
        process(before: lastTick * every + 1, into: &alerts)
    }

    private func evaluate(key: Int32, tick k: Int64, into alerts: inout [Alert]) {
        let m = measure(key: key, tick: k)
        for member in members { fire(member, key: key, tick: k, measured: m, into: &alerts) }
        if everyTick { continueEveryTick(key: key, after: k, quiet: isQuiet(key: key)) }
    }

    /// Whether the key's window is empty at the tick just measured and every member is at rest
    /// (not holding, armed, no escalation due), for a rule that cannot fire on an empty window:
    /// until its next pane enters the window nothing can change.
    @inline(__always)
    private func isQuiet(key: Int32) -> Bool {
        guard quietWhenEmpty && !sawNegative else { return false }
        let i = Int(key)
        guard blockSums[i * 2 * (Int(baselineBlocks) + 1)] == 0 else { return false }  // the window's count
        return members.allSatisfy { !$0.holding[i] && $0.armed[i] && $0.escalateAt[i] == .max }
    }

    /// One member rule's firing logic at tick k, given the signal measured there.
    @inline(__always)
    private func fire(_ r: RuleMember, key: Int32, tick k: Int64, measured m: (value: Double?, compared: Double?, reference: Double?),
                      into alerts: inout [Alert]) {
        let i = Int(key)
        let c = r.condition
        let cond = m.compared.map { c.op.holds($0, c.value) } ?? false
        if cond {
            if !r.holding[i] { r.holding[i] = true; r.holdStart[i] = k }
        } else {
            r.holding[i] = false
        }
        func clearHolds() -> Bool {
            guard let clear = r.clear else { return !cond }
            return m.compared.map { clear.op.holds($0, clear.value) } ?? false
        }
        if !r.armed[i] && clearHolds() { r.armed[i] = true }
        if r.holding[i] && r.armed[i] {
            let due = max(r.holdStart[i] + r.forTicks, r.lastFire[i] == .min ? .min : r.lastFire[i] + r.cooldownTicks)
            if k >= due {
                r.armed[i] = false
                r.lastFire[i] = k
                alerts.append(Alert(rule: r.index, ruleID: r.id, key: keys[i], time: k * every, kind: .fired, tier: r.tier,
                                    value: m.value, compared: m.compared, reference: m.reference))
                if let e = r.escalateTicks { r.escalateAt[i] = k + e; schedule(k + e, key) }
                // Re-arming is checked from the next tick on.
                if clearHolds() { schedule(k + 1, key) }
            } else {
                schedule(due, key)
            }
        }
        if r.escalateAt[i] != .max {
            if !r.holding[i] {
                r.escalateAt[i] = .max
            } else if k >= r.escalateAt[i] {
                r.escalateAt[i] = .max
                let next = Rule.Tier(rawValue: min(r.tier.rawValue + 1, Rule.Tier.hq.rawValue))!
                alerts.append(Alert(rule: r.index, ruleID: r.id, key: keys[i], time: k * every, kind: .escalated, tier: next,
                                    value: m.value, compared: m.compared, reference: m.reference))
            }
        }
    }

    private func evaluateAbsence(key: Int32, tick k: Int64, within: Millis, into alerts: inout [Alert]) {
        let i = Int(key)
        let now = k * every
        var overdue = 0
        var keep: [Millis] = []
        for t in pending[i] {
            if t + within > now { keep.append(t); continue }
            // Resolved when a follow-up falls in (t, t + within].
            let resolved = followUps[i].contains { $0 > t && $0 <= t + within }
            if !resolved { overdue += 1 }
        }
        pending[i] = keep
        // A follow-up at or before now and not after every pending trigger can resolve nothing
        // any more: triggers still to arrive are later than now (they are on time).
        let cutoff = min(now, keep.first ?? .max)
        followUps[i].removeAll { $0 <= cutoff }
        guard overdue > 0 else { return }
        for r in members {
            if r.lastFire[i] != .min && k - r.lastFire[i] < r.cooldownTicks { continue }
            r.lastFire[i] = k
            alerts.append(Alert(rule: r.index, ruleID: r.id, key: keys[i], time: now, kind: .fired, tier: r.tier, value: Double(overdue)))
        }
    }
}
