import WarRoomCore

extension RuleState {
    /// Baseline rules (ratio to baseline, z-score), per key: the count and sum of the current
    /// window (`sums[base]`, `sums[base + 1]`, base = key · 2·(M + 1)) and of the baseline
    /// blocks after it, valid at tick `tick[key]` (`.min` when none), moved forward by one pane
    /// per block at each tick.
    struct BlockSums {
        var sums: [Double] = []
        var tick: [Int64] = []
    }

    /// The window's value, and the baseline's mean and standard deviation (0 for ratio rules).
    typealias BaselineValues = (value: Double, mean: Double, sd: Double)

    /// What both baseline measures need for one key: its index, the number of baseline blocks
    /// M, the window's panes N, whether the function counts, and where its block sums start.
    struct BaselineFrame {
        let i: Int
        let m: Int
        let n: Int64
        let isCount: Bool
        let base: Int
    }

    /// The baseline frame of `key`.
    @inline(__always)
    func baselineFrame(_ key: Int32) -> BaselineFrame {
        let m = Int(baselineBlocks)
        return BaselineFrame(i: Int(key), m: m, n: windowPanes[0], isCount: functions[0] == .count, base: Int(key) * 2 * (m + 1))
    }

    /// The current window's value and the mean and standard deviation of the baseline blocks
    /// at tick k. Block counts and sums move forward incrementally from tick k − 1 when possible
    /// (recomputed every 256 ticks against drift, staggered by key so that keys do not all
    /// recompute at the same tick; a block with no event is exactly 0).
    func baseline(key: Int32, tick k: Int64) -> BaselineValues {
        if isRatioToBaseline { return ratioBaseline(key: key, tick: k) }
        guard list(0).isRing(key) else {
            let f = baselineFrame(key)
            return sparseZScore(key: key, tick: k, blocks: f.m, window: f.n, isCount: f.isCount, base: f.base)
        }
        return ringZScore(key: key, tick: k)
    }

    /// Ratio to baseline: only the mean is needed, so keep the window's and the whole
    /// baseline's count and sum.
    @inline(__always)
    private func ratioBaseline(key: Int32, tick k: Int64) -> BaselineValues {
        let f = baselineFrame(key)
        let (i, m, n, isCount, base) = (f.i, f.m, f.n, f.isCount, f.base)
        let view = list(0), header = view.header(key)
        @inline(__always) func read(_ p: Int64) -> (Double, Double) { view.countAndSum(in: header, p) }
        if blocks.tick[i] == k - 1 && (k + Int64(i)) & 255 != 0 {
            let now = read(k), out = read(k - n), older = read(k - Int64(m + 1) * n)
            blocks.sums[base] += now.0 - out.0
            blocks.sums[base + 1] += now.1 - out.1
            blocks.sums[base + 2] += out.0 - older.0
            blocks.sums[base + 3] += out.1 - older.1
        } else if blocks.tick[i] != k {
            (blocks.sums[base], blocks.sums[base + 1]) = countAndSum(0, key, from: k - n + 1, to: k)
            (blocks.sums[base + 2], blocks.sums[base + 3]) = countAndSum(0, key, from: k - Int64(m + 1) * n + 1, to: k - n)
        }
        blocks.tick[i] = k
        let value = isCount ? blocks.sums[base] : (blocks.sums[base] > 0 ? blocks.sums[base + 1] : 0)
        let total = isCount ? blocks.sums[base + 2] : (blocks.sums[base + 2] > 0 ? blocks.sums[base + 3] : 0)
        return (value, total / Double(m), 0)
    }
}
