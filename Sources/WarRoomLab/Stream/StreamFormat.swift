/// How `warroom stream` writes each event: the record format.
public enum StreamFormat: String, CaseIterable, Sendable {
    /// One JSON object per line.
    case ndjson
    /// A header line, then one comma-separated line per event.
    case csv
}

/// Which arrival order `warroom stream` emits.
public enum StreamDelivery: String, CaseIterable, Sendable {
    /// The scenario's `delivery:` (delays, batches, disorder), as the run's engine sees it.
    case scenario
    /// Every event the instant it happens, in event order (the scenario's delivery ignored).
    case instant
}
