/// How `warroom stream` writes each event: the record format.
public enum StreamFormat: String, CaseIterable, Sendable {
    /// One JSON object per line.
    case ndjson
    /// A header line, then one comma-separated line per event.
    case csv
}
