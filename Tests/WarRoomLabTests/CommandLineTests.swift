import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Reporting
import Testing
import WarRoomTestSupport
import WarRoomLab
import WarRoomCore

@Suite("The warroom command")
struct CommandLineTests {
    /// Each kind of scenario error: the message names file, line, column and field; exit status 65; nothing written.
    @Test("Every kind of scenario error gives its message and exit status", arguments: [
        ("{ name: Alpha, stores: 3 }", "{ name: Alpha, stores: -3 }", ":13:", "world.regions[0].cities[0].stores: must be ≥ 1 and ≤ 100000, got -3"),
        ("linesPerStoreDay: 60", "linesPerStoreDy: 60", ":19:", "demand.linesPerStoreDy: unknown field (did you mean 'linesPerStoreDay'?)"),
        ("start: 2026-03-02", "start: 2026-02-31", ":6:", "calendar.start: expected a date as YYYY-MM-DD"),
        ("city: Beta", "city: Gamma", ":35:", "competitors.shocks[0].city: unknown city 'Gamma'"),
        ("perStore: 10", "perStore: ten", ":23:", "customers.perStore: expected a whole number, got 'ten'"),
        ("visitsPerDay: 4", "visitsPerDay: [4", ":", "YAML syntax error"),
    ])
    func scenarioErrors(original: String, replacement: String, position: String, message: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOfFile: Repository.smokeScenario, encoding: .utf8)
        #expect(text.contains(original))
        try text.replacingOccurrences(of: original, with: replacement).write(to: folder.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let r = try runWarroom(["run", "bad.yaml", "--out", "out", "--db", "out/runs.db"], in: folder)
        #expect(r.status == 65)
        #expect(r.err.hasPrefix("error: bad.yaml" + position), "stderr: \(r.err)")
        #expect(r.err.contains(message), "stderr: \(r.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["bad.yaml"])
        let v = try runWarroom(["validate", "bad.yaml"], in: folder)
        #expect(v.status == 65 && v.err == r.err)
        let vj = try runWarroom(["validate", "bad.yaml", "--json"], in: folder)
        #expect(vj.status == 65 && vj.err == r.err && vj.out.isEmpty)
        let vq = try runWarroom(["validate", "bad.yaml", "--quiet"], in: folder)
        #expect(vq.status == 65 && vq.err == r.err && vq.out.isEmpty)
    }

    @Test("A missing scenario file is a clear error too")
    func missingFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try runWarroom(["run", "nope.yaml", "--out", "out"], in: folder)
        #expect(r.status == 65)
        #expect(r.err.contains("nope.yaml") && r.err.contains("cannot read the scenario file"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("warroom run prints the report path and no progress line when stdout is not a terminal")
    func runPrints() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try runWarroom(["run", Repository.smokeScenario, "--out", "out", "--db", "runs.db"], in: folder)
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(r.out.contains("report:   "))
        // The summary's figures are formatted for people: grouped counts, M events/s, seconds.
        #expect(r.out.range(of: #"events:   \d{1,3}(,\d{3})* live events"#, options: .regularExpression) != nil, "\(r.out)")
        #expect(r.out.range(of: #"speed:    \d+\.\d M events/s"#, options: .regularExpression) != nil, "\(r.out)")
        #expect(r.out.contains("out/smoke-s7/index.html"))
        #expect(!r.out.contains("\r"))
        let j = try runWarroom(["run", Repository.smokeScenario, "--out", "out", "--db", "runs.db", "--json"], in: folder)
        let object = try JSONSerialization.jsonObject(with: Data(j.out.utf8)) as? [String: Any]
        #expect(object?["schema_version"] as? Int == 2)
        let quiet = try runWarroom(["run", Repository.smokeScenario, "--out", "quiet", "--db", "runs.db", "--quiet"], in: folder)
        #expect(quiet.status == 0 && quiet.out.isEmpty && quiet.err.isEmpty, "\(quiet.out)\(quiet.err)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("quiet/smoke-s7/index.html").path))

        // The run history lists both runs and shows one.
        let list = try runWarroom(["runs", "list", "--db", "runs.db", "--json"], in: folder)
        let runs = try #require((try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])
        #expect(runs.count == 3 && runs.allSatisfy { ($0["id"] as? String)?.hasPrefix("smoke-s7-") == true && $0["status"] as? String == "finished" })
        let id = try #require(runs.last?["id"] as? String)
        let show = try runWarroom(["runs", "show", id, "--db", "runs.db"], in: folder)
        #expect(show.status == 0 && show.out.contains(id) && show.out.contains("alerts ") && show.out.contains("store_day_sales 126"))
        let missing = try runWarroom(["runs", "show", "nope", "--db", "runs.db"], in: folder)
        #expect(missing.status == 1 && missing.err.contains("no run 'nope'"))
    }
}

