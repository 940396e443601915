@testable import Alerting
import Testing
import WarRoomCore

@Suite("Tick heap")
struct TickHeapTests {
    @Test("Pops in (tick, key) order whatever the push order")
    func order() {
        var rng = RandomStream(seed: 3, stream: .repDay, entity: 1)
        var heap = TickHeap()
        var pushed: [(Int64, Int32)] = []
        for _ in 0..<5000 {
            let item = (Int64(rng.below(300)) - 100, Int32(rng.below(50)))
            pushed.append(item)
            heap.push(item.0, item.1)
            heap._checkInvariants()
            if rng.below(4) == 0, let top = heap.pop() {
                heap._checkInvariants()
                let i = pushed.firstIndex { $0.0 == top.tick && $0.1 == top.key }!
                #expect(pushed.allSatisfy { ($0.0, $0.1) >= (top.tick, top.key) })
                pushed.remove(at: i)
            }
        }
        var popped: [(Int64, Int32)] = []
        while let x = heap.pop() { popped.append((x.tick, x.key)); heap._checkInvariants() }
        #expect(popped.count == pushed.count)
        #expect(zip(popped, popped.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(heap.isEmpty)
    }

    @Test("The tick queue takes requests in tick order wherever they fall: after the last tick taken, before it, beyond its buckets", arguments: [0, 1, 2])
    func queue(mode: Int) {
        // Mode 0: requests after the last tick taken (the engine's case), a few far ahead;
        // mode 1: also requests before it and far behind; mode 2: sparse ticks, buckets often empty.
        var rng = RandomStream(seed: UInt64(7 + mode), stream: .repDay, entity: 2)
        var queue = TickQueue()
        var pending: [(tick: Int64, key: Int32, order: Int)] = []
        var last: Int64 = -50, made = 0
        for step in 0..<8_000 {
            if step % 40 == 0 { queue._checkInvariants() }
            let tick: Int64
            switch (mode, rng.below(20)) {
            case (_, 0): tick = last + 1 + TickQueue.width + Int64(rng.below(3 * Int(TickQueue.width)))
            case (1, 1): tick = last - Int64(rng.below(5000))
            case (2, _): tick = last + 1 + Int64(rng.below(40)) * 500
            default: tick = last + 1 + Int64(rng.below(700))
            }
            let key = Int32(rng.below(100))
            queue.push(tick, key)
            pending.append((tick, key, made)); made += 1
            if rng.below(2) == 0 {
                let first = pending.min { ($0.tick, $0.order) < ($1.tick, $1.order) }!
                #expect(queue.firstTick == first.tick)
                let top = queue.top
                let got = queue.pop()
                #expect(top?.tick == got?.tick && top?.key == got?.key)
                #expect(got?.tick == first.tick)
                if let got, let i = pending.firstIndex(where: { $0.tick == got.tick && $0.key == got.key }) {
                    pending.remove(at: i)
                    last = max(last, got.tick)
                }
            }
        }
        queue._checkInvariants()
        var ticks: [Int64] = []
        while let x = queue.pop() {
            ticks.append(x.tick)
            if ticks.count % 40 == 0 { queue._checkInvariants() }
        }
        queue._checkInvariants()
        #expect(ticks.count == pending.count)
        #expect(ticks == pending.map(\.tick).sorted())
        #expect(queue.isEmpty && queue.top == nil && queue.firstTick == nil)
    }
}
