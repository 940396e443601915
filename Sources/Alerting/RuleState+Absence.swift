import WarRoomCore

extension RuleState {
    /// Absence rules: whether an event is a trigger and whether it is a follow-up.
    @inline(__always)
    func absenceRoles(_ e: Event) -> (trigger: Bool, followUp: Bool) {
        let bit = UInt32(1) << UInt32(e.kind.rawValue)
        return (triggerKinds & bit != 0 && Self.holds(triggerConditions, e), followUpKinds & bit != 0 && Self.holds(followUpConditions, e))
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

    /// Absence rules at tick k: each member fires (cooldown permitting) when triggers became
    /// overdue with no follow-up in time; resolved and overdue triggers are dropped.
    func evaluateAbsence(key: Int32, tick k: Int64, within: Millis, into alerts: inout [Alert]) {
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
            alerts.append(Alert(rule: r.index, ruleID: r.id, key: keyTable.keys[i], time: now, kind: .fired, tier: r.tier, value: Double(overdue)))
        }
    }
}
