import WarRoomCore

/// An alert: a rule fired (or escalated) for a key at a tick.
public struct Alert: Sendable, Equatable {
    /// Whether the alert is a first firing or an escalation.
    public enum Kind: String, Sendable {
        /// The rule fired.
        case fired
        /// The situation persisted past the rule's escalation time: the next tier is told.
        case escalated
    }

    /// Index of the rule in its rule set.
    public var rule: Int
    /// The rule's id.
    public var ruleID: String
    /// The key (store, city, region, rep or customer id; 0 for global).
    public var key: Int64
    /// The tick, in event time.
    public var time: Millis
    /// Fired or escalated.
    public var kind: Kind
    /// Who receives it.
    public var tier: Rule.Tier
    /// The measured value (for absence rules: the number of overdue triggers).
    public var value: Double?
    /// The compared quantity (value, change, ratio or z-score).
    public var compared: Double?
    /// The reference: the lagged value or the baseline mean, when the comparison has one.
    public var reference: Double?
    /// Wall-clock nanoseconds from the arrival of the event whose watermark passed the alert's
    /// tick (the tick falling due) to the alert's emission; with deferred tick work this includes
    /// the wait for idle time (0 for alerts emitted when the stream ends).
    public var latencyNanoseconds: Int64 = 0
    /// When the alert came out, in the caller's arrival clock (`AlertEngine.clock`): the
    /// arrival time of the event whose watermark passed the tick, or the clock at the stream's
    /// end. The tick itself when the caller keeps no clock (events arrive the instant they
    /// happen, and the lab charges nothing between the tick and the event that closes it).
    public var emittedAt: Millis = .min
    /// The event time of the evidence that closed the tick: the event whose arrival moved the
    /// watermark past it (`.min` for alerts of the stream's end).
    public var evidenceTime: Millis = .min

    /// Creates an alert.
    public init(rule: Int, ruleID: String, key: Int64, time: Millis, kind: Kind, tier: Rule.Tier,
                value: Double? = nil, compared: Double? = nil, reference: Double? = nil) {
        self.rule = rule
        self.ruleID = ruleID
        self.key = key
        self.time = time
        self.kind = kind
        self.tier = tier
        self.value = value
        self.compared = compared
        self.reference = reference
    }

    /// Stable output order: time, rule, key, firing before escalation.
    public static func precedes(_ a: Alert, _ b: Alert) -> Bool {
        (a.time, a.rule, a.key, a.kind == .fired ? 0 : 1) < (b.time, b.rule, b.key, b.kind == .fired ? 0 : 1)
    }
}
