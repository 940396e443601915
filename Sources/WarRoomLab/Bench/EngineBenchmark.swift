import Reporting

/// Peak sustained alert-engine throughput (`warroom bench engine --max`).
public struct EngineBenchmark: Sendable {
    /// The scenario's name and the rule file.
    public var scenario: String, rulesFile: String
    /// Rules in the file.
    public var rules: Int
    /// Live events fed.
    public var events: Int
    /// Runs measured.
    public var repeats: Int
    /// Median seconds of the live stream with every rule.
    public var wallSeconds: Double
    /// Median events per second with every rule (whole).
    public var eventsPerSecond: Double
    /// Alerts raised.
    public var alerts: Int
    /// Events per second (whole) by number of rules, fewest first.
    public var rulesScaling: [(rules: Int, eventsPerSecond: Double)]
    /// Instructions and cycles per event with every rule (`--instructions`; nil when not asked).
    public var counts: EventCounts?

    /// The figures as JSON (`warroom bench engine --max --json`).
    public var json: JSONValue {
        .object([
            ("benchmark", .string("engine")),
            ("mode", .string("max")),
            ("scenario", .string(scenario)),
            ("rules_file", .string(rulesFile)),
            ("rules", .count(rules)),
            ("events", .count(events)),
            ("repeats", .count(repeats)),
            ("wall_seconds", .double(wallSeconds)),
            ("events_per_second", .double(eventsPerSecond)),
            ("alerts", .count(alerts)),
            ("rules_scaling", .array(rulesScaling.map { .object([("rules", .count($0.rules)), ("events_per_second", .double($0.eventsPerSecond))]) })),
        ] + (counts.map { [("hardware_counters", $0.json)] } ?? []))
    }
}
