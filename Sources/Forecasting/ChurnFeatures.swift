import Foundation
import Linalg
import WarRoomCore

/// Observable churn features of customer snapshots: recency, frequency, monetary value and its
/// trend, rep visits, call outcomes, competitor exposure of the store and the city, tenure, region.
public struct ChurnFeatures: Sendable {
    /// Region of each store.
    public var storeRegion: [Int]
    /// City of each store.
    public var storeCity: [Int]
    /// Number of regions (one-hot, the first region is the reference).
    public var regions: Int

    /// Creates the feature map.
    public init(storeRegion: [Int], storeCity: [Int], regions: Int) {
        self.storeRegion = storeRegion
        self.storeCity = storeCity
        self.regions = regions
    }

    /// Column names, in order.
    public var names: [String] {
        ["recency_months", "log_days_since_order", "orders_28d", "log_amount_28d", "amount_trend", "visited_14d",
         "visit_gap_months", "calls_28d", "positive_call_share", "store_competitor_signals_7d", "city_competitor_exposure_7d",
         "log_tenure_days", "log_calls_total", "positive_call_share_total"] + (1..<max(1, regions)).map { "region_\($0)" }
    }

    /// The feature matrix of `snapshots` (one row each). City exposure is the mean of the city's
    /// stores' competitor signals in the snapshot's week, from the snapshots themselves.
    public func matrix(_ snapshots: [CustomerSnapshot]) -> Matrix {
        let cities = (storeCity.max() ?? -1) + 1
        // Store signals per snapshot day, then city means.
        var storeSignals: [Int32: [Int32: Int32]] = [:]
        for s in snapshots { storeSignals[s.day, default: [:]][s.store] = s.competitorSignals7d }
        var cityExposure: [Int32: [Double]] = [:]
        for (day, stores) in storeSignals {
            var sum = [Double](repeating: 0, count: cities), n = [Double](repeating: 0, count: cities)
            for (store, v) in stores { sum[storeCity[Int(store)]] += Double(v); n[storeCity[Int(store)]] += 1 }
            cityExposure[day] = (0..<cities).map { n[$0] > 0 ? sum[$0] / n[$0] : 0 }
        }
        let p = names.count
        var m = Matrix(rows: snapshots.count, columns: p)
        m.elements.withUnsafeMutableBufferPointer { e in
            for (i, s) in snapshots.enumerated() {
                let base = i * p
                let amount = log1p(Double(s.amount28d) / 100), previous = log1p(Double(s.amountPrev28d) / 100)
                e[base + 0] = Double(min(s.daysSinceOrder, 90)) / 30
                e[base + 1] = log1p(Double(max(0, s.daysSinceOrder)))
                e[base + 2] = Double(s.orders28d)
                e[base + 3] = amount
                e[base + 4] = amount - previous
                e[base + 5] = s.daysSinceVisit <= 14 ? 1 : 0
                e[base + 6] = Double(min(s.daysSinceVisit, 90)) / 30
                e[base + 7] = Double(s.calls28d)
                e[base + 8] = Double(s.positiveCalls28d) / Double(max(1, s.calls28d))
                e[base + 9] = log1p(Double(s.competitorSignals7d))
                e[base + 10] = log1p(cityExposure[s.day]?[storeCity[Int(s.store)]] ?? 0)
                e[base + 11] = log1p(Double(max(0, s.tenureDays)))
                e[base + 12] = log1p(Double(s.callsTotal))
                // Laplace-smoothed, so an account with few calls sits near one half.
                e[base + 13] = (Double(s.positiveCallsTotal) + 1) / (Double(s.callsTotal) + 2)
                let r = storeRegion[Int(s.store)]
                if r > 0 { e[base + 13 + r] = 1 }
            }
        }
        return m
    }
}
