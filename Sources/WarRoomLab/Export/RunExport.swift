import Foundation
import Reporting
import RunStore
import WarRoomCore

/// `warroom export`: a run's tables out of the run store as CSV or NDJSON files, one per table,
/// for analysts who take the data further (pandas, R, a warehouse). Truth tables keep their
/// `truth_` names, so evaluation data never passes for observed data.
public enum RunExport {
    /// What an export wrote.
    public struct Result: Sendable {
        /// The folder written.
        public var folder: String
        /// The table files written, with their rows, in the run store's table order.
        public var files: [(name: String, rows: Int)]
        /// The notebook, for `ipynb`.
        public var notebook: String?

        /// The summary as JSON (`warroom export --json`).
        public var json: JSONValue {
            var fields: [(String, JSONValue)] = [("folder", .string(folder)), ("rows_by_file", .object(files.map { ($0.name, .count($0.rows)) }))]
            if let notebook { fields.append(("notebook", .string(notebook))) }
            return .object(fields)
        }
    }

    /// Writes `<out>/<run id>-<format>/` (a file per non-empty table, and `run.json`) whole or not at all.
    /// `ipynb` writes the tables as CSV with the run's `metrics.json` and `analysis.ipynb` (`RunNotebook`).
    public static func export(run id: String, databasePath: String, format: ExportFormat, outDirectory: String) throws -> Result {
        let notebook = format == .ipynb
        let tableFormat = format.tableFormat.rawValue
        let store = try RunHistory.open(databasePath)
        guard let run = try store.run(id: id) else { throw LabError("no run '\(id)' in \(databasePath)") }
        // Dates and calendar times beside day indices and event times: the scenario's calendar.
        let liveStartDay: Int
        do { liveStartDay = try Scenario.decode(yaml: run.scenarioText, file: run.scenarioPath).calendar.start.daysSinceEpoch } catch {
            throw LabError("run '\(run.id)': its stored scenario no longer decodes (\(error)): the export needs its calendar")
        }
        let folder = URL(fileURLWithPath: outDirectory).appendingPathComponent(SafeName.component(run.id, fallback: "run") + "-" + format.rawValue)
        let temporary = URL(fileURLWithPath: outDirectory).appendingPathComponent(".\(folder.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        var files: [(name: String, rows: Int)] = []
        do {
            try? FileManager.default.removeItem(at: temporary)
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            for table in RunTable.allCases where try store.count(table, run: run.number) > 0 {
                let name = "\(table.rawValue).\(tableFormat)"
                let url = temporary.appendingPathComponent(name)
                guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw LabError("cannot write \(url.path)") }
                let handle = try FileHandle(forWritingTo: url)
                var buffer = "", names: [String] = [], rows = 0
                func flush(_ force: Bool) throws {
                    if force || buffer.utf8.count > 1 << 20 { try handle.write(contentsOf: Data(buffer.utf8)); buffer = "" }
                }
                try store.export(table, run: run.number, liveStartDay: liveStartDay, header: { header in
                    names = header
                    if tableFormat == "csv" { buffer += header.joined(separator: ",") + "\n" }
                }, row: { values in
                    rows += 1
                    if tableFormat == "csv" {
                        buffer += values.map { v -> String in
                            switch v {
                            case .null: return ""
                            case .int(let i): return String(i)
                            case .double(let d): return CSVWriter.number(d)
                            case .text(let t): return CSVWriter.field(t)
                            }
                        }.joined(separator: ",") + "\n"
                    } else {
                        buffer += JSONValue.object(zip(names, values).map { name, v -> (String, JSONValue) in
                            switch v {
                            case .null: return (name, .null)
                            case .int(let i): return (name, .int(i))
                            case .double(let d): return (name, .double(d))
                            case .text(let t): return (name, .string(t))
                            }
                        }).compact() + "\n"
                    }
                    try flush(false)
                })
                try flush(true)
                try handle.close()
                files.append((name, rows))
            }
            let summary = JSONValue.object([
                ("run", RunHistory.summary(run)), ("format", .string(format.rawValue)),
                ("rows_by_file", .object(files.map { ($0.name, .count($0.rows)) })),
                ("note", .string("Tables named truth_* hold the simulator's ground truth: for evaluation only, never as model input.")),
                ("time_note", .string("time_ms and day count from the first live day (\(CivilDate(daysSinceEpoch: liveStartDay)), day 0, time 0; history is negative); "
                                      + "date and time columns give the same instants in the scenario's calendar, without a time zone.")),
                ("live_start_date", .string(CivilDate(daysSinceEpoch: liveStartDay).description)),
            ])
            try Data(JSONDocument.make("export_run", summary).rendered().utf8).write(to: temporary.appendingPathComponent("run.json"))
            if notebook {
                guard let metrics = run.metricsJSON else {
                    throw LabError("run '\(run.id)' has no metrics (it did not finish): nothing for the notebook to check against")
                }
                try Data(metrics.utf8).write(to: temporary.appendingPathComponent("metrics.json"))
                try Data(RunNotebook.json(runID: run.id, scenario: run.scenarioName).utf8).write(to: temporary.appendingPathComponent("analysis.ipynb"))
                try Data((RunNotebook.requirements.joined(separator: "\n") + "\n").utf8).write(to: temporary.appendingPathComponent("requirements.txt"))
            }
            // Only an earlier export of the same run is replaced (any of its tables), never a file
            // of the user's; the old folder is set aside until the new one is in place.
            try ReportFolder.checkReplaceable(folder, by: Set(RunTable.allCases.map { "\($0.rawValue).\(tableFormat)" } + ["run.json", "metrics.json", "analysis.ipynb", "requirements.txt"]))
            let old = URL(fileURLWithPath: outDirectory).appendingPathComponent(".\(folder.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).old")
            try ReportFolder.install(temporary, as: folder, settingAside: old)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let e = error as? LabError { throw e }
            throw LabError("export: \(error)")
        }
        return Result(folder: folder.path, files: files, notebook: notebook ? folder.appendingPathComponent("analysis.ipynb").path : nil)
    }
}
