import Alerting
import WarRoomCore

/// What a run keeps of each alert for its report and metrics, once the alert's messages are in
/// the run store: when, which rule and key, fired or escalated, which tier, and its emission
/// latency. Half the size of the engine's `Alert` (no measured values), so a run of a billion
/// events with a million and a half alerts keeps them in 70 MB.
struct AlertMark: Equatable {
    /// The tick, in event time.
    var time: Millis
    /// The key (store, city, region, rep or customer id; 0 for global).
    var key: Int64
    /// Wall-clock nanoseconds from the tick falling due to the alert's emission (`Alert.latencyNanoseconds`).
    var latencyNanoseconds: Int64
    /// The rule's id (the rule's own string: no copy per alert).
    var ruleID: String
    /// Index of the rule in its rule set.
    var rule: Int
    /// Fired or escalated.
    var kind: Alert.Kind
    /// Who receives it.
    var tier: Rule.Tier
    /// When it came out in simulated time: the arrival of the data that closed its tick.
    var emittedAt: Millis

    /// The mark of an alert.
    init(_ alert: Alert) {
        time = alert.time
        key = alert.key
        latencyNanoseconds = alert.latencyNanoseconds
        ruleID = alert.ruleID
        rule = alert.rule
        kind = alert.kind
        tier = alert.tier
        emittedAt = alert.emittedAt == .min ? alert.time : alert.emittedAt
    }
}
