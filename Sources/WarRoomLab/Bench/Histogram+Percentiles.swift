import Foundation
import Histogram

extension Histogram where Count == UInt64 {
    /// (percentile, value in µs) pairs of a nanosecond histogram for a percentile plot: at
    /// 1 − 10^(−k/20) for k = 0, 1, … while the histogram has values that far out, then the maximum.
    func percentilePoints() -> [(percentile: Double, value: Double)] {
        guard totalCount > 0 else { return [] }
        let last = 100 * (1 - 1 / Double(totalCount))
        var out: [(Double, Double)] = []
        var k = 0
        while true {
            let p = 100 * (1 - pow(10, -Double(k) / 20))
            if p >= last - 1e-10 { break }
            out.append((p, Double(valueAtPercentile(p)) / 1000))
            k += 1
        }
        out.append((last, Double(max) / 1000))
        return out
    }

    /// A nanosecond histogram in HdrHistogram's `.hgrm` percentile text, in µs, with a first
    /// comment line that states the unit and what was measured (readers skip `#` lines).
    func hgrm(measuring what: String) -> String {
        var text = "#[Values in microseconds (µs): \(what)]\n"
        outputPercentileDistribution(to: &text, outputValueUnitScalingRatio: 1000)
        return text
    }
}
