import CPerfEvent
import Foundation
import Testing
import WarRoomTestSupport
@testable import WarRoomLab

@Suite("Hardware counters around a benchmark's timed region")
struct HardwareCountersTests {
    @Test("Counters open, count only while started, and read back (software counters, which every Linux has)")
    func softwareCounters() throws {
        guard case .success(let counters) = HardwareCounters.start(type: warroom_perf_software, warroom_perf_task_clock, warroom_perf_page_faults) else {
            // A sandbox may forbid perf_event_open altogether; then the hardware path must say so too.
            guard case .failure(let why) = HardwareCounters.start() else { Issue.record("software counters refused, hardware ones opened"); return }
            #expect(why.description.contains("perf_event_open"))
            return
        }
        var x = 1.0
        for i in 0..<2_000_000 { x = x * 1.000001 + Double(i & 7) }
        let pages = UnsafeMutableRawPointer.allocate(byteCount: 64 << 20, alignment: 4096)
        defer { pages.deallocate() }
        for k in stride(from: 0, to: 64 << 20, by: 4096) { pages.storeBytes(of: UInt8(k & 255), toByteOffset: k, as: UInt8.self) }
        let c = counters.stop()
        #expect(x > 0)
        // Task clock in ns: the busy loop takes well over 100 µs; 64 MiB touched fault in many pages.
        #expect(c.instructions > 100_000, "task clock \(c.instructions) ns")
        #expect(c.cycles > 1_000, "page faults \(c.cycles)")
        // Stopped: the counts no longer move.
        for i in 0..<1_000_000 { x += Double(i) }
        #expect(counters.stop() == c)
    }

    @Test("bench sim --instructions gives counts per event, or says why the machine has none")
    func benchmarkCounts() throws {
        let r = try Benchmarks.simulation(scenarioPath: Repository.smokeScenario, seed: nil, repeats: 1, instructions: true)
        let counts = try #require(r.counts)
        if let perEvent = counts.instructionsPerEvent {
            #expect(perEvent > 10 && (counts.cyclesPerEvent ?? 0) > 0 && counts.unavailable == nil)
        } else {
            #expect(counts.unavailable?.contains("perf_event_open") == true && counts.cyclesPerEvent == nil)
        }
        let plain = try Benchmarks.simulation(scenarioPath: Repository.smokeScenario, seed: nil, repeats: 1)
        #expect(plain.counts == nil && !plain.json.rendered().contains("hardware_counters"))
    }
}
