import Testing
import WarRoomLab

@Suite("The machine's stalls and the open-loop latency they impose")
struct MachineStallsTests {
    typealias Stall = MachineStalls.Stall

    /// Within the histogram's resolution (3 significant digits: 16 ns at 20–30 µs).
    func close(_ value: UInt64, _ expected: UInt64) -> Bool { value >= expected && value - expected <= 16 }

    @Test("Without stalls every event's latency is its service time")
    func noStalls() {
        let h = MachineStalls(nanoseconds: 1_000_000, stalls: []).replay(rate: 1_000_000, serviceNanoseconds: 400)
        #expect(h.totalCount == 1000)
        #expect(h.min == 400 && h.max == 400)
    }

    @Test("With no work per event, an event waits exactly until the stall it falls in ends")
    func zeroService() {
        // Events every 1 µs; a stall over [10.5, 40.5) µs holds events 11…40.
        let m = MachineStalls(nanoseconds: 100_000, stalls: [Stall(start: 10_500, length: 30_000)])
        let h = m.replay(rate: 1_000_000, serviceNanoseconds: 0)
        #expect(h.totalCount == 100)
        #expect(close(h.max, 29_500))                  // event 11: 40.5 − 11
        #expect(h.count(within: 0...0) == 70)
        // Events 11…30 wait more than 10 µs (event 30 waits 10.5 µs).
        #expect(h.count(within: 10_001...30_000) == 20)
    }

    @Test("Behind a stall the queue drains at the service rate: a closed-form busy period")
    func drain() {
        // Events every 1 µs at 0.5 µs each (ρ = 0.5); a stall over [0.25, 20.25) µs. Event 0
        // began at 0 and the stall interrupted it: it ends at 20.5. Event k ≥ 1 then ends at
        // 20.5 + 0.5 k, a latency of 20.5 − 0.5 k, more than its service while k < 40.
        let m = MachineStalls(nanoseconds: 200_000, stalls: [Stall(start: 250, length: 20_000)])
        let h = m.replay(rate: 1_000_000, serviceNanoseconds: 500)
        #expect(h.totalCount == 200)
        #expect(close(h.max, 20_500))
        #expect(h.count(within: 501...1_000_000) == 40)
        #expect(h.count(within: 10_100...1_000_000) == 21)  // 20.5 − 0.5 k > 10 for k ≤ 20
    }

    @Test("A measurement lasts as long as asked, its stalls in order, apart, and each over the threshold")
    func measure() {
        let m = MachineStalls.measure(seconds: 0.05, workingSetBytes: 1 << 20)
        #expect(m.nanoseconds >= 50_000_000)
        #expect(m.stalls.allSatisfy { $0.length >= MachineStalls.threshold })
        #expect(zip(m.stalls, m.stalls.dropFirst()).allSatisfy { $0.start + $0.length <= $1.start })
        #expect(m.stalledShare >= 0 && m.stalledShare < 1)
    }
}