@Suite("The benchmark commands")
struct BenchmarkCommandTests {
    static let presets = Repository.presets

    func json(_ r: WarroomResult) throws -> [String: Any] {
        #expect(r.status == 0, "stderr: \(r.err)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
    }

    @Test("bench sim, record and engine print their figures as JSON")
    func figures() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sim = try json(try runWarroom(["bench", "sim", "--scenario", Repository.smokeScenario, "--repeats", "1", "--json"], in: folder))
        #expect((sim["events"] as? Int ?? 0) > 1000 && sim["wall_seconds"] is Double && (sim["events_per_second"] as? Double ?? 0) > 0)
        let record = try json(try runWarroom(["bench", "record", "--scenario", Repository.smokeScenario, "--repeats", "1", "--json"], in: folder))
        #expect((record["events"] as? Int ?? 0) > 1000 && (record["events_per_second"] as? Double ?? 0) > 0)
        let engine = try json(try runWarroom(["bench", "engine", "--max", "--scenario", Repository.smokeScenario, "--rules", Self.presets,
                                              "--repeats", "1", "--json"], in: folder))
        #expect(engine["rules"] as? Int == 27 && (engine["events_per_second"] as? Double ?? 0) > 0)
        #expect((engine["rules_scaling"] as? [[String: Any]])?.first?["rules"] as? Int == 1)
        let open = try json(try runWarroom(["bench", "engine", "--rate", "200000", "--duration", "0.005", "--warmup", "0.001", "--scenario", Repository.smokeScenario,
                                            "--rules", Self.presets, "--hgrm", "lat.hgrm", "--json"], in: folder))
        let latency = try #require(open["latency_us"] as? [String: Any])
        for key in ["p50", "p90", "p99", "p999", "p9999", "max"] { #expect(latency[key] is Double, "latency_us.\(key)") }
        #expect(open["offered_events_per_second"] as? Double == 200_000 && open["achieved_events_per_second"] is Double && open["events"] as? Int == 1000 && open["warmup_events"] as? Int == 200)
        let hgrm = try String(contentsOf: folder.appendingPathComponent("lat.hgrm"), encoding: .utf8)
        #expect(hgrm.contains("Percentile") && hgrm.contains("#[Max"))
        // sweep-load, small: every file of its report folder, the curves' points, well-formed charts.
        let sweep = try json(try runWarroom(["bench", "sweep-load", "--scenario", Repository.smokeScenario, "--rules", Self.presets, "--loads", "0.1", "0.5",
                                             "--seconds", "0.005", "--warmup", "0", "--rule-counts", "1", "30", "--store-counts", "1", "1000",
                                             "--cardinality-days", "1", "--repeats", "1", "--out", "lat", "--json"], in: folder))
        #expect((sweep["load"] as? [[String: Any]])?.count == 2 && (sweep["peak_events_per_second"] as? Double ?? 0) > 0)
        #expect((sweep["rules_scaling"] as? [[String: Any]])?.map { $0["rules"] as? Int } == [1, 30])
        let stores = (sweep["stores_scaling"] as? [[String: Any]])?.compactMap { $0["stores"] as? Int } ?? []
        #expect(stores.count == 2 && stores[1] >= 1000 && stores[1] > stores[0])
        let lat = try #require(FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("lat").path).first { $0.hasPrefix("latency-") })
        let report = folder.appendingPathComponent("lat").appendingPathComponent(lat)
        for name in ["index.html", "summary.md", "metrics.json", "latency-vs-load.csv", "latency-percentiles.svg",
                     "throughput-vs-rules.svg", "throughput-vs-stores.csv", "latency-at-half-peak.hgrm"] {
            #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent(name).path), "\(name)")
        }
        // Loads this short (fewer than 200,000 events) are not drawn: no load chart, and the page says why.
        #expect(!FileManager.default.fileExists(atPath: report.appendingPathComponent("latency-vs-load.svg").path))
        let page = try String(contentsOf: report.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(page.contains("Not drawn, fewer than 200,000 events each"))
        let csv = try String(contentsOf: report.appendingPathComponent("latency-vs-load.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 3 && csv[0].hasPrefix("fraction_of_peak,offered_rate,achieved_rate"))
        let noMode = try runWarroom(["bench", "engine", "--scenario", Repository.smokeScenario], in: folder)
        #expect(noMode.status != 0 && noMode.err.contains("choose a mode"))
    }
}

@Suite("warroom compare")
struct CompareCommandTests {
    @Test("Two runs side by side: every figure, B − A, in a report folder")
    func compare() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try runWarroom(["run", Repository.smokeScenario, "--out", "out", "--db", "runs.db"], in: folder).status == 0)
        #expect(try runWarroom(["run", Repository.smokeScenario, "--seed", "8", "--out", "out", "--db", "runs.db"], in: folder).status == 0)
        let r = try runWarroom(["compare", "1", "2", "--db", "runs.db", "--out", "out"], in: folder)
        #expect(r.status == 0 && r.out.contains("out/compare-1-2/index.html"), "\(r.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out/compare-1-2").path).sorted()
        #expect(files == ["comparison.json", "index.html", "summary.md"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out/compare-1-2/comparison.json"))) as? [String: Any])
        let figures = try #require(json["figures"] as? [[String: String]])
        let seed = try #require(figures.first { $0["key"] == "run.seed" })
        #expect(seed["a"] == "7" && seed["b"] == "8" && seed["difference"] == "1")
        let cj = try jsonObject(try runWarroom(["compare", "1", "2", "--db", "runs.db", "--out", "out", "--json"], in: folder).out)
        #expect((cj["index"] as? String)?.hasSuffix("out/compare-1-2/index.html") == true)
        let quietCompare = try runWarroom(["compare", "1", "2", "--db", "runs.db", "--out", "out", "--quiet"], in: folder)
        #expect(quietCompare.status == 0 && quietCompare.out.isEmpty && quietCompare.err.isEmpty)
        let valid = try jsonObject(try runWarroom(["validate", Repository.smokeScenario, "--json"], in: folder).out)
        #expect(valid["ok"] as? Bool == true && valid["stores"] as? Int == 6 && valid["rules"] as? Int == 27)
        // validate reads the scenario's rule file as run would: its errors with their file and line.
        let rules = try String(contentsOfFile: Repository.presets, encoding: .utf8).replacingOccurrences(of: "threshold: \"< 1\"", with: "threshold: \"< 0x1\"")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("rules"), withIntermediateDirectories: true)
        try rules.write(to: folder.appendingPathComponent("rules/presets.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Repository.smokeScenario, toPath: folder.appendingPathComponent("smoke.yaml").path)
        let badRules = try runWarroom(["validate", "smoke.yaml"], in: folder)
        #expect(badRules.status == 65 && badRules.err.contains("rules/presets.yaml:59:") && badRules.err.contains("expected a condition"), "\(badRules.err)")
        let missing = try runWarroom(["compare", "1", "9", "--db", "runs.db"], in: folder)
        #expect(missing.status == 1 && missing.err.contains("no run '9'"))
    }
}

@Suite("Parsing, usage errors and the version")
struct CommandParsingTests {
    @Test("--version prints the lab's version")
    func version() throws {
        let r = try runWarroom(["--version"], in: Repository.root)
        #expect(r.status == 0 && r.out == WarRoomLab.version + "\n" && r.err.isEmpty, "\(r.out)\(r.err)")
        #expect(WarRoomLab.version.split(separator: ".").count == 3)
    }

    @Test("Shell completion scripts come from the parser: every command, and a command's options and values", arguments: ["bash", "zsh", "fish"])
    func completion(shell: String) throws {
        let r = try runWarroom(["--generate-completion-script", shell], in: Repository.root)
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        for word in ["run", "backtest", "forecast", "export", "validate", "cv-out", "layout", "ipynb"] { #expect(r.out.contains(word), "\(shell): \(word)") }
    }

    @Test("Conflicting or missing options are usage errors (status 64), found before any work", arguments: [
        (["backtest"], "give a scenario file or --data FILE.csv"),
        (["backtest", "scenarios/smoke.yaml", "--data", "x.csv"], "give a scenario or --data, not both"),
        (["bench", "engine", "--scenario", "scenarios/smoke.yaml"], "choose a mode: --max, or --rate R"),
        (["bench", "engine", "--max", "--rate", "1000"], "not both"),
        (["bench", "engine", "--rate", "1000", "--tick-work", "sometimes"], "'sometimes' is invalid for '--tick-work"),
        (["bench", "engine", "--rate", "1000", "--tick-work", "0"], "'0' is invalid for '--tick-work"),
        (["stream", "scenarios/smoke.yaml", "--rate", "10", "--speed", "60"], "choose --rate or --speed, not both"),
        (["stream", "scenarios/smoke.yaml", "--format", "xml"], "'xml' is invalid for '--format"),
        (["forecast", "--data", "x.csv", "--horizon", "7", "--out", "y.csv", "--model", "prophet"], "'seasonal_naive'"),
        (["forecast", "--data", "x.csv", "--horizon", "7", "--out", "y.csv", "--freq", "Q"], "'Q' is invalid for '--freq"),
        (["backtest", "--data", "x.csv", "--gaps", "interpolate"], "'interpolate' is invalid for '--gaps"),
        (["fuzz", "--target", "yaml"], "'yaml' is invalid for '--target"),
    ])
    func usageErrors(arguments: [String], message: String) throws {
        let r = try runWarroom(arguments, in: Repository.root)
        #expect(r.status == 64, "status \(r.status): \(r.err)")
        #expect(r.err.contains(message) && r.err.contains("Usage: warroom"), "\(r.err)")
        #expect(r.out.isEmpty)
    }

    @Test("The value lists of the typed options are the spellings the README gives")
    func spellings() {
        #expect(ExportFormat.allCases.map(\.rawValue) == ["csv", "ndjson", "ipynb"])
        #expect(ForecastModelChoice.allCases.map(\.rawValue) == ["auto", "ets", "regression", "glm", "seasonal_naive"])
    }

    @Test("A lab error from a user's file keeps the input error's file, line and column")
    func inputErrorLocation() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.yaml")
        let text = try String(contentsOfFile: Repository.smokeScenario, encoding: .utf8)
        try text.replacingOccurrences(of: "perStore: 10", with: "perStore: ten").write(to: bad, atomically: true, encoding: .utf8)
        do {
            _ = try ScenarioCheck.check(path: bad.path)
            Issue.record("a bad scenario passed the check")
        } catch let error as LabError {
            let input = try #require(error.input)
            #expect(error.location == input.location && input.location.file == bad.path && input.location.line == 23 && input.location.column > 0)
            #expect(input.path == "customers.perStore")
            #expect(error.description == input.description && error.exitCode == LabError.invalidInput)
        }
        // A plain lab error has none.
        #expect(LabError("no run 'x'").location == nil)
    }

    @Test("The summary and figures print from the typed results: run, validate")
    func typedSummaries() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = RunPipeline.Options.writing(Repository.smokeScenario, into: folder)
        let outcome = try RunPipeline.run(options)
        let f = outcome.figures, m = outcome.json
        #expect(m[path: "run.events"] == .int(Int64(f.events)) && m[path: "run.event_digest"] == .string(f.eventDigest))
        #expect(m[path: "simulation.events_per_second"] == .double(f.eventsPerSecond))
        #expect(m[path: "simulation.run_wall_seconds"] == .double(f.runWallSeconds))
        let alerts = try #require(f.alerts)
        #expect(m[path: "alerts.fired_alerts"] == .int(Int64(alerts.fired)) && m[path: "alerts.escalated_alerts"] == .int(Int64(alerts.escalated)))
        #expect(m[path: "alerts.precision"] == alerts.precision.map { .double($0) } && m[path: "alerts.recall"] == alerts.recall.map { .double($0) })
        // 21 days are too short for the models' backtest: no model figures, as metrics.json has none.
        #expect(f.models == nil && m[path: "forecast"] == nil)

        let check = try ScenarioCheck.check(path: Repository.smokeScenario)
        let v = try runWarroom(["validate", Repository.smokeScenario], in: folder)
        #expect(v.out == "\(Repository.smokeScenario): ok — \(check.name): \(check.stores) stores, \(check.historyDays) history days, \(check.liveDays) live days, 1 shock, 27 rules (\(Repository.presets)); estimated peak memory \(check.memoryMiB) MiB, about \(Format.count(check.liveEvents)) live events, run time about \(TimeEstimate.duration(check.seconds))\n")
        #expect(check.rules == 27 && check.rulesFile == Repository.presets)
        let vj = try runWarroom(["validate", Repository.smokeScenario, "--json"], in: folder)
        #expect(vj.out == JSONDocument.make("validate", check.json).rendered())
    }
}
