import Foundation
import Reporting
import RunStore

/// What `warroom runs` shows of the run store.
public enum RunHistory {
    static func open(_ path: String) throws -> RunStore {
        guard FileManager.default.fileExists(atPath: path) else { throw LabError("no run store at \(path)") }
        do { return try RunStore(path: path) } catch { throw LabError("\(error)") }
    }

    /// Every run, oldest first.
    public static func list(databasePath: String) throws -> [RunRecord] {
        do { return try open(databasePath).runs() } catch let e as LabError { throw e } catch { throw LabError("\(error)") }
    }

    /// One line per run: number, id, status, seed, events, digest.
    public static func line(_ r: RunRecord) -> String {
        let events = r.events.map { String($0) } ?? "-"
        return "\(r.number)\t\(r.id)\t\(r.status.rawValue)\t\(r.scenarioName)\tseed \(r.seed)\t\(events) events\t\(r.eventDigest ?? "-")"
    }

    /// A run as JSON (without its scenario text and metrics, which `runs show` gives).
    static func summary(_ r: RunRecord) -> JSONValue {
        .object([
            ("id", .string(r.id)), ("number", .int(r.number)), ("scenario", .string(r.scenarioName)),
            ("scenario_path", .string(r.scenarioPath)), ("scenario_hash", .string(r.scenarioHash)),
            ("seed", .int(Int64(bitPattern: r.seed))), ("status", .string(r.status.rawValue)),
            ("started_at", .string(r.startedAt)), ("finished_at", r.finishedAt.map { .string($0) } ?? .null),
            ("events", r.events.map { .int($0) } ?? .null), ("event_digest", r.eventDigest.map { .string($0) } ?? .null),
            ("wall_seconds", r.wallSeconds.map { .double($0) } ?? .null), ("report_path", r.reportPath.map { .string($0) } ?? .null),
            ("rules_path", r.source?.rulesPath.map { .string($0) } ?? .null),
            ("actions", r.source.map { .bool($0.applyActions) } ?? .null),
            ("language", r.source.map { .string($0.language) } ?? .null),
            // `warroom report` needs the stored rules, options and measurements.
            ("recreatable", .bool(r.status == .finished && r.source != nil && r.measurementsJSON != nil)),
        ])
    }

    /// The runs as a JSON list.
    public static func json(_ runs: [RunRecord]) -> JSONValue { .array(runs.map(summary)) }

    /// One run: its record, the row counts of its tables, its metrics.
    public static func show(run id: String, databasePath: String) throws -> (text: String, json: JSONValue) {
        do {
            let store = try open(databasePath)
            guard let r = try store.run(id: id) else { throw LabError("no run '\(id)' in \(databasePath)") }
            var counts: [(String, Int)] = []
            for table in RunTable.allCases { counts.append((table.rawValue, try store.count(table, run: r.number))) }
            var text = line(r) + "\n"
            text += "scenario: \(r.scenarioPath) (sha-256 \(r.scenarioHash))\nstarted: \(r.startedAt)  finished: \(r.finishedAt ?? "-")\n"
            text += "rules: \(r.source?.rulesPath ?? "-")  actions: \(r.source.map { $0.applyActions ? "on" : "off" } ?? "-")"
                + "  language: \(r.source?.language ?? "-")\n"
            text += "report: \(r.reportPath ?? "-")"
                + (r.status == .finished && r.source != nil && r.measurementsJSON != nil ? " (warroom report \(r.number) re-creates it)" : "")
                + "\nrows: " + counts.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            var json = summary(r)
            if case var .object(pairs) = json {
                pairs.append(("rows_by_table", .object(counts.map { ($0.0, .int(Int64($0.1))) })))
                pairs.append(("metrics_json", r.metricsJSON.map { .string($0) } ?? .null))
                json = .object(pairs)
            }
            return (text, json)
        } catch let e as LabError { throw e } catch { throw LabError("\(error)") }
    }
}
