import Alerting
import Foundation
import Reporting
import RunStore
import Testing
import WarRoomTestSupport
import WarRoomCore
import WarRoomLab

/// A run's metrics.json without what depends on the wall clock (timings, the run's identity,
/// the engine's load curve), one line per figure: what the same seed must give again.
func stableMetrics(_ text: String) throws -> [String] {
    var metrics = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    if var alerts = metrics["alerts"] as? [String: Any] {
        // Wall-clock percentiles: objects of p50, p99, … (their inner lines name no key to filter on).
        for clock in ["load_curve", "emit_latency_us", "processing_latency_us"] { alerts[clock] = nil }
        metrics["alerts"] = alerts
    }
    let volatile = ["\"id\"", "started_at", "wall_seconds", "events_per_second", "peak_rss_mib", "record_seconds", "recorded_events",
                    "engine_seconds", "emit_latency_us", "processing_latency_us", "fit_seconds"]
    let json = String(decoding: try JSONSerialization.data(withJSONObject: metrics, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    return json.split(separator: "\n").map(String.init).filter { line in !volatile.contains { line.contains($0) } }
}

@Suite("warroom run, end to end")
struct RunPipelineTests {
    @Test("A run writes its report folder and its run store; the same seed gives the same figures")
    func endToEnd() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = RunPipeline.Options.writing(Repository.smokeScenario, into: folder, out: "a")
        options.recordEvents = true
        let first = try RunPipeline.run(options)
        #expect(first.reportPath.hasSuffix("/a/smoke-s7"))
        let files = try FileManager.default.contentsOfDirectory(atPath: first.reportPath).sorted()
        #expect(files == ["index.html", "latency.hgrm", "latency.hlog", "metrics.json", "summary.md"])
        // The engine's processing times in HdrHistogram's text format, as many as live events.
        let hgrm = try String(contentsOfFile: first.reportPath + "/latency.hgrm", encoding: .utf8)
        #expect(hgrm.hasPrefix("#[Values in microseconds (µs): ") && hgrm.contains("Percentile") && hgrm.contains("#[Max"))
        let hlog = try String(contentsOfFile: first.reportPath + "/latency.hlog", encoding: .utf8).split(separator: "\n")
        #expect(hlog.first == "#[Histogram log format version 1.3]" && hlog.last?.split(separator: ",").last?.hasPrefix("HISTF") == true, "\(hlog)")
        let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: first.reportPath + "/metrics.json"))) as? [String: Any]
        let run = try #require(metrics?["run"] as? [String: Any])
        let simulation = try #require(metrics?["simulation"] as? [String: Any])
        #expect(metrics?["schema_version"] as? Int == 2 && metrics?["kind"] as? String == "run")
        #expect(run["scenario"] as? String == "smoke")
        #expect(run["seed"] as? Int == 7)
        #expect((run["event_digest"] as? String)?.count == 32)
        #expect((run["events"] as? Int ?? 0) > 1000)
        #expect(simulation["wall_seconds"] is Double && simulation["events_per_second"] is Double)
        let alerts = try #require(metrics?["alerts"] as? [String: Any])
        let processing = alerts["processing_latency_us"] as? [String: Any] ?? [:]
        let p50 = processing["p50"] as? Double ?? -1, p99 = processing["p99"] as? Double ?? -1
        #expect(p50 > 0 && p99 >= p50 && (processing["max"] as? Double ?? 0) >= p99)
        let total = hgrm.split(separator: "\n").first { $0.hasPrefix("#[Max") }?.split(separator: "=").last?
            .trimmingCharacters(in: CharacterSet(charactersIn: " ]"))
        #expect(total == "\(run["events"] as? Int ?? -1)", "\(hgrm.suffix(200))")
        let html = try String(contentsOfFile: first.reportPath + "/index.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("Daily sales by region") && html.contains("7-day customer churn rate"))
        // The truth check's table reads metrics.json's own names: a ratio in each row, never "n/a".
        let truth = try #require(html.range(of: "Simulator check against the truth log").map { String(html[$0.upperBound...].prefix(1200)) })
        #expect(truth.contains("<td>Sale lines</td><td>") && !truth.contains("n/a"), "\(truth)")
        // A business reader first: what happened and what to do opens the page; the digest and
        // the speed are in the run's section, not among the headline figures.
        let firstSection = try #require(html.range(of: "<h2>").map { String(html[$0.upperBound...].prefix(40)) })
        #expect(firstSection.hasPrefix("What happened and what to do"), "\(firstSection)")
        #expect(html.contains("beta-launch hit Beta at 2026-03-05 ") && html.contains("What was done: "), "summary")
        let cards = String(html[..<(html.range(of: "<h2>")?.lowerBound ?? html.endIndex)])
        #expect(!cards.contains("Event digest") && !cards.contains("Simulation speed"))
        // Times and axes in the scenario's calendar (smoke: 14 history days before 2026-03-02, 7 live days).
        #expect(html.contains("date (2026-02-16 to 2026-03-08)") && html.contains(">03-02</text>"), "axis dates")
        #expect(html.contains("<td>2026-03-05 ") && !html.contains("<td>day "), "table times")

        // The run store has the run, its panels and its recorded events, matching the digest.
        let store = try RunStore(path: options.databasePath)
        let record = try #require(try store.run(id: first.runID))
        #expect(record.status == .finished)
        #expect(record.eventDigest == run["event_digest"] as? String)
        #expect(try store.count(.events, run: record.number) == run["events"] as? Int)
        #expect(try store.count(.storeDaySales, run: record.number) == 6 * 21)
        #expect(try store.integrityCheck() == "ok")

        // Again, same seed, elsewhere: same digest and the same metrics but for timing and identity.
        options.outDirectory = folder.appendingPathComponent("b").path
        options.recordEvents = false
        let second = try RunPipeline.run(options)
        #expect(second.runID != first.runID)
        #expect(try stableMetrics(first.metrics.json.rendered()) == stableMetrics(second.metrics.json.rendered()))
        options.seed = 8
        let third = try RunPipeline.run(options)
        #expect(third.metrics.json[path: "run.event_digest"] != first.metrics.json[path: "run.event_digest"])
    }

    @Test("A scenario error writes nothing: no report folder, no run store")
    func invalidScenarioWritesNothing() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.yaml")
        let text = try String(contentsOfFile: Repository.smokeScenario, encoding: .utf8).replacingOccurrences(of: "{ name: Alpha, stores: 3 }", with: "{ name: Alpha, stores: -3 }")
        try text.write(to: bad, atomically: true, encoding: .utf8)
        let options = RunPipeline.Options.writing(bad.path, into: folder, database: "db/runs.db")
        #expect {
            try RunPipeline.run(options)
        } throws: { error in
            guard let e = error as? LabError else { return false }
            // The typed error keeps where the problem is, not only the message.
            return e.exitCode == LabError.invalidInput && e.description.contains("bad.yaml:13:")
                && e.description.contains("world.regions[0].cities[0].stores: must be ≥ 1")
                && e.location?.line == 13 && e.location?.file.hasSuffix("bad.yaml") == true
                && e.input?.path == "world.regions[0].cities[0].stores"
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["bad.yaml"])
    }
}

