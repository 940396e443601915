import Alerting
import WarRoomCore

/// The reference: DESIGN.md's rule semantics evaluated the slow, obvious way — every window
/// recomputed from the raw events at every tick for every key. The engine must agree exactly.
enum BruteForceEvaluator {
    static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { let q = a / b; return a > q * b ? q + 1 : q }
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { let q = a / b; return a < q * b ? q - 1 : q }

    /// Alerts of `ruleSet` on `events` (in arrival order), ending the stream at `endTime`.
    static func run(_ ruleSet: RuleSet, events: [Event], endTime: Millis) -> (alerts: [Alert], late: Int) {
        var onTime: [(event: Event, seq: Int)] = []
        var maxTime = Millis.min
        var late = 0
        for e in events {
            if maxTime != .min && e.time < maxTime - ruleSet.allowedLateness { late += 1; continue }
            maxTime = max(maxTime, e.time)
            onTime.append((e, onTime.count + 1))
        }
        var alerts: [Alert] = []
        for (index, rule) in ruleSet.rules.enumerated() {
            alerts += evaluate(rule, index: index, events: onTime, endTime: endTime)
        }
        return (alerts.sorted(by: Alert.precedes), late)
    }

    /// Late events per rule: those behind the watermark that the rule reads (a key in its scope,
    /// and an aggregate's or the absence's filter matching).
    static func lateByRule(_ ruleSet: RuleSet, events: [Event]) -> [Int] {
        var maxTime = Millis.min
        var out = Array(repeating: 0, count: ruleSet.rules.count)
        for e in events {
            if maxTime != .min && e.time < maxTime - ruleSet.allowedLateness {
                for (i, rule) in ruleSet.rules.enumerated() where rule.scope.key(of: e) != nil {
                    switch rule.signal {
                    case .absence(let trigger, let followUp, _):
                        if trigger.matches(e) || followUp.matches(e) { out[i] += 1 }
                    default:
                        if rule.aggregates.contains(where: { $0.filter.matches(e) }) { out[i] += 1 }
                    }
                }
                continue
            }
            maxTime = max(maxTime, e.time)
        }
        return out
    }

    static func aggregateValue(_ a: Aggregate, _ events: [(event: Event, seq: Int)], from lo: Millis, to hi: Millis) -> Double? {
        let xs = events.filter { $0.event.time > lo && $0.event.time <= hi && a.filter.matches($0.event) }
        let values = xs.map { a.field.value(of: $0.event) }
        switch a.function {
        case .count: return Double(xs.count)
        case .sum: return values.reduce(0, +)
        case .avg: return xs.isEmpty ? nil : values.reduce(0, +) / Double(xs.count)
        case .min: return values.min()
        case .max: return values.max()
        case .last:
            return xs.max { ($0.event.time, $0.seq) < ($1.event.time, $1.seq) }.map { a.field.value(of: $0.event) }
        case .distinct: return Double(Set(values).count)
        }
    }

    static func signal(_ rule: Rule, _ events: [(event: Event, seq: Int)], at t: Millis) -> Double? {
        switch rule.signal {
        case .aggregate(let a): return aggregateValue(a, events, from: t - a.window, to: t)
        case .ratio(let a, let b):
            guard let n = aggregateValue(a, events, from: t - a.window, to: t),
                  let d = aggregateValue(b, events, from: t - b.window, to: t), d != 0 else { return nil }
            return n / d
        case .absence: return nil
        }
    }

    static func compared(_ rule: Rule, _ events: [(event: Event, seq: Int)], at t: Millis) -> Double? {
        let v = signal(rule, events, at: t)
        switch rule.comparison {
        case .threshold: return v
        case .changeVersusLag(let lag, _):
            guard let v, let l = signal(rule, events, at: t - lag), l != 0 else { return nil }
            return (v - l) / abs(l)
        case .ratioToBaseline(let b, _), .zScore(let b, _):
            guard case let .aggregate(a) = rule.signal else { return nil }
            let m = Int(b / a.window)
            let xs = (1...m).map { j in aggregateValue(a, events, from: t - Millis(j + 1) * a.window, to: t - Millis(j) * a.window) ?? 0 }
            let mean = xs.reduce(0, +) / Double(m)
            guard let v else { return nil }
            if case .ratioToBaseline = rule.comparison { return mean > 0 ? v / mean : nil }
            let sd = (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(m)).squareRoot()
            return sd > 0 ? (v - mean) / sd : nil
        }
    }

