import Foundation
import WarRoomCore

/// A rule file: the rules and the stream's allowed lateness.
///
/// ```yaml
/// lateness: 5m
/// rules:
///   - id: region-churn-7d
///     description: A region's 7-day customer churn rate is above 5.2%.
///     scope: region
///     signal:
///       ratio:
///         numerator: { function: count, events: [customer_lost], window: 7d }
///         denominator: { function: sum, field: quantity, events: [account_base], window: 1d }
///     compare: { threshold: "> 0.052" }
///     every: 1h
///     cooldown: 3d
///     tier: regional-manager
/// ```
public struct RuleSet: Sendable, Equatable {
    /// The rules, in file order.
    public var rules: [Rule]
    /// How far behind the newest event an event may arrive and still count.
    public var allowedLateness: Millis

    /// Most panes one rule may keep per key (window, lag and baseline over `every`).
    public static let maxPanesPerKey = 20_000

    /// Creates a rule set.
    public init(rules: [Rule], allowedLateness: Millis = 0) {
        self.rules = rules
        self.allowedLateness = allowedLateness
    }

    /// Reads a rule file.
    public static func load(path: String) throws -> RuleSet {
        try decode(yaml: readText(path: path), file: path)
    }

    /// Reads a rule file's text: UTF-8, at most 4 MiB, ending with a newline (`YAMLFile`).
    public static func readText(path: String) throws -> String {
        try YAMLFile.read(path: path, kind: "rule file")
    }

    /// Decodes rule-file text; every error names file, line, column and field.
    public static func decode(yaml text: String, file: String) throws -> RuleSet {
        let root = try YAMLValue.parse(text, file: file)
        try root.expectKeys(["lateness", "rules"])
        let lateness = try root.optional("lateness")?.duration() ?? 0
        var ids = Set<String>()
        let rules = try root.require("rules").sequence(minCount: 1, maxCount: 10_000).map { v -> Rule in
            let rule = try decodeRule(v)
            if !ids.insert(rule.id).inserted { throw try v.require("id").error("rule id '\(rule.id)' is used twice") }
            return rule
        }
        return RuleSet(rules: rules, allowedLateness: lateness)
    }

    static let ruleKeys = ["id", "description", "scope", "signal", "compare", "every", "for", "cooldown", "clear", "tier", "route",
                           "escalateAfter", "actions"]

    static func decodeRule(_ v: YAMLValue) throws -> Rule {
        try v.expectKeys(ruleKeys)
        let idValue = try v.require("id")
        let id = try idValue.name(maxLength: 80)
        if !id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) {
            throw idValue.error("may hold only lowercase letters, digits and '-', got '\(id)'")
        }
        let scope = Rule.Scope(rawValue: try v.require("scope").oneOf(Rule.Scope.allCases.map(\.rawValue)))!
        let everyValue = try v.require("every")
        let every = try everyValue.duration(min: 1)
        let signalValue = try v.require("signal")
        let signal = try decodeSignal(signalValue, every: every)

        var comparison = Comparison.threshold(Condition(.above, .infinity))
        let compareValue = try v.optional("compare")
        if case .absence = signal {
            if let compareValue { throw compareValue.error("an absence rule has no comparison") }
        } else {
            guard let c = compareValue else { throw InputError(location: v.location, path: v.path + ".compare", message: "missing required field") }
            comparison = try decodeComparison(c, signal: signal, every: every)
        }

