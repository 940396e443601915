import WarRoomCore

extension RuleState {
    /// Measures a key at tick k once and runs each member rule's firing logic on it.
    func evaluate(key: Int32, tick k: Int64, into alerts: inout [Alert]) {
        let m = measure(key: key, tick: k)
        for member in members { fire(member, key: key, tick: k, measured: m, into: &alerts) }
        if everyTick { continueEveryTick(key: key, after: k, quiet: isQuiet(key: key)) }
    }

    /// One member rule's firing logic at tick k, given the signal measured there.
    @inline(__always)
    private func fire(_ r: RuleMember, key: Int32, tick k: Int64, measured m: Measured, into alerts: inout [Alert]) {
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
                alerts.append(Alert(rule: r.index, ruleID: r.id, key: keyTable.keys[i], time: k * every, kind: .fired, tier: r.tier,
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
                alerts.append(Alert(rule: r.index, ruleID: r.id, key: keyTable.keys[i], time: k * every, kind: .escalated, tier: next,
                                    value: m.value, compared: m.compared, reference: m.reference))
            }
        }
    }
}
