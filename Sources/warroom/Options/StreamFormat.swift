import ArgumentParser

/// `--format ndjson|csv` of `warroom stream`: how each event is written.
enum StreamFormat: String, CaseIterable, ExpressibleByArgument {
    /// One JSON object per line.
    case ndjson
    /// A header line, then one CSV row per event.
    case csv
}
