import WarRoomCore

extension RuleState {
    /// Whether an event passes every condition of a list.
    @inline(__always)
    static func holds(_ conditions: UnsafeMutableBufferPointer<FieldCondition>, _ e: Event) -> Bool {
        for c in conditions where !c.op.holds(c.field.value(of: e), c.value) { return false }
        return true
    }

    /// Whether an event of an interesting kind passes aggregate `a`'s field conditions.
    @inline(__always)
    func passes(_ a: Int, _ e: Event) -> Bool { Self.holds(conditions[a], e) }

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
}
