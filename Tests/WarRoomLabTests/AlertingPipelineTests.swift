import Foundation
import Reporting
import RunStore
import Testing
import WarRoomTestSupport
import WarRoomLab

/// A small world with a strong shock, one churn rule and one campaign action with a large effect.
func closedLoopFolder() throws -> URL {
    let folder = try temporaryFolder()
    let scenario = """
    name: loop
    seed: 5
    calendar: { start: 2026-03-02, historyDays: 28, liveDays: 28 }
    world:
      regions:
        - name: East
          cities: [{ name: Alpha, stores: 20 }, { name: Beta, stores: 20 }]
      categories: [{ name: basics, price: 20, share: 1 }]
    demand: { linesPerStoreDay: 20 }
    customers:
      perStore: 40
      ordersPerWeek: 1.5
      churn: { weeklyRate: 0.05 }
      acquisition: { leadsPerStoreWeek: 2, conversion: 1 }
    reps: { storesPerRep: 5, visitsPerDay: 2 }
    rules: rules.yaml
    actions:
      campaign: { place: city, delayHours: 24, durationDays: 30, churnMultiplier: 0.2 }
    competitors:
      shocks:
        - { name: beta-launch, kind: productLaunch, city: Beta, startDay: 7, rampDays: 1, durationDays: 30, reach: 0.8, churnMultiplier: 5, signalsPerStoreDay: 3 }
    """
    let rules = """
    rules:
      - id: city-churn
        description: A city's 7-day churn rate is above 9%.
        scope: city
        signal:
          ratio:
            numerator: { function: count, events: [customer_lost], window: 7d }
            denominator: { function: sum, field: quantity, events: [account_base], window: 1d }
        compare: { threshold: "> 0.09" }
        every: 1h
        cooldown: 30d
        tier: regional-manager
        escalateAfter: 1d
        actions:
          - { action: campaign, videos: "2000" }
          - { action: task-card }
    """
    try (scenario + "\n").write(to: folder.appendingPathComponent("loop.yaml"), atomically: true, encoding: .utf8)
    try (rules + "\n").write(to: folder.appendingPathComponent("rules.yaml"), atomically: true, encoding: .utf8)
    return folder
}

@Suite("Alerts inside warroom run")
struct AlertingPipelineTests {
    @Test("The shock is detected, the package and the action are recorded, and the action changes the world")
    func closedLoop() throws {
        let folder = try closedLoopFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = RunPipeline.Options.writing(folder.appendingPathComponent("loop.yaml").path, into: folder)
        let with = try RunPipeline.run(options)
        let m = with.metrics.json
        guard case let .int(latency)? = m[path: "alerts.detection_latency_ms_by_shock.beta-launch"] else {
            Issue.record("no detection latency: \(m.rendered())")
            return
        }
        #expect(latency > 0 && latency < 10 * 86_400_000)
        #expect(m[path: "alerts.recall"] == .double(1))
        #expect(m[path: "alerts.late_events"] == .int(0))
        #expect(m[path: "alerts.applied_actions"] != .int(0))

        let store = try RunStore(path: options.databasePath)
        let run = try #require(try store.run(id: with.runID))
        let alerts = try store.alerts(run: run.number)
        #expect(alerts.count == { if case let .int(n)? = m[path: "alerts.alerts"] { return Int(n) }; return -1 }())
        let first = try #require(alerts.first { $0.key == 1 && $0.kind == "fired" })
        #expect(first.managerMessage.hasPrefix("Beta: ") && first.managerMessage.contains("vs threshold > 9.0%"))
        #expect(first.hqMessage.contains("accounts lost in Beta") && first.hqMessage.contains("competitor experience store"))
        #expect(first.repMessage.contains("Task card"))
        #expect(try store.count(.actions, run: run.number) >= 2)
        #expect(try store.count(.rules, run: run.number) == 1)

        // The same run without action effects: the same first alert, a different world after it.
        options.applyActions = false
        options.outDirectory = folder.appendingPathComponent("out2").path
        let without = try RunPipeline.run(options)
        #expect(without.metrics.json[path: "alerts.detection_latency_ms_by_shock.beta-launch"] == .int(latency))
        #expect(without.metrics.json[path: "alerts.applied_actions"] == .int(0))
        #expect(without.metrics.json[path: "run.event_digest"] != m[path: "run.event_digest"])
        // With effects off, the stream is exactly the one of a run without any rules.
        let plain = try String(contentsOf: folder.appendingPathComponent("loop.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "rules: rules.yaml\n", with: "")
        try plain.write(to: folder.appendingPathComponent("plain.yaml"), atomically: true, encoding: .utf8)
        var plainOptions = RunPipeline.Options(scenarioPath: folder.appendingPathComponent("plain.yaml").path)
        plainOptions.outDirectory = folder.appendingPathComponent("out3").path
        plainOptions.databasePath = options.databasePath
        let noRules = try RunPipeline.run(plainOptions)
        #expect(noRules.metrics.json[path: "run.event_digest"] == without.metrics.json[path: "run.event_digest"])
        #expect(noRules.metrics.json[path: "alerts"] == .null)
        // Lost accounts in Beta after the campaign: fewer with the effect than without.
        func lost(_ o: RunPipeline.Outcome) -> Int64 { if case let .int(n)? = o.metrics.json[path: "churn.live_lost_accounts"] { return n }; return 0 }
        #expect(lost(with) < lost(without))
    }

    @Test("A malformed rule file stops the run before anything is written")
    func badRules() throws {
        let folder = try closedLoopFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rules = try String(contentsOf: folder.appendingPathComponent("rules.yaml"), encoding: .utf8).replacingOccurrences(of: "every: 1h", with: "every: often")
        try rules.write(to: folder.appendingPathComponent("rules.yaml"), atomically: true, encoding: .utf8)
        let r = try runWarroom(["run", "loop.yaml", "--out", "out", "--db", "runs.db"], in: folder)
        #expect(r.status == 65)
        #expect(r.err.contains("rules.yaml:") && r.err.contains("rules[0].every: expected a duration"), "\(r.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["loop.yaml", "rules.yaml"])
    }
}
