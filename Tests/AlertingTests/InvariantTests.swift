@testable import Alerting
import Testing
import WarRoomCore

/// The consistency checks (`_checkInvariants`) run in the randomized tests; these make sure they
/// are not vacuous: a structure broken on purpose is caught. The checks exist in debug builds only.
#if DEBUG
@Suite("Invariant checks catch broken structures")
struct InvariantTests {
    @Test("A tick heap out of order is caught")
    func brokenHeap() {
        var heap = TickHeap()
        for t in [5, 3, 9, 1, 7, 2] as [Int64] { heap.push(t, 0) }
        #expect(heap._invariantViolations().isEmpty)
        heap.items.swapAt(0, heap.items.count - 1)
        #expect(!heap._invariantViolations().isEmpty)
    }

    /// A queue with requests in its buckets (some taken) and in its overflow heap.
    static func queue() -> TickQueue {
        var q = TickQueue()
        for t in [10, 10, 11, 40, 10 + TickQueue.width + 5, 10 + 2 * TickQueue.width, 3] as [Int64] { q.push(t, Int32(t % 7)) }
        _ = q.pop()
        _ = q.pop()
        return q
    }

    @Test("A tick queue that lost a request, miscounts, or misstates its first tick is caught")
    func brokenQueue() {
        #expect(Self.queue()._invariantViolations().isEmpty)
        var lost = Self.queue()
        lost.buckets[Int(40 & TickQueue.mask)].removeAll()
        #expect(!lost._invariantViolations().isEmpty)
        var miscounted = Self.queue()
        miscounted.bucketed += 1
        #expect(!miscounted._invariantViolations().isEmpty)
        var first = Self.queue()
        first.firstTick = first.firstTick! + 1
        #expect(!first._invariantViolations().isEmpty)
        var overflow = Self.queue()
        overflow.overflow.items.swapAt(0, overflow.overflow.items.count - 1)
        #expect(!overflow._invariantViolations().isEmpty)
    }

    /// Pane lists of three keys: key 0 with a ring, keys 1 and 2 with lists of a few panes.
    static func lists() -> PaneLists {
        let lists = PaneLists(span: 64, tracksDistinct: true, ringBudget: 64 * MemoryLayout<Pane>.stride)
        for _ in 0..<3 { lists.appendKey() }
        for k in 0..<3 {
            for p in stride(from: Int64(k), to: 40, by: 7) {
                lists.write(Int32(k), p).pane.pointee.add(1, time: 0, seq: 0)
                lists.insertDistinct(Double(p), key: Int32(k), pane: p)
            }
        }
        return lists
    }

    @Test("Pane lists out of order, with a wrong newest pane, a ring slot holding another pane or two keys in one block are caught")
    func brokenLists() {
        #expect(Self.lists()._invariantViolations().isEmpty)
        let headers = { (l: PaneLists) in l.view.shared.pointee.headers }
        let newest = Self.lists()
        headers(newest)[1].newest += 1
        #expect(!newest._invariantViolations().isEmpty)
        let order = Self.lists()
        order.view.entry(headers(order)[2], 0).pointee.id = 1_000
        #expect(!order._invariantViolations().isEmpty)
        let ring = Self.lists()
        #expect(ring.view.isRing(0) && !ring.view.isRing(1))
        ring.view.find(0, 7)!.pointee.id = 8
        #expect(!ring._invariantViolations().isEmpty)
        let shared = Self.lists()
        headers(shared)[2].offset = headers(shared)[1].offset
        #expect(!shared._invariantViolations().isEmpty)
    }

    @Test("A rule state whose schedule lost a request, or whose key index maps a recycled key, is caught")
    func brokenRuleState() {
        func state() -> RuleState {
            let rule = Rule(id: "t", scope: .store, signal: .aggregate(Aggregate(function: .count, field: .amount, filter: EventFilter(kinds: [.sale], conditions: []), window: SimTime.hour)),
                            comparison: .threshold(Condition(.above, 2)), every: SimTime.hour, holdFor: 0, cooldown: 0, clear: nil, tier: .rep, escalateAfter: nil)
            let s = RuleState(rule: rule, index: 0, allowedLateness: 0)
            for (i, store) in [0, 3, 3, 1].enumerated() {
                let e = Event(time: Millis(i) * SimTime.minute, kind: .sale, store: Int32(store), city: 0, region: 0, customer: 0, rep: 0, sku: 0, quantity: 1, amount: 1, attr: 0)
                s.add(e, aggregate: 0, key: Int64(store), seq: Int64(i), pane: s.pane(of: e.time))
            }
            return s
        }
        #expect(state()._invariantViolations().isEmpty)
        let miscounted = state()
        miscounted.scheduledCount[1] += 1
        #expect(!miscounted._invariantViolations().isEmpty)
        let recycled = state()
        recycled.keyTable.free.append(0)
        #expect(!recycled._invariantViolations().isEmpty)
    }
}
#endif
