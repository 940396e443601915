import WarRoomCore

extension RuleState {
    /// Schedules an evaluation of a key at a tick.
    @inline(__always)
    func schedule(_ tick: Int64, _ key: Int32) {
        heap.push(tick, key)
        scheduledCount[Int(key)] += 1
    }

    /// How many ticks a due tick may wait while newer panes are written, before a newer pane
    /// could take the ring slot of a pane that tick still needs.
    var safeBacklog: Int64 { ring - horizonPanes - ringLatenessPanes - 2 }

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

    /// Evaluates all remaining ticks up to and including `lastTick`.
    func finish(through lastTick: Int64, into alerts: inout [Alert]) {
        process(before: lastTick * every + 1, into: &alerts)
    }

    /// Lag and baseline rules: after evaluating tick k, schedule the next tick at which the
    /// signal can change. A key in rings (busy) is evaluated at every tick while data is within
    /// the horizon; a key in lists (sparse) only at the ticks where one of its panes enters or
    /// leaves the window, the lagged window or a baseline block (`nextChange`): between those
    /// its value, so its condition, stays the same, and the firing timers schedule their own ticks.
    /// A quiet key (`isQuiet`) in lists waits for its next pane instead: the panes leaving
    /// baseline blocks meanwhile move the mean and deviation, but the condition stays false.
    func continueEveryTick(key: Int32, after k: Int64, quiet: Bool) {
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
}
