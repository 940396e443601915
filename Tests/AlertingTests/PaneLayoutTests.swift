@testable import Alerting
import Testing
import WarRoomCore

@Suite("Pane layout")
struct PaneLayoutTests {
    /// Random writes (mostly in pane order, some late, busy keys and sparse ones) against a
    /// plain dictionary: every pane a reader may ask for reads back, ranges and the newest pane
    /// of a range agree, and a reset key starts empty.
    @Test("Pane lists hold exactly the panes written within their span", arguments: Array(1...40))
    func listsAgreeWithAModel(seed: Int) {
        var rng = RandomStream(seed: UInt64(seed), stream: .synthetic, entity: 11)
        let span = Int64([8, 16, 64, 1024][rng.below(4)])
        let keys = 1 + rng.below(12)
        // No rings at first, rings for a few keys, or for all of them.
        let budget = [0, 3 * Int(span) * MemoryLayout<Pane>.stride, PaneLists.defaultRingBudget][rng.below(3)]
        let lists = PaneLists(span: span, tracksDistinct: rng.below(2) == 0, ringBudget: budget)
        for _ in 0..<keys { lists.appendKey() }
        var model = [[Int64: (count: Int64, sum: Double)]](repeating: [:], count: keys)
        var newest = [Int64](repeating: .min, count: keys)
        // Busy keys write nearly every pane, sparse ones a pane now and then.
        let gap = (0..<keys).map { _ in [1, 1, 3, 40, 200][rng.below(5)] }
        var clock = [Int64](repeating: Int64(rng.below(50)) - 25, count: keys)  // negative panes too
        for step in 0..<(200 + rng.below(3_000)) {
            if step % 50 == 0 { lists._checkInvariants() }
            let k = rng.below(keys)
            clock[k] += Int64(rng.below(gap[k] + 1))
            // A late write goes back a few panes (never beyond the span, as the engine ensures).
            let p = rng.below(8) == 0 ? clock[k] - Int64(rng.below(Int(min(span / 2, 6)))) : clock[k]
            let v = Double(rng.below(100))
            let (pane, isNew) = lists.write(Int32(k), p)
            #expect(isNew == (model[k][p] == nil))
            pane.pointee.add(v, time: 0, seq: 0)
            if lists.distinct != nil { lists.insertDistinct(v, key: Int32(k), pane: p) }
            model[k][p, default: (0, 0)].count += 1
            model[k][p, default: (0, 0)].sum += v
            newest[k] = max(newest[k], p)
            if rng.below(500) == 0 {
                lists.reset(Int32(k))
                model[k] = [:]
                newest[k] = .min
            }
        }
        lists._checkInvariants()
        for k in 0..<keys where newest[k] != .min {
            let key = Int32(k)
            let readable = (newest[k] - span + 1)...newest[k]
            for p in readable {
                let got = lists.view.find(key, p).map { ($0.pointee.count, $0.pointee.sum) }
                let want = model[k][p]
                #expect(got?.0 == want?.count && got?.1 == want?.sum, "key \(k) pane \(p)")
                #expect(lists.view.find(key, newest[k] + 1 + p - readable.lowerBound) == nil)
            }
            for _ in 0..<20 {
                let lo = readable.lowerBound + Int64(rng.below(Int(span)))
                let hi = lo + Int64(rng.below(Int(span)))
                var seen: [Int64] = []
                lists.view.forEach(key, from: lo, to: hi) { seen.append($0.pointee.id) }
                let want = model[k].keys.filter { $0 >= lo && $0 <= hi }.sorted()
                #expect(seen == want)
                #expect(lists.view.newest(key, from: lo, to: hi)?.pointee.id == want.last)
            }
        }
        // A list never holds more than its span needs, in a block at most twice that.
        #expect(lists.bytes <= 4 * keys * Int(span) * MemoryLayout<Pane>.stride + 64 * MemoryLayout<Pane>.stride)
    }

    @Test("A sparse key costs a few panes, not its whole span")
    func sparseKeysAreSmall() {
        let lists = PaneLists(span: 1024, tracksDistinct: false, ringBudget: 0)
        for _ in 0..<1_000 { lists.appendKey() }
        for k in 0..<1_000 {
            for p in stride(from: Int64(k % 37), to: 1_000, by: 97) { lists.write(Int32(k), p).pane.pointee.add(1, time: 0, seq: 0) }
        }
        // 11 panes each: blocks of 16, against 1,024 per key for a ring over the span (the blocks
        // of 4 and 8 a key outgrows are taken by the next key: one of each is left over).
        #expect(lists.bytes == (1_000 * 16 + 4 + 8) * MemoryLayout<Pane>.stride)
        lists._checkInvariants()
    }
}
