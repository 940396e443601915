import Foundation
import RunStore
import Testing
import WarRoomTestSupport

/// A sweep scenario in `folder`: the smoke world (with its rules) or the backtest-small one,
/// with three variants, an action playbook and costs.
func writeSweepScenario(in folder: URL, base: String = "smoke") throws -> String {
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("rules"), withIntermediateDirectories: true)
    try? FileManager.default.copyItem(at: Repository.root.appendingPathComponent("scenarios/rules/presets.yaml"),
                                      to: folder.appendingPathComponent("rules/presets.yaml"))
    var text = try String(contentsOf: Repository.root.appendingPathComponent("scenarios/\(base).yaml"), encoding: .utf8)
    text += """

    actions:
      task-card: { place: account, delayHours: 24, durationDays: 14, churnMultiplier: 0.85, trafficMultiplier: 1.1 }
      talk-track-pack: { place: city, delayHours: 4, durationDays: 14, churnMultiplier: 0.9 }
    economics:
      acquisitionSpendPerStoreWeek: 1000
      actionCosts: { task-card: 50, talk-track-pack: 5000 }
    variants:
      - name: baseline
      - name: harder
        set:
          "competitors.shocks[0].churnMultiplier": 6
      - name: no-playbook
        playbook: off

    """
    let url = folder.appendingPathComponent("\(base)-whatif.yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.lastPathComponent
}

/// Every file of a report folder, by name.
func folderContents(_ url: URL) throws -> [String: Data] {
    var out: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: url.path) { out[name] = try Data(contentsOf: url.appendingPathComponent(name)) }
    return out
}

@Suite("warroom sweep and merge", .serialized)
struct SweepTests {
    @Test("Three shards run as separate processes merge into the report of one unsharded sweep, byte for byte; --jobs 2 changes nothing")
    func shardsMerge() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = try writeSweepScenario(in: folder)
        let whole = try runWarroom(["sweep", scenario, "--replications", "4", "--out", "whole", "--db", "whole.db"], in: folder)
        #expect(whole.status == 0, "\(whole.err)")
        // The run store keeps every replication's outcomes (17 each) and every estimate (17 per variant).
        let recorded = try RunStore(path: folder.appendingPathComponent("whole.db").path).sweeps()
        #expect(recorded.count == 1 && recorded[0].scenario == "smoke" && recorded[0].results == 12 * 17 && recorded[0].estimates == 3 * 17)
        let processes = try (1...3).map { i -> Process in
            let p = Process()
            p.executableURL = try warroomExecutable()
            p.arguments = ["sweep", scenario, "--replications", "4", "--shard", "\(i)/3", "--out", "shard\(i)"]
            p.currentDirectoryURL = folder
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        for p in processes { p.waitUntilExit(); #expect(p.terminationStatus == 0) }
        // Before every shard is in, merge says what is missing.
        let partial = try runWarroom(["merge", "shard1", "shard2", "--out", "merged"], in: folder)
        #expect(partial.status == 65 && partial.err.contains("the sweep is incomplete: 4 of 12 replications missing"))
        let merged = try runWarroom(["merge", "shard1", "shard2", "shard3", "--out", "merged"], in: folder)
        #expect(merged.status == 0, "\(merged.err)")
        let a = try folderContents(folder.appendingPathComponent("whole/smoke-sweep"))
        let b = try folderContents(folder.appendingPathComponent("merged/smoke-sweep"))
        #expect(a.keys.sorted() == ["index.html", "metrics.json", "results.csv", "summary.csv", "summary.md"])
        #expect(a == b)
        let parallel = try runWarroom(["sweep", scenario, "--replications", "4", "--jobs", "2", "--out", "parallel"], in: folder)
        #expect(parallel.status == 0)
        #expect(try folderContents(folder.appendingPathComponent("parallel/smoke-sweep")) == a)
        // Paired differences: the variant that changes nothing but the playbook shares the baseline's world up to its actions.
        let metrics = try jsonObject(String(decoding: a["metrics.json"]!, as: UTF8.self))
        let revenue = ((metrics["by_outcome"] as? [String: Any])?["revenue_cny"] as? [String: Any])?["by_variant"] as? [String: Any]
        let harder = revenue?["harder"] as? [String: Any]
        let paired = harder?["paired_ci95_half_width"] as? Double ?? .nan, unpaired = harder?["unpaired_ci95_half_width"] as? Double ?? .nan
        #expect(paired < unpaired / 5, "paired ± \(paired), unpaired ± \(unpaired)")
        // Money in the tables with its thousands grouped (a smoke world sells tens of thousands of yuan).
        let summary = String(decoding: a["summary.md"]!, as: UTF8.self)
        #expect(summary.contains(/\d{1,3},\d{3} ¥/) && !summary.contains(/\d{4,} ¥/), "\(summary.prefix(1500))")
    }

    @Test("SIGTERM stops a sweep keeping every finished replication; --resume finishes it with the same report as an uninterrupted sweep")
    func interruptAndResume() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = try writeSweepScenario(in: folder, base: "backtest-small")
        let p = Process()
        p.executableURL = try warroomExecutable()
        p.arguments = ["sweep", scenario, "--replications", "5", "--out", "out"]
        p.currentDirectoryURL = folder
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        try p.run()
        let results = folder.appendingPathComponent("out/backtest-small-sweep.jsonl")
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let lines = (try? String(contentsOf: results, encoding: .utf8))?.split(separator: "\n").count ?? 0
            if lines >= 3 { break }   // the plan and two replications
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 130, "\(message)")
        #expect(message.contains("replications kept") && message.contains("--resume"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/backtest-small-sweep").path))
        let kept = try String(contentsOf: results, encoding: .utf8).split(separator: "\n").count - 1
        #expect(kept >= 2 && kept < 15)
        // A line cut short (as by kill -9) is ignored on resume.
        let handle = try FileHandle(forWritingTo: results)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"scenario_hash\":\"ab".utf8))
        try handle.close()
        let resumed = try runWarroom(["sweep", scenario, "--replications", "5", "--out", "out", "--resume", "--json"], in: folder)
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect((try jsonObject(resumed.out))["run_here_replications"] as? Int == 15 - kept)
        let fresh = try runWarroom(["sweep", scenario, "--replications", "5", "--jobs", "2", "--out", "fresh"], in: folder)
        #expect(fresh.status == 0)
        #expect(try folderContents(folder.appendingPathComponent("out/backtest-small-sweep"))
                == folderContents(folder.appendingPathComponent("fresh/backtest-small-sweep")))
    }
}
