import Foundation
import Testing
import WarRoomTestSupport

@Suite("warroom export")
struct ExportTests {
    @Test("A run's tables come out as CSV and NDJSON, every row, truth tables by their own names")
    func export() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runWarroom(["run", Repository.smokeScenario, "--out", "out", "--db", "runs.db", "--record-events", "--json"], in: folder)
        #expect(run.status == 0, "\(run.err)")
        let metrics = try jsonObject(run.out)
        let id = try #require((metrics["run"] as? [String: Any])?["id"] as? String)
        let events = try #require((metrics["run"] as? [String: Any])?["events"] as? Int)
        for format in ["csv", "ndjson"] {
            let r = try runWarroom(["export", id, "--db", "runs.db", "--format", format, "--out", "exp", "--json"], in: folder)
            #expect(r.status == 0, "\(r.err)")
            let dir = folder.appendingPathComponent("exp/\(id)-\(format)")
            let lines = try String(contentsOf: dir.appendingPathComponent("events.\(format)"), encoding: .utf8).split(separator: "\n")
            #expect(lines.count == events + (format == "csv" ? 1 : 0))
            let sales = try String(contentsOf: dir.appendingPathComponent("store_day_sales.\(format)"), encoding: .utf8).split(separator: "\n")
            #expect(sales.count == 6 * 21 + (format == "csv" ? 1 : 0))
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("truth_store_day.\(format)").path))
            if format == "csv" { #expect(sales[0] == "store,day,date,lines,units,amount_fen,account_lines") }
            // The lookups, by name: every table's codes can be joined to what they mean.
            for (name, rows) in [("regions", 1), ("cities", 2), ("stores", 6), ("event_kinds", 10)] {
                let text = try String(contentsOf: dir.appendingPathComponent("\(name).\(format)"), encoding: .utf8)
                #expect(text.split(separator: "\n").count == rows + (format == "csv" ? 1 : 0), "\(name)")
            }
            if format == "ndjson" { for line in lines.prefix(100) { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any]) } }
        }
        // CSV a pandas user reads as is: kinds by name, empty (NULL) rather than −1 for no store,
        // account or rep, calendar times and dates beside the offsets, actions' effects as numbers.
        let dir = folder.appendingPathComponent("exp/\(id)-csv")
        let eventRows = try String(contentsOf: dir.appendingPathComponent("events.csv"), encoding: .utf8).split(separator: "\n")
        #expect(eventRows[0] == "seq,time_ms,time,kind,store,city,region,customer,rep,sku,quantity,amount_fen,attr")
        let kinds = Set(eventRows.dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[3]) })
        #expect(kinds.isSuperset(of: ["sale", "visit", "customer_lost"]) && kinds.allSatisfy { $0.allSatisfy { $0.isLetter || $0 == "_" } }, "\(kinds)")
        #expect(!eventRows.contains { $0.contains(",-1,") })
        // Live day 0 is the scenario's calendar start (smoke: 2026-03-02); history is before it.
        let first = eventRows[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(first[2].hasPrefix("2026-0") && first[2].count == 23, "\(first)")
        #expect(try String(contentsOf: dir.appendingPathComponent("store_day_sales.csv"), encoding: .utf8).contains(",0,2026-03-02,"))
        let alerts = try String(contentsOf: dir.appendingPathComponent("alerts.csv"), encoding: .utf8).split(separator: "\n")
        #expect(alerts[0].hasPrefix("seq,time_ms,time,rule,rule_id,"))
        let actions = try String(contentsOf: dir.appendingPathComponent("actions.csv"), encoding: .utf8).split(separator: "\n")
        #expect(actions[0] == "alert_seq,action,parameters,place,start_ms,start,end_ms,end,churn_multiplier,traffic_multiplier,acquisition_multiplier,effect,applied")
        // Parameters as a JSON object; the smoke scenario models no effect, so no multiplier (the
        // closed-loop notebook run below has them).
        #expect(actions.dropFirst().contains { $0.contains("\"{\"\"") } && actions.dropFirst().allSatisfy { $0.contains(",,,,none") }, "\(actions.prefix(3))")
        // The sales panel is the format `backtest --data` reads.
        let panel = try String(contentsOf: dir.appendingPathComponent("sales_panel.csv"), encoding: .utf8).split(separator: "\n")
        #expect(panel[0] == "unique_id,ds,y" && panel.count == 6 * 21 + 1 && panel[1].hasPrefix("Alpha-0,2026-02-"))
        let backtest = try runWarroom(["backtest", "--data", "exp/\(id)-csv/sales_panel.csv", "--season", "2", "--horizon", "2", "--origins", "1", "--json"], in: folder)
        #expect(backtest.status == 0, "\(backtest.err)")
        let missing = try runWarroom(["export", "no-such-run", "--db", "runs.db"], in: folder)
        #expect(missing.status == 1 && missing.err == "error: no run 'no-such-run' in runs.db\n")
        let bad = try runWarroom(["export", id, "--db", "runs.db", "--format", "xlsx"], in: folder)
        // An unknown format is a usage error (EX_USAGE), caught by the parser before the run store is opened.
        #expect(bad.status == 64 && bad.err.contains("'xlsx' is invalid for '--format"))
    }
}