@Suite("Memory estimate")
struct MemoryEstimateTests {
    @Test("A scenario too big for the machine is refused up front, with the figure")
    func refusesTooBig() throws {
        let path = Repository.path("scenarios/east-china-medical.yaml")
        let scenario = try WarRoomCore.Scenario.load(path: path).scenario
        let need = MemoryEstimate.bytes(for: scenario)
        #expect(need > 100 * 1024 * 1024 && need < 1024 * 1024 * 1024)
        #expect(throws: Never.self) { try MemoryEstimate.check(scenario, file: path, physicalMemory: 24 << 30) }
        #expect {
            try MemoryEstimate.check(scenario, file: path, physicalMemory: 128 << 20)
        } throws: { error in
            guard let e = error as? LabError else { return false }
            return e.exitCode == LabError.invalidInput && e.description.contains("would need about") && e.description.contains("GiB")
        }
    }

    @Test("A delivery's buffers (keys, radix buffers, a day's events waiting) count in the estimate; copies need more")
    func countsDelivery() throws {
        var scenario = try WarRoomCore.Scenario.load(path: Repository.path("scenarios/east-china-medical.yaml")).scenario
        let instant = MemoryEstimate.bytes(for: scenario)
        scenario.delivery[.pos] = DeliveryModel(mode: .daily(hour: 6))
        let daily = MemoryEstimate.bytes(for: scenario)
        scenario.delivery[.pos].duplicates = 0.01
        let copies = MemoryEstimate.bytes(for: scenario)
        #expect(daily > instant * 1.05)
        #expect(copies > daily)
    }

    @Test("Rules whose window state cannot fit are refused before the run starts, naming the file and the largest")
    func refusesRulesTooBig() throws {
        let path = Repository.path("scenarios/east-china-medical.yaml")
        let scenario = try WarRoomCore.Scenario.load(path: path).scenario
        let presets = try RuleSet.load(path: Repository.presets)
        #expect(throws: Never.self) { try MemoryEstimate.check(scenario, ruleSet: presets, rulesFile: "presets.yaml", physicalMemory: 24 << 30) }
        // 300 store rules of distinct year-long windows at hourly steps: a 16 Ki-pane ring per store each, rings up to the 32 MiB budget per rule.
        var text = "rules:\n"
        for i in 0..<300 {
            text += "  - { id: r\(i), scope: store, signal: { function: sum, field: amount, events: [sale], window: \(365 + i)d }, "
                + "compare: { threshold: \"> 1\" }, every: 1h, tier: rep }\n"
        }
        let many = try RuleSet.decode(yaml: text, file: "many.yaml")
        #expect {
            try MemoryEstimate.check(scenario, ruleSet: many, rulesFile: "many.yaml", physicalMemory: 4 << 30)
        } throws: { error in
            let message = "\(error)"
            return (error as? LabError)?.exitCode == LabError.invalidInput && message.hasPrefix("many.yaml: the rules' window state would take at least 9.4 GiB (300 signal states; the largest, r0, 32 MiB)")
        }
    }
}

