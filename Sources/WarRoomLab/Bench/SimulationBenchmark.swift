import Reporting

/// Simulator throughput on a scenario's live window (`warroom bench sim`).
public struct SimulationBenchmark: Sendable {
    /// The scenario's name and the seed simulated.
    public var scenario: String, seed: UInt64
    /// Live days simulated.
    public var liveDays: Int
    /// Live events generated, and their digest (hex).
    public var events: Int, eventDigest: String
    /// Runs measured.
    public var repeats: Int
    /// Median seconds of the live window.
    public var wallSeconds: Double
    /// Median events per second (whole), and each run's.
    public var eventsPerSecond: Double, eventsPerSecondRuns: [Double]
    /// Median seconds of the history (not timed in the rate).
    public var historyWallSeconds: Double
    /// Peak resident memory, MiB (whole; nil where the system does not say).
    public var peakResidentMiB: Double?
    /// Instructions and cycles per event (`--instructions`; nil when not asked).
    public var counts: EventCounts?
    /// With `--delivery`: events per second of the same window with the scenario's delivery
    /// (median, and each run's, each run right after its instant one).
    public var deliveredEventsPerSecond: Double?, deliveredEventsPerSecondRuns: [Double] = []
    /// Each run's delivered rate over its instant rate.
    public var deliveredOverInstantRatios: [Double] = []
    /// The median of those ratios (nil without `--delivery`).
    public var deliveredOverInstantRatio: Double? {
        deliveredOverInstantRatios.isEmpty ? nil : Benchmarks.median(deliveredOverInstantRatios)
    }

    /// The figures as JSON (`warroom bench sim --json`).
    public var json: JSONValue {
        .object([
            ("benchmark", .string("sim")),
            ("scenario", .string(scenario)),
            ("seed", .int(Int64(bitPattern: seed))),
            ("live_days", .count(liveDays)),
            ("events", .count(events)),
            ("event_digest", .string(eventDigest)),
            ("repeats", .count(repeats)),
            ("wall_seconds", .double(wallSeconds)),
            ("events_per_second", .double(eventsPerSecond)),
            ("events_per_second_runs", .array(eventsPerSecondRuns.map { .double($0) })),
            ("history_wall_seconds", .double(historyWallSeconds)),
            ("peak_rss_mib", .number(peakResidentMiB)),
        ] + (counts.map { [("hardware_counters", $0.json)] } ?? [])
          + (deliveredEventsPerSecond.map { rate in
              [("delivered_events_per_second", .double(rate)),
               ("delivered_events_per_second_runs", .array(deliveredEventsPerSecondRuns.map { .double($0) })),
               ("delivered_over_instant_ratio_runs", .array(deliveredOverInstantRatios.map { .double($0) })),
               ("delivered_over_instant_ratio", .number(deliveredOverInstantRatio))]
          } ?? []))
    }
}
