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

/// A binary min-heap of (tick, key) evaluation requests.
struct TickHeap {
    private(set) var items: [(tick: Int64, key: Int32)] = []

    var isEmpty: Bool { items.isEmpty }
    var top: (tick: Int64, key: Int32)? { items.first }

    @inline(__always)
    private static func less(_ a: (tick: Int64, key: Int32), _ b: (tick: Int64, key: Int32)) -> Bool {
        a.tick < b.tick || (a.tick == b.tick && a.key < b.key)
    }

    mutating func push(_ tick: Int64, _ key: Int32) {
        let item = (tick: tick, key: key)
        items.append(item)
        // Sift the hole up, moving parents down, then drop the item in.
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.less(item, items[parent]) else { break }
            items[i] = items[parent]
            i = parent
        }
        items[i] = item
    }

    mutating func pop() -> (tick: Int64, key: Int32)? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        let n = items.count
        if n > 0 {
            // Sift the hole down from the root, moving the smaller child up, then drop `last` in.
            var i = 0
            while true {
                let l = 2 * i + 1
                if l >= n { break }
                let r = l + 1
                let m = r < n && Self.less(items[r], items[l]) ? r : l
                guard Self.less(items[m], last) else { break }
                items[i] = items[m]
                i = m
            }
            items[i] = last
        }
        return first
    }
}
