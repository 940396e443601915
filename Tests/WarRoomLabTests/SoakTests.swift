import Foundation
import Testing
import WarRoomTestSupport
import WarRoomLab

@Suite("Soak")
struct SoakTests {
    @Test("The soak reports throughput and memory for every 30 live days")
    func windows() throws {
        let result = try Soak.run(scenarioPath: Repository.smokeScenario, rulesPath: nil, liveDays: 65)
        #expect(result.windows.count == 3)
        #expect(result.rules == 27)
        for w in result.windows { #expect(w.eventsPerSecond > 0) }
    }

    @Test("warroom soak prints a table of its windows, or their JSON with --json")
    func command() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let table = try runWarroom(["soak", "--scenario", Repository.smokeScenario, "--live-days", "31"], in: folder)
        #expect(table.status == 0, "\(table.err)")
        let lines = table.out.split(separator: "\n")
        #expect(lines.first?.hasPrefix("live days") == true && lines.count >= 3 && table.out.contains("peak_rss_mib"), "\(table.out)")
        let json = try runWarroom(["soak", "--scenario", Repository.smokeScenario, "--live-days", "31", "--json"], in: folder)
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        #expect((object?["windows"] as? [Any])?.count == 2)
    }
}
