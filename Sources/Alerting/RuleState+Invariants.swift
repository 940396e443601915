// Consistency checks of a rule's state, for the tests (as swift-collections' `_checkInvariants`):
// compiled only into debug builds; in release `_checkInvariants()` is an empty inline function.

extension RuleState {
    #if DEBUG
    /// Traps with a description when the state is inconsistent (see `_invariantViolations`).
    func _checkInvariants() {
        let broken = _invariantViolations()
        precondition(broken.isEmpty, "RuleState \(rule.id): " + broken.joined(separator: "; "))
    }

    /// What is inconsistent in the state, described (empty when nothing is): its schedule and
    /// pane lists (their own checks); per-key tables one entry per key; the key index maps
    /// exactly the keys in use to their indices, a recycled index holding no panes and nothing
    /// scheduled; the schedule holds exactly `scheduledCount[k]` requests for each key k (no
    /// request lost or counted twice); z-score history slots each held once, by a key or free.
    func _invariantViolations() -> [String] {
        var broken = heap._invariantViolations().map { "schedule: " + $0 }
        for (a, list) in lists.enumerated() { broken += list._invariantViolations().map { "aggregate \(a): " + $0 } }
        let n = keyTable.keys.count, aggs = aggregates.count
        func expect(_ ok: Bool, _ s: @autoclosure () -> String) { if !ok && broken.count < 40 { broken.append(s()) } }
        expect(lists.allSatisfy { $0.keyCount == n }, "pane lists for \(lists.map(\.keyCount)) keys, \(n) keys")
        expect(scheduledCount.count == n && lastDataPane.count == n && nextScheduled.count == n && lastEval.count == n
               && lastScheduledPane.count == n * aggs, "per-key tables of other lengths than \(n) keys")
        expect(members.allSatisfy { [$0.holding.count, $0.holdStart.count, $0.armed.count, $0.lastFire.count, $0.escalateAt.count].allSatisfy { $0 == n } },
               "member firing state of other lengths than \(n) keys")
        if baselineBlocks > 0 {
            expect(blocks.sums.count == n * 2 * (Int(baselineBlocks) + 1) && blocks.tick.count == n, "baseline sums of other lengths than \(n) keys")
        }
        if running.cached.contains(true) { expect(running.sums.count == 2 * n * aggs && running.tick.count == n * aggs, "running sums of other lengths") }
        if lagPanes > 0 { expect(lagged.sums.count == 4 * n * aggs && lagged.tick.count == n * aggs, "lag sums of other lengths") }
        if shape == .absence { expect(pending.count == n && followUps.count == n, "absence tables of other lengths") }
        guard broken.isEmpty else { return broken }

        // The key index.
        let free = Set(keyTable.free)
        expect(free.count == keyTable.free.count, "an index recycled twice")
        for i in 0..<n {
            let bound = keyTable.index(of: keyTable.keys[i]) == Int32(i)
            if free.contains(Int32(i)) {
                expect(!bound, "recycled index \(i) still mapped from key \(keyTable.keys[i])")
                expect(scheduledCount[i] == 0, "recycled index \(i) has \(scheduledCount[i]) requests scheduled")
                expect(lists.allSatisfy { $0.view.header(Int32(i)).shift < 0 }, "recycled index \(i) holds panes")
            } else {
                expect(bound, "key \(keyTable.keys[i]) at index \(i) is not mapped to it")
            }
        }
        let mapped = keyTable.useDense ? keyTable.dense.filter { $0 >= 0 }.count : keyTable.sparse.count
        expect(mapped == n - free.count, "\(mapped) keys mapped, \(n - free.count) indices in use")

        // The schedule against the per-key counts.
        var requests = [Int32](repeating: 0, count: n)
        for e in heap._entries() {
            guard e.key >= 0 && Int(e.key) < n else { expect(false, "a request for unknown index \(e.key)"); continue }
            requests[Int(e.key)] += 1
        }
        for i in 0..<n where requests[i] != scheduledCount[i] {
            expect(false, "index \(i): \(requests[i]) requests scheduled, \(scheduledCount[i]) counted")
        }

        // z-score history slots.
        if isZScore && baselineBlocks > 0 {
            let slots = history.values.count / Int(history.mask + 1)
            var owners = [Int](repeating: 0, count: slots)
            for s in history.slot where s >= 0 { if Int(s) < slots { owners[Int(s)] += 1 } else { expect(false, "history slot \(s) of \(slots)") } }
            for s in history.freeSlots { if Int(s) < slots { owners[Int(s)] += 1 } else { expect(false, "free history slot \(s) of \(slots)") } }
            expect(owners.allSatisfy { $0 == 1 }, "history slots held \(owners) times (each must be held once, by a key or free)")
        }
        return broken
    }
    #else
    /// Nothing: the checks are compiled into debug builds only.
    @inline(__always)
    func _checkInvariants() {}
    #endif
}
