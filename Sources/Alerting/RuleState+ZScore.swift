import WarRoomCore

extension RuleState {
    /// z-score rules: for a key in rings (busy, evaluated at every tick), the window's value at
    /// each of the last ticks (a ring indexed by tick) in slot `slot[key]`: block j at tick k is
    /// the window at tick k − j·N, so the M blocks are M reads of this compact ring instead of
    /// 2·(M + 1) pane reads. A key in lists (sparse) has no slot: its few panes give the blocks
    /// directly, and a history of 8 KiB per key would be most of the memory at 100,000 stores.
    struct WindowHistory {
        /// The slots, `mask + 1` values each.
        var values: [Double] = []
        let mask: Int64
        /// Each key's slot, −1 when none.
        var slot: [Int32] = []
        /// Slots of recycled keys, reused.
        var freeSlots: [Int32] = []

        init(mask: Int64) { self.mask = mask }
    }

    /// z-score of a key in rings at tick k: the running window, and the window's past values
    /// from its history ring (made from its panes when the key has just become a ring).
    @inline(__always)
    func ringZScore(key: Int32, tick k: Int64) -> BaselineValues {
        let f = baselineFrame(key)
        let (i, m, n, isCount, base) = (f.i, f.m, f.n, f.isCount, f.base)
        let view = list(0), header = view.header(key)
        @inline(__always) func read(_ p: Int64) -> (Double, Double) { view.countAndSum(in: header, p) }
        if history.slot[i] < 0 { startHistory(key: key, tick: k) }
        let h = Int(history.slot[i]) * Int(history.mask + 1)
        if blocks.tick[i] == k - 1 && (k + Int64(i)) & 255 != 0 {
            let now = read(k), out = read(k - n)
            blocks.sums[base] += now.0 - out.0
            blocks.sums[base + 1] += now.1 - out.1
        } else if blocks.tick[i] != k {
            (blocks.sums[base], blocks.sums[base + 1]) = countAndSum(0, key, from: k - n + 1, to: k)
            // Between two evaluations no pane entered or left the window (those ticks are
            // evaluated): the window kept the value it had at the last one (0 for a new key).
            if blocks.tick[i] < k - 1 {
                let kept = blocks.tick[i] == .min ? 0 : history.values[h + Int(blocks.tick[i] & history.mask)]
                let from = blocks.tick[i] == .min ? k - history.mask : max(blocks.tick[i] + 1, k - history.mask)
                var t = from
                while t < k { history.values[h + Int(t & history.mask)] = kept; t += 1 }
            }
        }
        blocks.tick[i] = k
        let value = isCount ? blocks.sums[base] : (blocks.sums[base] > 0 ? blocks.sums[base + 1] : 0)
        history.values[h + Int(k & history.mask)] = value
        var total = 0.0
        for j in 1...m { total += history.values[h + Int((k - Int64(j) * n) & history.mask)] }
        let mean = total / Double(m)
        var squares = 0.0
        for j in 1...m { let d = history.values[h + Int((k - Int64(j) * n) & history.mask)] - mean; squares += d * d }
        return (value, mean, (squares / Double(m)).squareRoot())
    }

    /// z-score of a key in lists at tick k: the window and the M blocks before it summed from its
    /// panes (each pane in (k − (M + 1)·N, k − N] falls in exactly one block), no history kept.
    /// Leaves the window's count and sum in `blocks` (`isQuiet` reads the count).
    func sparseZScore(key: Int32, tick k: Int64, blocks m: Int, window n: Int64, isCount: Bool, base: Int) -> BaselineValues {
        let (count, sum) = countAndSum(0, key, from: k - n + 1, to: k)
        blocks.sums[base] = count
        blocks.sums[base + 1] = sum
        blocks.tick[Int(key)] = .min
        let value = isCount ? count : (count > 0 ? sum : 0)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: m) { block in
            block.initialize(repeating: 0)
            list(0).forEach(key, from: k - Int64(m + 1) * n + 1, to: k - n) { pane in
                let j = Int((k - pane.pointee.id) / n)  // 1…M
                block[j - 1] += isCount ? Double(pane.pointee.count) : pane.pointee.sum
            }
            var total = 0.0
            for b in block { total += b }
            let mean = total / Double(m)
            var squares = 0.0
            for b in block { squares += (b - mean) * (b - mean) }
            return (value, mean, (squares / Double(m)).squareRoot())
        }
    }

    /// Gives a key that has just become a ring a history slot, filled with its window's values at
    /// the ticks the blocks of tick k and later still read (k − M·N … k − 1), from its panes;
    /// leaves the window at k − 1 in `blocks`, so tick k moves it one pane forward.
    private func startHistory(key: Int32, tick k: Int64) {
        let i = Int(key)
        let width = Int(history.mask + 1)
        let slot: Int32
        if let reused = history.freeSlots.popLast() {
            slot = reused
        } else {
            slot = Int32(history.values.count / width)
            history.values.append(contentsOf: repeatElement(0, count: width))
        }
        history.slot[i] = slot
        let h = Int(slot) * width
        let m = Int64(baselineBlocks), n = windowPanes[0]
        let isCount = functions[0] == .count
        let view = list(0), header = view.header(key)
        var t = k - m * n
        var (c, s) = countAndSum(0, key, from: t - n + 1, to: t)
        while true {
            history.values[h + Int(t & history.mask)] = isCount ? c : (c > 0 ? s : 0)
            if t == k - 1 { break }
            t += 1
            let enter = view.countAndSum(in: header, t), leave = view.countAndSum(in: header, t - n)
            c += enter.0 - leave.0
            s += enter.1 - leave.1
        }
        let base = i * 2 * (Int(m) + 1)
        blocks.sums[base] = c
        blocks.sums[base + 1] = s
        blocks.tick[i] = k - 1
    }

    /// Whether the key's window is empty at the tick just measured and every member is at rest
    /// (not holding, armed, no escalation due), for a rule that cannot fire on an empty window:
    /// until its next pane enters the window nothing can change.
    @inline(__always)
    func isQuiet(key: Int32) -> Bool {
        guard quietWhenEmpty && !sawNegative else { return false }
        let i = Int(key)
        guard blocks.sums[i * 2 * (Int(baselineBlocks) + 1)] == 0 else { return false }  // the window's count
        return members.allSatisfy { !$0.holding[i] && $0.armed[i] && $0.escalateAt[i] == .max }
    }
}
