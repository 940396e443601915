import Foundation
import RunStore
import Testing
import WarRoomTestSupport

/// A scenario that runs for several seconds in a debug build, long enough to be interrupted.
func slowScenario(in folder: URL) throws -> String {
    let text = """
    name: slow
    seed: 9
    calendar: { start: 2026-03-02, historyDays: 200, liveDays: 200 }
    world:
      regions: [{ name: East, cities: [{ name: Alpha, stores: 60 }, { name: Beta, stores: 60 }] }]
      categories: [{ name: basics, price: 20, share: 1 }]
    demand: { linesPerStoreDay: 300 }
    customers: { perStore: 40, ordersPerWeek: 1.5, churn: { weeklyRate: 0.05 }, acquisition: { leadsPerStoreWeek: 2, conversion: 0.5 } }
    reps: { storesPerRep: 5, visitsPerDay: 4 }
    """
    let url = folder.appendingPathComponent("slow.yaml")
    try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// Starts `warroom run` on the slow scenario and waits until its run is recorded as running.
func startSlowRun(in folder: URL) throws -> Process {
    let process = Process()
    process.executableURL = try warroomExecutable()
    process.arguments = ["run", try slowScenario(in: folder), "--out", "out", "--db", "runs.db"]
    process.currentDirectoryURL = folder
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs.db").path),
           let store = try? RunStore(path: folder.appendingPathComponent("runs.db").path),
           let runs = try? store.runs(), runs.contains(where: { $0.status == .running }) {
            Thread.sleep(forTimeInterval: 0.5)  // well inside the simulation
            return process
        }
        Thread.sleep(forTimeInterval: 0.05)
    }
    process.terminate()
    throw CocoaError(.executableLoad)
}

@Suite("Interruptions", .serialized)
struct InterruptionTests {
    @Test("SIGINT and SIGTERM stop a run cleanly: marked interrupted, no report folder, exit 130", arguments: [SIGINT, SIGTERM])
    func signalStops(signal: Int32) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = try startSlowRun(in: folder)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130)
        let store = try RunStore(path: folder.appendingPathComponent("runs.db").path)
        let runs = try store.runs()
        #expect(runs.count == 1 && runs[0].status == .interrupted && runs[0].finishedAt != nil)
        #expect(try store.integrityCheck() == "ok")
        // No report, not even half of one.
        let out = folder.appendingPathComponent("out")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        #expect(left.allSatisfy { $0 == "runs.db" }, "left in out/: \(left)")
    }

    @Test("After kill -9 the run store is sound and the next opening marks the orphaned run interrupted")
    func killNine() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = try startSlowRun(in: folder)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let store = try RunStore(path: folder.appendingPathComponent("runs.db").path)
        #expect(try store.integrityCheck() == "ok")
        let runs = try store.runs()
        #expect(runs.count == 1 && runs[0].status == .interrupted)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/slow-s9").path))
    }
}
