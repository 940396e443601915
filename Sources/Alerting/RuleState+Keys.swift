import WarRoomCore

extension RuleState {
    /// The key index: each key seen (store, city, rep, customer…) gets a small dense index into
    /// the per-key arrays, handed back when the key is recycled and reused by the next new key.
    struct KeyTable {
        /// The key at each index (recycled indices keep their last key until reused).
        var keys: [Int64] = []
        /// Small non-negative keys → index (−1 when none).
        var dense: [Int32] = []
        /// Customer keys → index.
        var sparse: [Int64: Int32] = [:]
        let useDense: Bool
        /// Indices of recycled keys, reused by new keys.
        var free: [Int32] = []

        init(useDense: Bool) { self.useDense = useDense }

        /// The index of a key, nil when it has none.
        @inline(__always)
        func index(of key: Int64) -> Int32? {
            if useDense {
                let k = Int(key)
                return k < dense.count && dense[k] >= 0 ? dense[k] : nil
            }
            return sparse[key]
        }

        /// Maps a key to its new index.
        @inline(__always)
        mutating func bind(_ key: Int64, to i: Int32) {
            if useDense {
                let k = Int(key)
                if k >= dense.count { dense.append(contentsOf: repeatElement(-1, count: k - dense.count + 1)) }
                dense[k] = i
            } else {
                sparse[key] = i
            }
        }

        /// Removes the mapping of the key at index i.
        mutating func unbind(_ i: Int) {
            let key = keys[i]
            if useDense { dense[Int(key)] = -1 } else { sparse.removeValue(forKey: key) }
        }
    }

    /// The dense index of a key, creating its state on first sight.
    @inline(__always)
    func keyIndex(_ key: Int64) -> Int32 {
        if let i = keyTable.index(of: key) { return i }
        let i = newKey(key)
        keyTable.bind(key, to: i)
        return i
    }

    /// Makes room for `n` keys up front, so that growing the per-key arrays, the key table and
    /// the schedule never copies them on the event path (a copy of a few thousand keys' state
    /// stalls one event for 50–150 µs).
    func reserve(keys n: Int) {
        guard n > keyTable.keys.count else { return }
        let aggs = aggregates.count
        keyTable.keys.reserveCapacity(n)
        scheduledCount.reserveCapacity(n)
        if keyTable.useDense { keyTable.dense.reserveCapacity(n) } else { keyTable.sparse.reserveCapacity(n) }
        lastScheduledPane.reserveCapacity(n * aggs)
        lastDataPane.reserveCapacity(n)
        nextScheduled.reserveCapacity(n)
        if baselineBlocks > 0 {
            blocks.sums.reserveCapacity(n * 2 * (Int(baselineBlocks) + 1))
            blocks.tick.reserveCapacity(n)
            if isZScore {
                history.slot.reserveCapacity(n)
                history.values.reserveCapacity(min(n, lists[0].ringKeys) * (Int(history.mask) + 1))
            }
        }
        if running.cached.contains(true) { running.sums.reserveCapacity(2 * n * aggs); running.tick.reserveCapacity(n * aggs) }
        if lagPanes > 0 { lagged.sums.reserveCapacity(4 * n * aggs); lagged.tick.reserveCapacity(n * aggs) }
        for list in lists { list.reserve(keys: n) }
        for m in members { m.reserve(n) }
        lastEval.reserveCapacity(n)
        if shape == .absence { pending.reserveCapacity(n); followUps.reserveCapacity(n) }
    }

    /// A recycled index or a new one for a key, its state that of a key never seen.
    private func newKey(_ key: Int64) -> Int32 {
        if let i = keyTable.free.popLast() {
            keyTable.keys[Int(i)] = key
            return i
        }
        keyTable.keys.append(key)
        scheduledCount.append(0)
        for list in lists {
            list.appendKey()
            lastScheduledPane.append(.min)
        }
        lastDataPane.append(.min)
        nextScheduled.append(.min)
        if baselineBlocks > 0 {
            blocks.sums.append(contentsOf: repeatElement(0, count: 2 * (Int(baselineBlocks) + 1)))
            blocks.tick.append(.min)
            if isZScore { history.slot.append(-1) }
        }
        if running.cached.contains(true) {
            running.sums.append(contentsOf: repeatElement(0, count: 2 * aggregates.count))
            running.tick.append(contentsOf: repeatElement(.min, count: aggregates.count))
        }
        if lagPanes > 0 {
            lagged.sums.append(contentsOf: repeatElement(0, count: 4 * aggregates.count))
            lagged.tick.append(contentsOf: repeatElement(.min, count: aggregates.count))
        }
        for m in members { m.appendKey() }
        lastEval.append(.min)
        if shape == .absence {
            pending.append([])
            followUps.append([])
        }
        return Int32(keyTable.keys.count - 1)
    }

    /// Frees a key with nothing scheduled whose state is the one a new key starts with: not
    /// holding, armed, no escalation due, cooldown over, no trigger pending. Its data has left
    /// every window (the last expiry or horizon tick scheduled it), so the reference's view of
    /// it — evaluated at every tick, the condition false — matches a fresh key's from here on.
    func recycleIfIdle(_ key: Int32, tick k: Int64) {
        let i = Int(key)
        for m in members { guard m.isIdle(i, tick: k) else { return } }
        if shape == .absence {
            // Follow-ups after this tick may still resolve a trigger yet to arrive: keep the key.
            followUps[i].removeAll { $0 <= k * every }
            guard pending[i].isEmpty, followUps[i].isEmpty else { return }
        }
        keyTable.unbind(i)
        for a in aggregates.indices {
            lists[a].reset(key)
            lastScheduledPane[i * aggregates.count + a] = .min
        }
        lastDataPane[i] = .min
        nextScheduled[i] = .min
        if baselineBlocks > 0 {
            blocks.tick[i] = .min
            if isZScore && history.slot[i] >= 0 {
                history.freeSlots.append(history.slot[i])
                history.slot[i] = -1
            }
        }
        if running.cached.contains(true) { for a in aggregates.indices { running.tick[i * aggregates.count + a] = .min } }
        if lagPanes > 0 { for a in aggregates.indices { lagged.tick[i * aggregates.count + a] = .min } }
        for m in members { m.resetKey(i) }
        lastEval[i] = .min
        keyTable.free.append(key)
        recycled += 1
    }
}
