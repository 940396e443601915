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
    /// With `--delivery`: the engine on the scenario's arrival order beside event order.
    public var delivery: DeliveryRuns?

    /// The engine on a delivered (disordered) stream beside the same events in order, run in turn.
    public struct DeliveryRuns: Sendable {
        /// Events in the delivered stream (duplicates included).
        public var events: Int
        /// Events per second of each run, in event order and in arrival order.
        public var orderedRuns: [Double] = [], deliveredRuns: [Double] = []
        /// Events behind the watermark in the delivered stream.
        public var lateEvents = 0

        /// The median of each run's delivered rate over its ordered one.
        public var ratio: Double {
            Benchmarks.median(zip(deliveredRuns, orderedRuns).map { $0 / $1 })
        }

        /// The figures as JSON.
        public var json: JSONValue {
            .object([("events", .count(events)), ("late_events", .count(lateEvents)),
                     ("ordered_events_per_second", .double(Benchmarks.median(orderedRuns))),
                     ("delivered_events_per_second", .double(Benchmarks.median(deliveredRuns))),
                     ("ordered_events_per_second_runs", .array(orderedRuns.map { .double($0) })),
                     ("delivered_events_per_second_runs", .array(deliveredRuns.map { .double($0) })),
                     ("delivered_over_ordered_ratio", .double((ratio * 1000).rounded() / 1000))])
        }
    }

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
        ] + (counts.map { [("hardware_counters", $0.json)] } ?? []) + (delivery.map { [("delivery", $0.json)] } ?? []))
    }
}
