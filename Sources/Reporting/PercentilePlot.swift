import Foundation

/// A latency distribution drawn the usual way: value (log scale) against percentile on an axis of
/// 1/(1 − p), so that 90%, 99%, 99.9%… are evenly spaced and the tail is visible.
public enum PercentilePlot {
    /// The chart of one or more distributions, each given as (percentile in 0…100, value) pairs.
    public static func chart(title: String, yLabel: String, series: [(name: String, points: [(percentile: Double, value: Double)])],
                             references: [(y: Double, label: String)] = []) -> LineChart {
        let lines = series.map { s in
            LineChart.Series(name: s.name, points: s.points.map { (x: 1 / max(1e-12, 1 - $0.percentile / 100), y: $0.value) })
        }
        var c = LineChart(title: title, xLabel: L("percentile"), yLabel: yLabel, series: lines)
        c.xScale = .log
        c.yScale = .log
        c.references = references
        c.xTickLabel = { x in
            // Ticks are powers of ten: 1 → 0%, 10 → 90%, 100 → 99%, 1000 → 99.9%, …
            let k = Int(Foundation.log10(max(x, 1)).rounded())
            return k == 0 ? "0%" : k == 1 ? "90%" : "99" + (k > 2 ? "." + String(repeating: "9", count: k - 2) : "") + "%"
        }
        return c
    }

    /// (percentile, value) pairs of a sample: 1 − 10^(−k/20) for k = 0, 1, … while the sample
    /// has values that far out, then the maximum.
    public static func points(sorted values: [Double]) -> [(percentile: Double, value: Double)] {
        guard let last = values.last else { return [] }
        let n = Double(values.count)
        var out: [(Double, Double)] = []
        var k = 0
        while true {
            let p = 1 - Foundation.pow(10, -Double(k) / 20)
            if p >= 1 - 1 / n - 1e-12 { break }
            out.append((100 * p, values[min(values.count - 1, Int((p * n).rounded(.down)))]))
            k += 1
        }
        out.append((100 * (1 - 1 / n), last))
        return out
    }
}
