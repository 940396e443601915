import WarRoomCore

/// An alert rule: a signal over an event-time window, a comparison, evaluation timing, a tier
/// and actions. Semantics are DESIGN.md's "Rule semantics"; `AlertEngine` implements them.
public struct Rule: Sendable, Equatable {
    /// Unique id, e.g. `store-weekly-sales-yoy-drop`.
    public var id: String
    /// The business question the rule answers.
    public var description: String
    /// What an alert is about: which event field keys the rule's state.
    public var scope: Scope
    /// What is measured.
    public var signal: Signal
    /// When the measured value is alarming (unused by absence rules).
    public var comparison: Comparison
    /// Evaluation step: ticks are the multiples of `every` in event time.
    public var every: Millis
    /// How long the condition must hold before firing (0: at once).
    public var holdFor: Millis
    /// Least time between two firings of the same rule and key.
    public var cooldown: Millis
    /// When a fired rule-key pair re-arms; nil: when the condition no longer holds.
    public var clear: Condition?
    /// Who gets the alert first.
    public var tier: Tier
    /// Where the alert is sent (free text: a channel, a queue).
    public var route: String
    /// Escalate to the next tier when the condition still holds this long after firing.
    public var escalateAfter: Millis?
    /// Actions bound to the alert.
    public var actions: [ActionBinding]
    /// Where the rule was written (for messages).
    public var location: SourceLocation

    /// Creates a rule (rule files are read by `RuleSet.decode`, which also validates).
    public init(id: String, description: String = "", scope: Scope, signal: Signal, comparison: Comparison, every: Millis,
                holdFor: Millis = 0, cooldown: Millis = 0, clear: Condition? = nil, tier: Tier = .rep, route: String = "",
                escalateAfter: Millis? = nil, actions: [ActionBinding] = [],
                location: SourceLocation = SourceLocation(file: "", line: 0, column: 0)) {
        self.id = id
        self.description = description
        self.scope = scope
        self.signal = signal
        self.comparison = comparison
        self.every = every
        self.holdFor = holdFor
        self.cooldown = cooldown
        self.clear = clear
        self.tier = tier
        self.route = route
        self.escalateAfter = escalateAfter
        self.actions = actions
        self.location = location
    }

    /// The event field that keys a rule's state.
    public enum Scope: String, Sendable, CaseIterable {
        /// One state per store.
        case store
        /// One state per city.
        case city
        /// One state per region.
        case region
        /// One state per rep.
        case rep
        /// One state per customer.
        case customer
        /// One state for the whole stream.
        case global

        /// The key of an event in this scope, or nil when the event has none.
        @inlinable
        public func key(of e: Event) -> Int64? {
            switch self {
            case .store: return e.store >= 0 ? Int64(e.store) : nil
            case .city: return e.store >= 0 ? Int64(e.city) : nil
            case .region: return e.store >= 0 ? Int64(e.region) : nil
            case .rep: return e.rep >= 0 ? Int64(e.rep) : nil
            case .customer: return e.customer >= 0 ? e.customer : nil
            case .global: return 0
            }
        }
    }

    /// What a rule measures.
    public enum Signal: Sendable, Equatable {
        /// One aggregate.
        case aggregate(Aggregate)
        /// The ratio of two aggregates (nil when the denominator is 0 or empty).
        case ratio(Aggregate, Aggregate)
        /// A trigger event not followed, for the same key, by a follow-up event within a time: each
        /// trigger at t with no follow-up in (t, t + within] fires at the first tick at or after
        /// t + within (one alert per key and tick; cooldown applies per key).
        case absence(trigger: EventFilter, followUp: EventFilter, within: Millis)
    }

    /// Who receives an alert.
    public enum Tier: Int, Sendable, CaseIterable, Comparable {
        /// The sales rep on the ground.
        case rep = 0
        /// The regional manager.
        case regionalManager = 1
        /// Headquarters' sales operations.
        case hq = 2

        /// The name used in rule files and reports.
        public var name: String { ["rep", "regional-manager", "hq"][rawValue] }

        /// Orders tiers from the field up.
        public static func < (a: Tier, b: Tier) -> Bool { a.rawValue < b.rawValue }
    }
}

/// An aggregate of an event field over an event-time window, on the events a filter keeps.
public struct Aggregate: Sendable, Equatable {
    /// The aggregate function.
    public enum Function: String, Sendable, CaseIterable {
        /// Number of events.
        case count
        /// Sum of the field.
        case sum
        /// Mean of the field.
        case avg
        /// Smallest value of the field.
        case min
        /// Largest value of the field.
        case max
        /// The field of the latest event (a gauge).
        case last
        /// Number of distinct values of the field.
        case distinct
    }

    /// The function.
    public var function: Function
    /// The field aggregated (ignored by count).
    public var field: EventField
    /// Which events count.
    public var filter: EventFilter
    /// Window length W: at tick t the aggregate covers event times in (t − W, t].
    public var window: Millis

    /// Creates an aggregate.
    public init(function: Function, field: EventField = .amount, filter: EventFilter, window: Millis) {
        self.function = function
        self.field = field
        self.filter = filter
        self.window = window
    }
}

