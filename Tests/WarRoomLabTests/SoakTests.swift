import Testing
import WarRoomLab

@Suite("Soak")
struct SoakTests {
    @Test("The soak reports throughput and memory for every 30 live days")
    func windows() throws {
        let result = try Soak.run(scenarioPath: smokeScenario, rulesPath: nil, liveDays: 65)
        guard case let .array(windows)? = result[path: "windows"] else { Issue.record("no windows"); return }
        #expect(windows.count == 3)
        #expect(result[path: "rules"] == .int(27))
        for w in windows {
            guard case let .double(rate)? = w[path: "events_per_second"] else { Issue.record("no rate"); continue }
            #expect(rate > 0)
        }
    }
}