/// The Python of the notebook test environment (`make test` creates it and sets the variable).
let notebookPython = ProcessInfo.processInfo.environment["WARROOM_NOTEBOOK_PYTHON"]

@Suite("warroom export --format ipynb")
struct NotebookExportTests {
    /// A finished closed-loop run (alerts and actions included) exported as a notebook.
    func exported() throws -> (folder: URL, notebook: URL, metrics: [String: Any]) {
        let folder = try closedLoopFolder()
        let run = try runWarroom(["run", "loop.yaml", "--out", "out", "--db", "runs.db", "--json"], in: folder)
        #expect(run.status == 0, "\(run.err)")
        let metrics = try jsonObject(run.out)
        let id = try #require((metrics["run"] as? [String: Any])?["id"] as? String)
        let r = try runWarroom(["export", id, "--db", "runs.db", "--format", "ipynb", "--out", "nb", "--json"], in: folder)
        #expect(r.status == 0, "\(r.err)")
        return (folder, folder.appendingPathComponent("nb/\(id)-ipynb/analysis.ipynb"), metrics)
    }

    @Test("The notebook is nbformat 4 with Markdown and code cells, beside its CSV tables and the run's metrics.json")
    func structure() throws {
        let (folder, notebook, metrics) = try exported()
        defer { try? FileManager.default.removeItem(at: folder) }
        let nb = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: notebook)) as? [String: Any])
        #expect(nb["nbformat"] as? Int == 4 && (nb["nbformat_minor"] as? Int ?? 0) >= 5)
        let cells = try #require(nb["cells"] as? [[String: Any]])
        let types = cells.compactMap { $0["cell_type"] as? String }
        #expect(types.filter { $0 == "markdown" }.count >= 4 && types.filter { $0 == "code" }.count >= 4)
        #expect(Set(cells.compactMap { $0["id"] as? String }).count == cells.count)
        let code = cells.filter { $0["cell_type"] as? String == "code" }.flatMap { $0["source"] as? [String] ?? [] }.joined()
        #expect(code.contains("pd.read_csv") && code.contains("metrics.json") && code.contains("plt."))
        let dir = notebook.deletingLastPathComponent()
        for name in ["store_day_sales.csv", "alerts.csv", "actions.csv", "customers.csv", "metrics.json"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), "\(name)")
        }
        // The closed loop's campaign and task cards change the world: their multipliers are numbers.
        let actions = try String(contentsOf: dir.appendingPathComponent("actions.csv"), encoding: .utf8).split(separator: "\n")
        let columns = actions[0].split(separator: ",").map(String.init)
        let churn = try #require(columns.firstIndex(of: "churn_multiplier"))
        #expect(actions.dropFirst().contains { row in
            Double(row.split(separator: ",", omittingEmptySubsequences: false).reversed()[columns.count - 1 - churn]).map { $0 > 0 && $0 < 1 } == true
        }, "\(actions.prefix(4))")
        // The notebook's packages, pinned as the notebook test's environment pins them.
        let requirements = try String(contentsOf: dir.appendingPathComponent("requirements.txt"), encoding: .utf8).split(separator: "\n")
        let makefile = try String(contentsOf: Repository.root.appendingPathComponent("Makefile"), encoding: .utf8)
        let pinned = try #require(makefile.split(separator: "\n").first { $0.hasPrefix("NOTEBOOK_PACKAGES :=") }).split(separator: " ")
        #expect(requirements.count == 2 && requirements.allSatisfy { pinned.contains($0) }, "\(requirements)")
        let copied = try jsonObject(String(contentsOf: dir.appendingPathComponent("metrics.json"), encoding: .utf8))
        #expect((copied["run"] as? [String: Any])?["id"] as? String == (metrics["run"] as? [String: Any])?["id"] as? String)
        #expect(((metrics["alerts"] as? [String: Any])?["fired_alerts"] as? Int ?? 0) > 0, "the run must fire alerts for the notebook to check them")
    }

    @Test("The notebook runs in Jupyter (nbclient) without error and its headline figures equal metrics.json",
          .enabled(if: notebookPython != nil, "make test sets WARROOM_NOTEBOOK_PYTHON to its notebook environment"))
    func executes() throws {
        let (folder, notebook, _) = try exported()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = """
        import nbformat, sys
        from nbclient import NotebookClient
        nb = nbformat.read(sys.argv[1], as_version=4)
        nbformat.validate(nb)
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": sys.argv[2]}}).execute()
        text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        figures = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {}))
        print(text)
        print(f"figures: {figures}")
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(notebookPython))
        process.arguments = ["-c", script, notebook.path, notebook.deletingLastPathComponent().path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "nbclient: \(errors.suffix(2000))")
        #expect(output.contains("all equal to metrics.json"), "\(output)")
        #expect(output.contains("alerts.fired_alerts") && output.contains("figures: 4"), "\(output)")
    }
}