        let tierValue = try v.optional("tier")
        let tierName = try tierValue?.oneOf(Rule.Tier.allCases.map(\.name)) ?? "rep"
        let tier = Rule.Tier.allCases.first { $0.name == tierName }!
        var escalate: Millis?
        if let e = try v.optional("escalateAfter") {
            escalate = try e.duration(min: every)
            if tier == .hq { throw e.error("an HQ alert has no higher tier to escalate to") }
        }
        let holdFor = try v.optional("for")?.duration() ?? 0
        let cooldown = try v.optional("cooldown")?.duration() ?? 0
        for (name, d) in [("for", holdFor), ("cooldown", cooldown)] where d % every != 0 {
            throw try v.require(name).error("must be a multiple of every (\(DurationText.format(every)))")
        }
        if let e = escalate, e % every != 0 { throw try v.require("escalateAfter").error("must be a multiple of every (\(DurationText.format(every)))") }
        let actions = try (v.optional("actions")?.sequence(maxCount: 32) ?? []).map { a -> ActionBinding in
            var name = ""
            var params: [(String, String)] = []
            for (key, value) in try a.mapping() {
                if key == "action" { name = try value.name() } else { params.append((key, try value.string())) }
            }
            if name.isEmpty { throw a.error("an action needs 'action: <name>'") }
            return ActionBinding(name: name, parameters: params)
        }
        let rule = Rule(id: id, description: try v.optional("description")?.string() ?? "", scope: scope, signal: signal,
                        comparison: comparison, every: every, holdFor: holdFor, cooldown: cooldown,
                        clear: try v.optional("clear")?.condition(), tier: tier, route: try v.optional("route")?.string() ?? tier.name,
                        escalateAfter: escalate, actions: actions, location: v.location)
        if rule.panesPerKey > maxPanesPerKey {
            throw everyValue.error("the rule keeps \(rule.panesPerKey) panes per key (window, lag and baseline over every); at most \(maxPanesPerKey): use a longer every")
        }
        return rule
    }

    static func decodeFilter(_ v: YAMLValue) throws -> EventFilter {
        let kindsValue = try v.require("events")
        let names = EventKind.allCases.map(\.description)
        let kinds = try kindsValue.sequence(minCount: 1, maxCount: 16).map { k -> EventKind in
            let name = try k.oneOf(names)
            return EventKind.allCases.first { $0.description == name }!
        }
        var conditions: [FieldCondition] = []
        if let w = try v.optional("where") {
            for (key, value) in try w.mapping() {
                guard let field = EventField(rawValue: key) else {
                    throw value.error("unknown event field '\(key)'; expected one of: \(EventField.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let c = try value.condition()
                conditions.append(FieldCondition(field: field, op: c.op, value: c.value))
            }
        }
        return EventFilter(kinds: kinds, conditions: conditions)
    }

    static func decodeAggregate(_ v: YAMLValue, every: Millis) throws -> Aggregate {
        try v.expectKeys(["function", "field", "events", "where", "window"])
        let function = Aggregate.Function(rawValue: try v.require("function").oneOf(Aggregate.Function.allCases.map(\.rawValue)))!
        var field = EventField.amount
        if let f = try v.optional("field") {
            field = EventField(rawValue: try f.oneOf(EventField.allCases.map(\.rawValue)))!
        } else if function != .count {
            throw InputError(location: v.location, path: v.path + ".field", message: "missing required field (\(function.rawValue) needs a field)")
        }
        let windowValue = try v.require("window")
        let window = try windowValue.duration(min: every)
        if window % every != 0 { throw windowValue.error("must be a multiple of every (\(DurationText.format(every)))") }
        return Aggregate(function: function, field: field, filter: try decodeFilter(v), window: window)
    }

    static func decodeSignal(_ v: YAMLValue, every: Millis) throws -> Rule.Signal {
        if let r = try v.optional("ratio") {
            try v.expectKeys(["ratio"])
            try r.expectKeys(["numerator", "denominator"])
            return .ratio(try decodeAggregate(try r.require("numerator"), every: every),
                          try decodeAggregate(try r.require("denominator"), every: every))
        }
        if let a = try v.optional("absence") {
            try v.expectKeys(["absence"])
            try a.expectKeys(["trigger", "followUp", "within"])
            let t = try a.require("trigger"), f = try a.require("followUp")
            try t.expectKeys(["events", "where"])
            try f.expectKeys(["events", "where"])
            return .absence(trigger: try decodeFilter(t), followUp: try decodeFilter(f), within: try a.require("within").duration(min: 1))
        }
        return .aggregate(try decodeAggregate(v, every: every))
    }

    static func decodeComparison(_ v: YAMLValue, signal: Rule.Signal, every: Millis) throws -> Comparison {
        try v.expectKeys(["threshold", "changeVersusLag", "ratioToBaseline", "zScore", "condition"])
        if let t = try v.optional("threshold") {
            try v.expectKeys(["threshold"])
            return .threshold(try t.condition())
        }
        let condition = try v.require("condition").condition()
        if let lagValue = try v.optional("changeVersusLag") {
            let lag = try lagValue.duration(min: every)
            if lag % every != 0 { throw lagValue.error("must be a multiple of every (\(DurationText.format(every)))") }
            return .changeVersusLag(lag: lag, condition)
        }
        for key in ["ratioToBaseline", "zScore"] {
            guard let b = try v.optional(key) else { continue }
            guard case let .aggregate(agg) = signal, agg.function == .count || agg.function == .sum else {
                throw b.error("\(key) compares a count or a sum with its own past; this signal is not one")
            }
            let baseline = try b.duration(min: agg.window)
            if baseline % agg.window != 0 { throw b.error("must be a multiple of the window (\(DurationText.format(agg.window)))") }
            return key == "zScore" ? .zScore(baseline: baseline, condition) : .ratioToBaseline(baseline: baseline, condition)
        }
        throw v.error("expected one of threshold, changeVersusLag, ratioToBaseline or zScore")
    }
}

extension Rule {
    /// The aggregates the rule keeps state for.
    public var aggregates: [Aggregate] {
        switch signal {
        case .aggregate(let a): return [a]
        case .ratio(let a, let b): return [a, b]
        case .absence: return []
        }
    }

    /// How far back the rule looks, beyond the current tick, in ms: window plus lag or baseline.
    public var horizon: Millis {
        var h: Millis = 0
        for a in aggregates {
            switch comparison {
            case .threshold: h = max(h, a.window)
            case .changeVersusLag(let lag, _): h = max(h, a.window + lag)
            case .ratioToBaseline(let b, _), .zScore(let b, _): h = max(h, a.window + b)
            }
        }
        return h
    }

    /// Panes kept per key.
    public var panesPerKey: Int { Int(horizon / every) + 1 }
}

extension RuleSet {
    /// `count` rules made from this set's rules in turn, for scaling benchmarks: copy j of rule i
    /// keeps its signal and timing and moves its threshold by 1% per copy (ids get a `~j`
    /// suffix), as an organisation does when it tunes the same alert per team or product line.
    public func variants(count: Int) -> RuleSet {
        guard !rules.isEmpty, count > 0 else { return RuleSet(rules: [], allowedLateness: allowedLateness) }
        let out = (0..<count).map { n -> Rule in
            var rule = rules[n % rules.count]
            let copy = n / rules.count
            guard copy > 0 else { return rule }
            rule.id += "~\(copy)"
            let scale = 1 + 0.01 * Double(copy)
            func moved(_ c: Condition) -> Condition { Condition(c.op, c.value == 0 ? 0.01 * Double(copy) : c.value * scale) }
            switch rule.comparison {
            case .threshold(let c): rule.comparison = .threshold(moved(c))
            case .changeVersusLag(let lag, let c): rule.comparison = .changeVersusLag(lag: lag, moved(c))
            case .ratioToBaseline(let b, let c): rule.comparison = .ratioToBaseline(baseline: b, moved(c))
            case .zScore(let b, let c): rule.comparison = .zScore(baseline: b, moved(c))
            }
            return rule
        }
        return RuleSet(rules: out, allowedLateness: allowedLateness)
    }
}
