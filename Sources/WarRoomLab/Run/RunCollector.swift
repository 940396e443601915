import Simulation
import WarRoomCore

/// Gathers, day by day, what the report needs: the stream's statistics and daily panels
/// (observable), and, kept apart, the truth totals used only to evaluate the simulation.
struct RunCollector {
    let firstDay: Int
    let days: Int
    /// The observable stream's statistics (live days).
    var stream: StreamStatistics
    /// Sales amount in fen by region and day index from the first history day.
    var regionAmount: [[Int64]]
    /// Sales amount in fen by city and day index.
    var cityAmount: [[Int64]]
    /// Observed lines, all days.
    var lines: [Int64]
    /// Truth: expected lines and amount (CNY) by day index; lost lines.
    var expectedLines: [Double]
    var expectedAmount: [Double]
    var lostLines: Int64 = 0
    /// Truth: sum of churn probabilities over live customer-days, and customer-days.
    var expectedLost = 0.0
    var customerDays = 0
    let storeRegion: [Int]
    let storeCity: [Int]

    init(scenario: Scenario, layout: WorldLayout) {
        firstDay = -scenario.calendar.historyDays
        days = scenario.calendar.historyDays + scenario.calendar.liveDays
        stream = StreamStatistics(cities: layout.cities.count)
        regionAmount = Array(repeating: Array(repeating: 0, count: days), count: layout.regions.count)
        cityAmount = Array(repeating: Array(repeating: 0, count: days), count: layout.cities.count)
        lines = Array(repeating: 0, count: days)
        expectedLines = Array(repeating: 0, count: days)
        expectedAmount = Array(repeating: 0, count: days)
        storeRegion = layout.stores.map { Int($0.region) }
        storeCity = layout.stores.map { Int($0.city) }
    }

    mutating func observe(_ obs: DayObservations) {
        let i = obs.day - firstDay
        for row in obs.sales {
            regionAmount[storeRegion[Int(row.store)]][i] += row.amount
            cityAmount[storeCity[Int(row.store)]][i] += row.amount
            lines[i] += Int64(row.lines)
        }
        if obs.isLive { stream.add(obs.events) }
    }

    mutating func observeTruth(_ truth: DayTruth) {
        let i = truth.day - firstDay
        for row in truth.stores {
            expectedLines[i] += row.expectedLines
            expectedAmount[i] += row.expectedAmount
            lostLines += Int64(row.lostLines)
        }
        for c in truth.customers { expectedLost += c.churnProbability }
        customerDays += truth.customers.count
    }
}
