import Reporting

/// Event-log write speed into the SQLite run store (`warroom bench record`).
public struct RecordingBenchmark: Sendable {
    /// The scenario's name.
    public var scenario: String
    /// Live days of events written.
    public var liveDays: Int
    /// Events written per run.
    public var events: Int
    /// Runs measured.
    public var repeats: Int
    /// Median seconds writing.
    public var wallSeconds: Double
    /// Median events per second (whole), and each run's.
    public var eventsPerSecond: Double, eventsPerSecondRuns: [Double]

    /// The figures as JSON (`warroom bench record --json`).
    public var json: JSONValue {
        .object([
            ("benchmark", .string("record")),
            ("scenario", .string(scenario)),
            ("live_days", .count(liveDays)),
            ("events", .count(events)),
            ("repeats", .count(repeats)),
            ("wall_seconds", .double(wallSeconds)),
            ("events_per_second", .double(eventsPerSecond)),
            ("events_per_second_runs", .array(eventsPerSecondRuns.map { .double($0) })),
        ])
    }
}
