// Consistency checks of the pane lists, for the tests (as swift-collections' `_checkInvariants`):
// compiled only into debug builds; in release `_checkInvariants()` is an empty inline function.

extension PaneLists {
    #if DEBUG
    /// Traps with a description when the lists are inconsistent (see `_invariantViolations`).
    func _checkInvariants() {
        let broken = _invariantViolations()
        precondition(broken.isEmpty, "PaneLists: " + broken.joined(separator: "; "))
    }

    /// What is inconsistent in the lists, described (empty when nothing is, at most 20 items):
    /// the view reads the pool's current chunk table; every key's header is a valid empty,
    /// list or ring header (a list in pane order without duplicates, its newest pane the last,
    /// a ring's slots holding their own panes); the blocks of all keys and the freed blocks
    /// cover the pool handed out exactly once (no block lost, none shared); every `distinct`
    /// entry names a pane still held.
    func _invariantViolations() -> [String] {
        var broken: [String] = []
        func fail(_ s: @autoclosure () -> String) { if broken.count < 20 { broken.append(s()) } }
        let s = shared.pointee
        let ringShift = s.ringShift
        if view.shared != shared { fail("the view reads other shared state") }
        if s.table != pool.table { fail("the view's chunk table is not the pool's") }
        if ringShift != Int32(span.trailingZeroBitCount) || s.ringMask != span - 1 { fail("ring shift \(ringShift), mask \(s.ringMask) for span \(span)") }
        if keyCount > keyCapacity { fail("\(keyCount) keys, room for \(keyCapacity)") }
        if used > pool.capacity { fail("\(used) slots handed out, the pool has \(pool.capacity)") }
        let maxListShift = max(2, ringShift - 3)  // a list that outgrows an eighth of the span becomes a ring
        var blocks: [(offset: Int, size: Int, key: Int)] = []  // key −1: a freed block
        for k in 0..<keyCount {
            let h = s.headers[k]
            if h.shift < 0 {
                if h.shift != -1 || h.count != 0 || h.newest != .min { fail("key \(k): no block but \(h)") }
                continue
            }
            if h.shift != ringShift && (h.shift < 2 || h.shift > maxListShift) { fail("key \(k): block shift \(h.shift)"); continue }
            if k < ringKeys && h.shift != ringShift { fail("key \(k) is below \(ringKeys) but holds a list") }
            let size = 1 << Int(h.shift)
            blocks.append((h.offset, size, k))
            if h.offset < 0 || h.offset + size > used { fail("key \(k): block [\(h.offset), +\(size)) outside the \(used) slots handed out"); continue }
            if h.shift == ringShift {
                for i in 0..<size {
                    let id = s.table.pane(h.offset + i).pointee.id
                    guard id != .min else { continue }
                    if id & s.ringMask != Int64(i) { fail("key \(k): ring slot \(i) holds pane \(id)") }
                    if id > h.newest { fail("key \(k): ring holds pane \(id) after its newest \(h.newest)") }
                }
                continue
            }
            if h.count < 0 || Int(h.count) > size || h.head < 0 || Int(h.head) >= size { fail("key \(k): \(h.count) panes from \(h.head) in a block of \(size)"); continue }
            var previous = Int64.min
            for i in 0..<Int(h.count) {
                let id = view.entry(h, i).pointee.id
                if id == .min || id <= previous { fail("key \(k): pane \(id) at position \(i) after pane \(previous)") }
                previous = id
            }
            if h.count > 0 && previous != h.newest { fail("key \(k): newest pane \(h.newest), last in the list \(previous)") }
        }
        for (shift, offsets) in free.enumerated() {
            for offset in offsets { blocks.append((offset, 1 << shift, -1)) }
        }
        blocks.sort { $0.offset < $1.offset }
        var end = 0
        for b in blocks {
            if b.offset != end {
                fail(b.offset > end ? "slots [\(end), \(b.offset)) lost: in no block"
                                    : "\(b.key < 0 ? "a freed" : "key \(b.key)'s") block at \(b.offset) overlaps the one before (to \(end))")
            }
            end = max(end, b.offset + b.size)
        }
        if end != used { fail("the blocks end at \(end), \(used) slots handed out") }
        if let distinct {
            for (id, values) in distinct {
                if id.key < 0 || Int(id.key) >= keyCount { fail("distinct values of unknown key \(id.key)"); continue }
                if view.find(id.key, id.pane) == nil { fail("distinct values of key \(id.key)'s pane \(id.pane), which it no longer holds") }
                if values.isEmpty || Set(values).count != values.count { fail("key \(id.key)'s pane \(id.pane) has distinct values \(values)") }
            }
        }
        return broken
    }
    #else
    /// Nothing: the checks are compiled into debug builds only.
    @inline(__always)
    func _checkInvariants() {}
    #endif
}
