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
            if rng.below(4) == 0, let top = heap.pop() {
                let i = pushed.firstIndex { $0.0 == top.tick && $0.1 == top.key }!
                #expect(pushed.allSatisfy { ($0.0, $0.1) >= (top.tick, top.key) })
                pushed.remove(at: i)
            }
        }
        var popped: [(Int64, Int32)] = []
        while let x = heap.pop() { popped.append((x.tick, x.key)) }
        #expect(popped.count == pushed.count)
        #expect(zip(popped, popped.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(heap.isEmpty)
    }
}
