// Consistency checks of the tick heap, for the tests (as swift-collections' `_checkInvariants`):
// compiled only into debug builds; in release `_checkInvariants()` is an empty inline function.

extension TickHeap {
    #if DEBUG
    /// Traps with a description when the heap order is broken (see `_invariantViolations`).
    func _checkInvariants() {
        let broken = _invariantViolations()
        precondition(broken.isEmpty, "TickHeap: " + broken.joined(separator: "; "))
    }

    /// Where the heap order is broken, described (empty when it holds, at most 20 items): no
    /// item is less than its parent.
    func _invariantViolations() -> [String] {
        var broken: [String] = []
        for i in items.indices.dropFirst() where Self.less(items[i], items[(i - 1) / 2]) {
            broken.append("item \(i) \(items[i]) is less than its parent \(items[(i - 1) / 2])")
            if broken.count == 20 { break }
        }
        return broken
    }
    #else
    /// Nothing: the checks are compiled into debug builds only.
    @inline(__always)
    func _checkInvariants() {}
    #endif
}
