import Simulation
import WarRoomCore

/// Gathers, day by day, what the models learn from (observable: store × day sales, weekly
/// customer snapshots) and, kept apart, what only their evaluation reads (each store-day's true
/// expected sales, each live customer-day's true churn probability).
struct ModelDataCollector {
    let firstDay: Int
    let days: Int
    let liveDays: Int
    /// Observed sales in CNY by store, then day index from the first history day.
    var amount: [[Double]]
    /// Observed sale lines by store and day index.
    var lines: [[Double]]
    /// Truth: expected sale lines by store and day index.
    var expectedLines: [[Double]]
    /// Observed weekly snapshots of active customers.
    var snapshots: [CustomerSnapshot] = []
    /// Truth: expected sales in CNY by store and day index.
    var expectedAmount: [[Double]]
    /// Truth: each customer's daily churn probability over the last `hazardDays` live days (NaN
    /// when not active); the churn backtest tests only there, so a long run's memory stays bounded.
    var hazards: [Double] = []
    /// First live day with hazards kept, and how many days are kept.
    let hazardStart: Int, hazardDays: Int
    /// Weekly snapshots are kept for the last this many days (the churn model's training window).
    static let snapshotDays = 546
    /// Live days of hazards kept.
    static let maximumHazardDays = 120
    var hazardRow: [Int64: Int] = [:]
    let keepSnapshots: Bool
    /// Truth: each customer's latent frailty, by hazard row.
    var frailty: [Double] = []

    /// - Parameter empty: allocate nothing (to release a finished collector's memory).
    /// - Parameter keepSnapshots: keep the weekly customer snapshots (the churn model's data).
    init(scenario: Scenario, layout: WorldLayout, empty: Bool = false, keepSnapshots: Bool = true) {
        self.keepSnapshots = keepSnapshots
        firstDay = -scenario.calendar.historyDays
        days = scenario.calendar.historyDays + scenario.calendar.liveDays
        liveDays = scenario.calendar.liveDays
        hazardDays = min(liveDays, Self.maximumHazardDays)
        hazardStart = liveDays - hazardDays
        amount = Array(repeating: Array(repeating: 0, count: empty ? 0 : days), count: empty ? 0 : layout.stores.count)
        expectedAmount = amount
        lines = amount
        expectedLines = amount
    }

    mutating func observe(_ obs: DayObservations) {
        let i = obs.day - firstDay
        for row in obs.sales {
            amount[Int(row.store)][i] = Double(row.amount) / 100
            lines[Int(row.store)][i] = Double(row.lines)
        }
        if keepSnapshots && !obs.snapshots.isEmpty {
            // Older snapshots than the training window are let go (a long run's memory stays bounded).
            let oldest = Int32(firstDay + days - Self.snapshotDays)
            if let first = snapshots.first, first.day < oldest { snapshots.removeAll { $0.day < oldest } }
            snapshots += obs.snapshots
        }
    }

    mutating func observeTruth(_ truth: DayTruth) {
        let i = truth.day - firstDay
        for row in truth.stores {
            expectedAmount[Int(row.store)][i] = row.expectedAmount
            expectedLines[Int(row.store)][i] = row.expectedLines
        }
        // Customer truth serves the churn oracle only.
        guard keepSnapshots, truth.day >= hazardStart else { return }
        for c in truth.customers {
            let row: Int
            if let r = hazardRow[c.customer] { row = r } else {
                row = hazardRow.count
                hazardRow[c.customer] = row
                hazards += [Double](repeating: .nan, count: hazardDays)
                frailty.append(c.frailty)
            }
            hazards[row * hazardDays + truth.day - hazardStart] = c.churnProbability
        }
    }

    /// The true probability that a customer active at the end of `day` is lost within the next
    /// `horizon` days: 1 − Π(1 − hₖ) over the customer's true daily hazards on days
    /// day + 1 … day + horizon, the last known hazard standing in after the account was lost.
    /// NaN when the window leaves the live window or the customer has no truth there.
    ///
    /// - Parameter withoutFrailty: divide the customer's latent frailty out of every hazard (the
    ///   oracle that knows the world but not that one unobservable trait).
    func trueLossProbability(customer: Int64, day: Int, horizon: Int, withoutFrailty: Bool = false) -> Double {
        guard day >= hazardStart - 1, day + horizon < liveDays, let row = hazardRow[customer] else { return .nan }
        let scale = withoutFrailty ? 1 / frailty[row] : 1
        var survive = 1.0, last = Double.nan
        for d in (day + 1)...(day + horizon) {
            let h = hazards[row * hazardDays + d - hazardStart] * scale
            if h.isFinite { last = h }
            guard last.isFinite else { return .nan }
            survive *= 1 - last
        }
        return 1 - survive
    }
}
