import Foundation
import Reporting
import RunStore

/// `warroom export`: a run's tables out of the run store as CSV or NDJSON files, one per table,
/// for analysts who take the data further (pandas, R, a warehouse). Truth tables keep their
/// `truth_` names, so evaluation data never passes for observed data.
public enum RunExport {
    /// Writes `<out>/<run id>-<format>/` (a file per non-empty table, and `run.json`) whole or not at all.
    /// `ipynb` writes the tables as CSV with the run's `metrics.json` and `analysis.ipynb` (`RunNotebook`).
    public static func export(run id: String, databasePath: String, format: String, outDirectory: String) throws -> JSONValue {
        guard ["csv", "ndjson", "ipynb"].contains(format) else {
            throw LabError("--format must be csv, ndjson or ipynb, not '\(format)'", exitCode: LabError.invalidInput)
        }
        let notebook = format == "ipynb"
        let tableFormat = notebook ? "csv" : format
        let store = try RunHistory.open(databasePath)
        guard let run = try store.run(id: id) else { throw LabError("no run '\(id)' in \(databasePath)") }
        let folder = URL(fileURLWithPath: outDirectory).appendingPathComponent(SafeName.component(run.id, fallback: "run") + "-" + format)
        let temporary = URL(fileURLWithPath: outDirectory).appendingPathComponent(".\(folder.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        var files: [(String, Int)] = []
        do {
            try? FileManager.default.removeItem(at: temporary)
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            for table in RunTable.allCases where try store.count(table, run: run.number) > 0 {
                let name = "\(table.rawValue).\(tableFormat)"
                let url = temporary.appendingPathComponent(name)
                FileManager.default.createFile(atPath: url.path, contents: nil)
                let handle = try FileHandle(forWritingTo: url)
                var buffer = "", names: [String] = [], rows = 0
                func flush(_ force: Bool) throws {
                    if force || buffer.utf8.count > 1 << 20 { try handle.write(contentsOf: Data(buffer.utf8)); buffer = "" }
                }
                try store.export(table, run: run.number, header: { header in
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
                ("run", RunHistory.summary(run)), ("format", .string(format)),
                ("files", .object(files.map { ($0.0, .int(Int64($0.1))) })),
                ("note", .string("Tables named truth_* hold the simulator's ground truth: for evaluation only, never as model input.")),
            ])
            try Data(summary.rendered().utf8).write(to: temporary.appendingPathComponent("run.json"))
            if notebook {
                guard let metrics = run.metricsJSON else {
                    throw LabError("run '\(run.id)' has no metrics (it did not finish): nothing for the notebook to check against")
                }
                try Data(metrics.utf8).write(to: temporary.appendingPathComponent("metrics.json"))
                try Data(RunNotebook.json(runID: run.id, scenario: run.scenarioName).utf8).write(to: temporary.appendingPathComponent("analysis.ipynb"))
            }
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.moveItem(at: temporary, to: folder)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let e = error as? LabError { throw e }
            throw LabError("export: \(error)")
        }
        var result: [(String, JSONValue)] = [("folder", .string(folder.path)), ("files", .object(files.map { ($0.0, .int(Int64($0.1))) }))]
        if notebook { result.append(("notebook", .string(folder.appendingPathComponent("analysis.ipynb").path))) }
        return .object(result)
    }
}