    static func evaluate(_ rule: Rule, index: Int, events: [(event: Event, seq: Int)], endTime: Millis) -> [Alert] {
        let e = rule.every
        let lastTick = floorDiv(endTime, e)
        if case let .absence(trigger, followUp, within) = rule.signal {
            return absence(rule, index: index, events: events, trigger: trigger, followUp: followUp, within: within, lastTick: lastTick)
        }
        // Keys and their first tick: the pane of their first matching event.
        var firstTick: [Int64: Int64] = [:]
        var byKey: [Int64: [(event: Event, seq: Int)]] = [:]
        for x in events {
            guard let key = rule.scope.key(of: x.event), rule.aggregates.contains(where: { $0.filter.matches(x.event) }) else { continue }
            byKey[key, default: []].append(x)
            firstTick[key] = min(firstTick[key] ?? .max, ceilDiv(x.event.time, e))
        }
        var out: [Alert] = []
        let c = rule.comparison.condition
        for key in byKey.keys.sorted() {
            let evs = byKey[key]!
            let first = firstTick[key]!
            guard first <= lastTick else { continue }
            var holdsAt: [Int64: Bool] = [:]
            var armed = true
            var lastFire: Int64?
            var escalateAt: Int64?
            for k in first...lastTick {
                let q = compared(rule, evs, at: k * e)
                let cond = q.map { c.op.holds($0, c.value) } ?? false
                holdsAt[k] = cond
                let clear = rule.clear.map { cl in q.map { cl.op.holds($0, cl.value) } ?? false } ?? !cond
                if !armed && clear { armed = true }
                // Holds at every tick in [t − for, t] (ticks before the key existed do not hold).
                let forTicks = rule.holdFor / e
                let held = k - forTicks >= first && (k - forTicks...k).allSatisfy { holdsAt[$0] == true }
                let cooled = lastFire.map { k - $0 >= rule.cooldown / e } ?? true
                if held && armed && cooled {
                    armed = false
                    lastFire = k
                    escalateAt = rule.escalateAfter.map { k + $0 / e }
                    out.append(Alert(rule: index, ruleID: rule.id, key: key, time: k * e, kind: .fired, tier: rule.tier, compared: q))
                }
                if let at = escalateAt {
                    if !cond { escalateAt = nil } else if k >= at {
                        escalateAt = nil
                        out.append(Alert(rule: index, ruleID: rule.id, key: key, time: k * e, kind: .escalated,
                                         tier: Rule.Tier(rawValue: min(rule.tier.rawValue + 1, 2))!, compared: q))
                    }
                }
            }
        }
        return out
    }

    static func absence(_ rule: Rule, index: Int, events: [(event: Event, seq: Int)], trigger: EventFilter, followUp: EventFilter,
                        within: Millis, lastTick: Int64) -> [Alert] {
        let e = rule.every
        var overdue: [Int64: [Int64: Int]] = [:]  // key → due tick → unresolved triggers
        for x in events where trigger.matches(x.event) {
            guard let key = rule.scope.key(of: x.event) else { continue }
            let t = x.event.time
            let resolved = events.contains { y in
                followUp.matches(y.event) && rule.scope.key(of: y.event) == key && y.event.time > t && y.event.time <= t + within
            }
            let due = ceilDiv(t + within, e)
            if !resolved && due <= lastTick { overdue[key, default: [:]][due, default: 0] += 1 }
        }
        var out: [Alert] = []
        for key in overdue.keys.sorted() {
            var lastFire: Int64?
            for (due, n) in overdue[key]!.sorted(by: { $0.key < $1.key }) {
                if let l = lastFire, due - l < rule.cooldown / e { continue }
                lastFire = due
                out.append(Alert(rule: index, ruleID: rule.id, key: key, time: due * e, kind: .fired, tier: rule.tier, value: Double(n)))
            }
        }
        return out
    }
}
