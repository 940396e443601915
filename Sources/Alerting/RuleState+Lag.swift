import WarRoomCore

extension RuleState {
    /// Change versus lag, both windows from the running sums (every aggregate a count, sum or
    /// avg): no pane scan.
    @inline(__always)
    func lagMeasure(key: Int32, tick k: Int64) -> Measured {
        let first = lagValues(0, key: key, tick: k)
        var current = first.current, past = first.lagged
        if aggregates.count == 2 {
            let second = lagValues(1, key: key, tick: k)
            if let num = current, let den = second.current, den != 0 { current = num / den } else { current = nil }
            if let num = past, let den = second.lagged, den != 0 { past = num / den } else { past = nil }
        }
        guard let v = current, let l = past, l != 0 else { return (current, nil, past) }
        return (v, (v - l) / abs(l), l)
    }

    /// Lag rules: the value of aggregate `a` over the window and over the lagged window at tick k,
    /// from running counts and sums moved forward one pane per tick.
    private func lagValues(_ a: Int, key: Int32, tick k: Int64) -> (current: Double?, lagged: Double?) {
        let n = windowPanes[a], l = lagPanes
        let c = (Int(key) * aggregates.count + a)
        let b = 4 * c
        if lagged.tick[c] == k - 1 && (k + Int64(c)) & 255 != 0 {
            let view = list(a), h = view.header(key)
            let now = view.countAndSum(in: h, k), out = view.countAndSum(in: h, k - n)
            let lagNow = view.countAndSum(in: h, k - l), lagOut = view.countAndSum(in: h, k - l - n)
            lagged.sums[b] += now.0 - out.0
            lagged.sums[b + 1] += now.1 - out.1
            lagged.sums[b + 2] += lagNow.0 - lagOut.0
            lagged.sums[b + 3] += lagNow.1 - lagOut.1
        } else if lagged.tick[c] != k {
            (lagged.sums[b], lagged.sums[b + 1]) = countAndSum(a, key, from: k - n + 1, to: k)
            (lagged.sums[b + 2], lagged.sums[b + 3]) = countAndSum(a, key, from: k - l - n + 1, to: k - l)
        }
        lagged.tick[c] = k
        func value(_ count: Double, _ sum: Double) -> Double? {
            switch functions[a] {
            case .count: return count
            case .sum: return count > 0 ? sum : 0  // an empty window is exactly 0, whatever the rounding
            default: return count > 0 ? sum / count : nil
            }
        }
        return (value(lagged.sums[b], lagged.sums[b + 1]), value(lagged.sums[b + 2], lagged.sums[b + 3]))
    }
}
