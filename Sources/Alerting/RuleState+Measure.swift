import WarRoomCore

extension RuleState {
    /// Running counts and sums per key and aggregate, moved forward one pane per tick instead of
    /// rescanning the window: the window's count and sum (threshold rules), and the lagged
    /// window's too (lag rules), at `sums[w·c …]` for key × aggregate c (w = 2 or 4), valid at
    /// tick `tick[c]` (`.min` when none).
    struct RunningSums {
        var sums: [Double] = []
        var tick: [Int64] = []
        /// Per aggregate: whether its function (count, sum or avg) is kept this way.
        let cached: [Bool]

        init(cached: [Bool]) { self.cached = cached }
    }

    /// The signal measured at a tick: its value, the compared quantity and the reference.
    typealias Measured = (value: Double?, compared: Double?, reference: Double?)

    /// The signal's value at tick k, the compared quantity and the reference.
    func measure(key: Int32, tick k: Int64) -> Measured {
        let n = windowPanes[0]
        switch shape {
        case .aggregate where baselineBlocks > 0:
            let b = baseline(key: key, tick: k)
            if isRatioToBaseline { return (b.value, b.mean > 0 ? b.value / b.mean : nil, b.mean) }
            return (b.value, b.sd > 0 ? (b.value - b.mean) / b.sd : nil, b.mean)
        case .absence:
            return (nil, nil, nil)
        case .aggregate, .ratio:
            break
        }
        if case .changeVersusLag = rule.comparison, allLagCached { return lagMeasure(key: key, tick: k) }
        let value: Double?
        if shape == .ratio {
            let num = windowValue(0, key: key, tick: k)
            let den = windowValue(1, key: key, tick: k)
            if let num, let den, den != 0 { value = num / den } else { value = nil }
        } else {
            value = windowValue(0, key: key, tick: k)
        }
        switch rule.comparison {
        case .threshold:
            return (value, value, nil)
        case .changeVersusLag:
            let lagged: Double?
            switch shape {
            case .ratio:
                let m = windowPanes[1]
                let num = rangeValue(0, key: key, from: k - lagPanes - n + 1, to: k - lagPanes)
                let den = rangeValue(1, key: key, from: k - lagPanes - m + 1, to: k - lagPanes)
                if let num, let den, den != 0 { lagged = num / den } else { lagged = nil }
            default:
                lagged = rangeValue(0, key: key, from: k - lagPanes - n + 1, to: k - lagPanes)
            }
            guard let v = value, let l = lagged, l != 0 else { return (value, nil, lagged) }
            return (value, (v - l) / abs(l), l)
        case .ratioToBaseline, .zScore:
            return (value, nil, nil)  // baselines apply to single count or sum signals, handled above
        }
    }

    /// The window value of aggregate `a` at tick k.
    @inline(__always)
    private func windowValue(_ a: Int, key: Int32, tick k: Int64) -> Double? {
        running.cached[a] ? runningValue(a, key: key, tick: k) : rangeValue(a, key: key, from: k - windowPanes[a] + 1, to: k)
    }

    /// Aggregate `a` over the panes [lo, hi] of a key, from a scan of its panes.
    func rangeValue(_ a: Int, key: Int32, from lo: Int64, to hi: Int64) -> Double? {
        var acc = RangeAggregate()
        let f = functions[a]
        // The window's last value is the last of its newest pane with data.
        if f == .last { return list(a).newest(key, from: lo, to: hi)?.pointee.last }
        list(a).forEach(key, from: lo, to: hi) { pane in
            acc.add(pane.pointee)
            if f == .distinct { for v in lists[a].distinctValues(key, pane.pointee.id) { acc.distinct.insert(v) } }
        }
        return acc.value(f)
    }

    /// Count and sum of aggregate `a` over [lo, hi].
    func countAndSum(_ a: Int, _ key: Int32, from lo: Int64, to hi: Int64) -> (Double, Double) {
        var c = 0.0, s = 0.0
        list(a).forEach(key, from: lo, to: hi) { pane in c += Double(pane.pointee.count); s += pane.pointee.sum }
        return (c, s)
    }

    /// Threshold rules: aggregate `a` over the window at tick k from the running count and sum.
    private func runningValue(_ a: Int, key: Int32, tick k: Int64) -> Double? {
        let n = windowPanes[a]
        let c = Int(key) * aggregates.count + a
        let b = 2 * c
        if running.tick[c] != .min && running.tick[c] < k && (k + Int64(c)) & 255 != 0 {
            let view = list(a), h = view.header(key)
            let now = view.countAndSum(in: h, k), out = view.countAndSum(in: h, k - n)
            running.sums[b] += now.0 - out.0
            running.sums[b + 1] += now.1 - out.1
        } else if running.tick[c] != k {
            (running.sums[b], running.sums[b + 1]) = countAndSum(a, key, from: k - n + 1, to: k)
        }
        running.tick[c] = k
        let count = running.sums[b], sum = count > 0 ? running.sums[b + 1] : 0
        switch functions[a] {
        case .count: return count
        case .sum: return sum
        default: return count > 0 ? sum / count : nil
        }
    }
}