/// A numeric field of an event.
public enum EventField: String, Sendable, CaseIterable {
    /// Money in CNY (the event's fen / 100).
    case amount
    /// Units (sale) or on-hand units (inventory).
    case quantity
    /// Product category (sale: the SKU's category; inventory and promotion: the category).
    case category
    /// SKU id.
    case sku
    /// Customer id.
    case customer
    /// Rep id.
    case rep
    /// Store id.
    case store
    /// The raw attribute word.
    case attr
    /// Visit dwell minutes.
    case dwellMinutes
    /// Seconds a rep took to answer an objection.
    case responseSeconds
    /// 1 when a call ended positively.
    case positiveOutcome
    /// 1 when the rep answered with a concrete ROI figure.
    case concreteROI
    /// Call objection code (0 none, 1 too expensive, 2 competitor offer, 3 timing).
    case objection

    /// The field's value on an event.
    @inlinable
    public func value(of e: Event) -> Double {
        switch self {
        case .amount: return Double(e.amount) / 100
        case .quantity: return Double(e.quantity)
        case .category: return Double(e.kind == .sale ? ProductCode(rawValue: e.sku).category : e.sku)
        case .sku: return Double(e.sku)
        case .customer: return Double(e.customer)
        case .rep: return Double(e.rep)
        case .store: return Double(e.store)
        case .attr: return Double(e.attr)
        case .dwellMinutes: return Double(e.attr & 0x3FF)
        case .responseSeconds: return Double((e.attr >> 4) & 0xFFF) / 10
        case .positiveOutcome: return Double((e.attr >> 17) & 1)
        case .concreteROI: return Double((e.attr >> 16) & 1)
        case .objection: return Double(e.attr & 0xF)
        }
    }
}

/// Which events a rule looks at: a set of kinds and conditions on fields.
public struct EventFilter: Sendable, Equatable {
    /// Kinds kept (bit i = `EventKind(rawValue: i)`).
    public var kinds: UInt32
    /// Field conditions, all of which must hold.
    public var conditions: [FieldCondition]

    /// Creates a filter.
    public init(kinds: [EventKind], conditions: [FieldCondition] = []) {
        self.kinds = kinds.reduce(0) { $0 | 1 << UInt32($1.rawValue) }
        self.conditions = conditions
    }

    /// Whether the event passes.
    @inlinable
    public func matches(_ e: Event) -> Bool {
        guard kinds & (1 << UInt32(e.kind.rawValue)) != 0 else { return false }
        for c in conditions where !c.op.holds(c.field.value(of: e), c.value) { return false }
        return true
    }
}

/// A condition on one event field.
public struct FieldCondition: Sendable, Equatable {
    /// The field.
    public var field: EventField
    /// The comparison.
    public var op: ComparisonOperator
    /// The value compared with.
    public var value: Double

    /// Creates a condition.
    public init(field: EventField, op: ComparisonOperator, value: Double) {
        self.field = field
        self.op = op
        self.value = value
    }
}

/// A comparison operator.
public enum ComparisonOperator: String, Sendable, CaseIterable {
    /// Greater than.
    case above = ">"
    /// Greater than or equal.
    case atLeast = ">="
    /// Less than.
    case below = "<"
    /// Less than or equal.
    case atMost = "<="
    /// Equal.
    case equal = "=="
    /// Not equal.
    case notEqual = "!="

    /// Whether `a op b`.
    @inlinable
    public func holds(_ a: Double, _ b: Double) -> Bool {
        switch self {
        case .above: return a > b
        case .atLeast: return a >= b
        case .below: return a < b
        case .atMost: return a <= b
        case .equal: return a == b
        case .notEqual: return a != b
        }
    }
}

/// A condition on the compared quantity (the value, its change, its ratio or its z-score).
public struct Condition: Sendable, Equatable {
    /// The operator.
    public var op: ComparisonOperator
    /// The threshold.
    public var value: Double

    /// Creates a condition.
    public init(_ op: ComparisonOperator, _ value: Double) {
        self.op = op
        self.value = value
    }
}

/// How the measured value is judged.
public enum Comparison: Sendable, Equatable {
    /// The value itself against a threshold.
    case threshold(Condition)
    /// The relative change (v − v_lag) / v_lag against the same window `lag` earlier.
    case changeVersusLag(lag: Millis, Condition)
    /// The value over the mean of the `baseline / W` windows before the current one.
    case ratioToBaseline(baseline: Millis, Condition)
    /// (v − mean) / standard deviation of the `baseline / W` windows before the current one.
    case zScore(baseline: Millis, Condition)

    /// The condition applied to the compared quantity.
    public var condition: Condition {
        switch self {
        case .threshold(let c), .changeVersusLag(_, let c), .ratioToBaseline(_, let c), .zScore(_, let c): return c
        }
    }
}

/// An action bound to a rule, by name, with parameters.
public struct ActionBinding: Sendable, Equatable {
    /// The action's name (e.g. `task-card`, `campaign`).
    public var name: String
    /// Parameters as text, in file order.
    public var parameters: [(String, String)]

    /// Creates a binding.
    public init(name: String, parameters: [(String, String)] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// Compares names and parameters.
    public static func == (a: ActionBinding, b: ActionBinding) -> Bool {
        a.name == b.name && a.parameters.count == b.parameters.count
            && zip(a.parameters, b.parameters).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}
