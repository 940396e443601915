import Foundation
import RunStore
import Testing
import WarRoomTestSupport

@Suite("warroom report RUN")
struct ReportRecreateTests {
    @Test("A run's report re-created from the run store alone is byte-identical, in place and elsewhere")
    func byteIdentical() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A run with models, alerts and actions: every section whose figures depend on the wall clock.
        let rules = Repository.presets
        let run = try runWarroom(["run", Repository.backtestScenario, "--rules", rules, "--out", "a", "--db", "runs.db", "--json"], in: folder)
        #expect(run.status == 0, "\(run.err)")
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        let id = try #require((metrics["run"] as? [String: Any])?["id"] as? String)
        #expect(metrics["forecast"] != nil && metrics["alerts"] != nil)
        let report = folder.appendingPathComponent("a/backtest-small-s11").path
        let original = try folderContents(URL(fileURLWithPath: report))
        #expect(Set(original.keys) == ["index.html", "summary.md", "metrics.json", "latency.hgrm", "latency.hlog"])
        // The load curve measured at the end of the run is part of what must come back.
        let page = String(decoding: try #require(original["index.html"]), as: UTF8.self)
        #expect(page.contains("Latency against offered load, open loop") && (page.contains("Event latency against offered load") || page.contains("Not drawn, fewer than 200,000 events each")))
        // So is what the machine's own stalls imposed on the half load.
        #expect(page.contains("share: right after that load a thread reading memory at random saw"))
        let curve = (metrics["alerts"] as? [String: Any])?["load_curve"] as? [String: Any]
        let machine = try #require(curve?["machine_at_half"] as? [String: Any])
        #expect((machine["at_service_us"] as? [String: Any])?["p99"] is Double)

        try FileManager.default.removeItem(atPath: report)
        let again = try runWarroom(["report", id, "--db", "runs.db"], in: folder)
        #expect(again.status == 0, "\(again.err)")
        let recreated = try folderContents(URL(fileURLWithPath: report))
        #expect(Set(recreated.keys) == Set(original.keys))
        for (name, bytes) in original {
            #expect(recreated[name] == bytes, "\(name) differs from the original")
        }

        let elsewhere = try runWarroom(["report", "1", "--db", "runs.db", "--out", "b", "--json"], in: folder)
        #expect(elsewhere.status == 0, "\(elsewhere.err)")
        #expect(try folderContents(folder.appendingPathComponent("b/backtest-small-s11")) == original)
    }

    @Test("A run that cannot be re-created says why, exits non-zero and writes nothing")
    func refusals() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try runWarroom(["run", Repository.smokeScenario, "--out", "a", "--db", "runs.db", "--quiet"], in: folder).status == 0)

        func recreatable() throws -> Bool? {
            let list = try runWarroom(["runs", "list", "--db", "runs.db", "--json"], in: folder)
            let runs = (try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [String: Any])?["runs"] as? [[String: Any]]
            return runs?.first?["recreatable"] as? Bool
        }
        #expect(try recreatable() == true)
        let missing = try runWarroom(["report", "no-such-run", "--db", "runs.db", "--out", "c"], in: folder)
        #expect(missing.status != 0 && missing.err.contains("no run 'no-such-run'"), "\(missing.err)")
        let noStore = try runWarroom(["report", "1", "--db", "other.db", "--out", "c"], in: folder)
        #expect(noStore.status != 0 && noStore.err.contains("no run store at other.db"), "\(noStore.err)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("other.db").path))

        // A store whose digest does not match what the program simulates (another version of it).
        let store = try RunStore(path: folder.appendingPathComponent("runs.db").path)
        let record = try #require(try store.run(id: "1"))
        try store.finishRun(record.number, eventDigest: String(repeating: "0", count: 32), events: record.events ?? 0,
                            wallSeconds: 0, reportPath: record.reportPath ?? "", metricsJSON: record.metricsJSON ?? "",
                            measurementsJSON: record.measurementsJSON)
        let changed = try runWarroom(["report", "1", "--db", "runs.db", "--out", "c"], in: folder)
        #expect(changed.status != 0 && changed.err.contains("does not simulate as the one that made the run"), "\(changed.err)")

        try store.markRun(record.number, status: .interrupted)
        #expect(try recreatable() == false)
        let interrupted = try runWarroom(["report", "1", "--db", "runs.db", "--out", "c"], in: folder)
        #expect(interrupted.status != 0 && interrupted.err.contains("is interrupted: only a finished run"), "\(interrupted.err)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("c").path))
    }
}
