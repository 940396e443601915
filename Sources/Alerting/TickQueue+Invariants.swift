// Consistency checks of the tick queue, for the tests (as swift-collections' `_checkInvariants`):
// compiled only into debug builds; in release `_checkInvariants()` is an empty inline function.

extension TickQueue {
    #if DEBUG
    /// Traps with a description when the queue is inconsistent (see `_invariantViolations`).
    func _checkInvariants() {
        let broken = _invariantViolations()
        precondition(broken.isEmpty, "TickQueue: " + broken.joined(separator: "; "))
    }

    /// What is inconsistent in the queue, described (empty when nothing is): the overflow heap
    /// is in order; `bucketed` counts exactly the requests in the buckets not yet taken, and only
    /// the bucket being read has taken ones; `firstTick` is the earliest request's tick.
    func _invariantViolations() -> [String] {
        var broken = overflow._invariantViolations().map { "overflow: " + $0 }
        guard buckets.count == Int(Self.width) else { return broken + ["\(buckets.count) buckets, not \(Self.width)"] }
        let held = buckets.reduce(0) { $0 + $1.count }
        if held - taken != bucketed { broken.append("bucketed \(bucketed), but the buckets hold \(held) with \(taken) taken") }
        let reading = buckets[Int(cursor & Self.mask)].count
        if taken < 0 || (taken > 0 && taken >= reading) { broken.append("\(taken) taken from the bucket being read, which holds \(reading)") }
        if bucketed == 0 && taken != 0 { broken.append("\(taken) taken with no request in the buckets") }
        var first = overflow.top?.tick
        if bucketed > 0 {
            // The first bucket from the cursor with a request not taken yet.
            for d in 0..<Self.width where buckets[Int((cursor + d) & Self.mask)].count > (d == 0 ? taken : 0) {
                if first == nil || cursor + d < first! { first = cursor + d }
                break
            }
        }
        if firstTick != first { broken.append("firstTick \(String(describing: firstTick)), the earliest request is at \(String(describing: first))") }
        return broken
    }

    /// The requests held, the buckets' in order of tick (and within a tick, as made), then the
    /// overflow heap's in array order.
    func _entries() -> [(tick: Int64, key: Int32)] {
        var entries: [(tick: Int64, key: Int32)] = []
        if bucketed > 0 {
            for d in 0..<Self.width {
                let slot = Int((cursor + d) & Self.mask)
                let bucket = buckets[slot]
                guard !bucket.isEmpty else { continue }
                for key in bucket.dropFirst(d == 0 ? taken : 0) { entries.append((cursor + d, key)) }
            }
        }
        return entries + overflow.items
    }
    #else
    /// Nothing: the checks are compiled into debug builds only.
    @inline(__always)
    func _checkInvariants() {}
    #endif
}