@Suite("The latency interval log")
struct LatencyLogTests {
    @Test("latency.hlog decodes with HdrHistogram's own Python reader into the histogram latency.hgrm shows",
          .enabled(if: notebookPython != nil, "make test sets WARROOM_NOTEBOOK_PYTHON to its environment, which has hdrhistogram"))
    func decodes() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try RunPipeline.run(RunPipeline.Options.writing(Repository.smokeScenario, into: folder, out: "a"))
        let script = """
        import sys
        from hdrh.histogram import HdrHistogram
        rows = [l.strip() for l in open(sys.argv[1]) if l[0] not in '#"']
        h = HdrHistogram.decode(rows[0].split(",")[3])
        print(h.get_total_count(), "%.3f" % (h.get_max_value() / 1000), "%.3f" % (h.get_value_at_percentile(50) / 1000),
              "%.3f" % (h.get_value_at_percentile(90) / 1000))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(notebookPython))
        process.arguments = ["-c", script, outcome.reportPath + "/latency.hlog"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0 && printed.count == 4, "hdrh: \(errors)")
        // The same count and maximum as the .hgrm's footer, and the same values at its percentile lines.
        let hgrm = try String(contentsOfFile: outcome.reportPath + "/latency.hgrm", encoding: .utf8).split(separator: "\n")
        func footer(_ key: String) -> String? {
            hgrm.first { $0.contains(key) }.flatMap { line in
                line.components(separatedBy: key).last?.split(separator: ",")[0].trimmingCharacters(in: CharacterSet(charactersIn: " =]"))
            }
        }
        #expect(printed[0] == footer("Total count") && printed[1] == footer("Max"), "\(printed)")
        func valueAt(_ p: Double) -> String? {
            hgrm.compactMap { line -> (Double, String)? in
                let f = line.split(separator: " ")
                guard f.count >= 3, let v = Double(f[0]), let q = Double(f[1]) else { return nil }
                return (q, String(format: "%.3f", v))
            }.first { $0.0 >= p }?.1
        }
        #expect(printed[2] == valueAt(0.5) && printed[3] == valueAt(0.9), "\(printed)")
    }
}

