import Testing
import WarRoomTestSupport
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

    @Test("At a given utilisation the tail behind a stall is the same for any engine speed: S − (1 − u)·t")
    func anyEngine() throws {
        // One stall of 100 µs in 10 ms at u = 0.5: an event arriving t after the stall began
        // waits S − (1 − u)·t, so those arriving in its first 100 µs (1% of all) wait over 50 µs.
        let m = MachineStalls(nanoseconds: 10_000_000, stalls: [Stall(start: 1_000_000, length: 100_000)])
        let any = m.replay(utilisation: 0.5)
        let p99 = Double(any.valueAtPercentile(99)) / 1000
        #expect(abs(p99 - 50) < 1, "p99 \(p99) µs")
        // The longest wait: the stall and one service (the histogram resolves 64 ns at 100 µs).
        #expect(any.max >= 100_000 + UInt64(MachineStalls.anyEngineService) && any.max <= 100_000 + UInt64(MachineStalls.anyEngineService) + 64)
        // A four times slower engine at the same utilisation: the same tail, but for its own service time.
        let slow = Double(m.replay(rate: 0.5 / 200e-9, serviceNanoseconds: 200).valueAtPercentile(99)) / 1000
        #expect(abs(slow - p99) < 0.5, "p99 \(slow) µs against \(p99) µs")
        #expect(m.replay(utilisation: 1).totalCount == 0)

        // p99 ≤ 10 µs needs the events arriving over 10 µs late to be at most 1%: (S − 10 µs)/(1 − u) ≤ 100 µs, u ≤ 0.1.
        let u = m.highestUtilisation(p99AtMost: 10)
        #expect(abs(u - 0.1) <= 0.01, "u \(u)")
        let floor = m.floor(rate: 1_000_000, serviceNanoseconds: 500, p99Bound: 10)
        #expect(floor.utilisationForBound == u && floor.eventUtilisation == 0.5)
        #expect(m.floor(rate: 1_000_000, serviceNanoseconds: 500).utilisationForBound == nil)
        // Stalls so long that even no work misses the bound, and none at all.
        #expect(MachineStalls(nanoseconds: 1_000_000, stalls: [Stall(start: 0, length: 500_000)]).highestUtilisation(p99AtMost: 10) == 0)
        #expect(MachineStalls(nanoseconds: 1_000_000, stalls: []).highestUtilisation(p99AtMost: 10) == 0.995)
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
