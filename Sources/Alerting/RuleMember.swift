import WarRoomCore

/// One rule of a shared signal: its condition and timing, and its firing state per key (the
/// signal's key index).
final class RuleMember {
    let index: Int
    let id: String
    let tier: Rule.Tier
    let condition: Condition
    let clear: Condition?
    let forTicks: Int64
    let cooldownTicks: Int64
    let escalateTicks: Int64?
    var holding: [Bool] = []
    var holdStart: [Int64] = []
    var armed: [Bool] = []
    var lastFire: [Int64] = []         // Int64.min when never
    var escalateAt: [Int64] = []       // Int64.max when none

    init(rule: Rule, index: Int) {
        self.index = index
        id = rule.id
        tier = rule.tier
        condition = rule.comparison.condition
        clear = rule.clear
        forTicks = rule.holdFor / rule.every
        cooldownTicks = rule.cooldown / rule.every
        escalateTicks = rule.escalateAfter.map { $0 / rule.every }
    }

    func reserve(_ n: Int) {
        holding.reserveCapacity(n); holdStart.reserveCapacity(n); armed.reserveCapacity(n)
        lastFire.reserveCapacity(n); escalateAt.reserveCapacity(n)
    }

    func appendKey() {
        holding.append(false); holdStart.append(0); armed.append(true); lastFire.append(.min); escalateAt.append(.max)
    }

    /// Whether key i is as a fresh key would be at tick k: not holding, armed, no escalation
    /// due, cooldown over.
    func isIdle(_ i: Int, tick k: Int64) -> Bool {
        !holding[i] && armed[i] && escalateAt[i] == .max && (lastFire[i] == .min || k - lastFire[i] >= cooldownTicks)
    }

    func resetKey(_ i: Int) {
        holding[i] = false; holdStart[i] = 0; lastFire[i] = .min
    }
}
