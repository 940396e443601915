import WarRoomCore

/// The figures of a finished run, computed from what was observed (and, for evaluation only,
/// from the truth totals).
struct RunAnalysis {
    /// One shock as the run saw it.
    struct ShockView {
        var truth: ShockTruth
        var cityName: String
        /// First competitor signal in the city at or after the true onset.
        var firstSignal: Millis?
        /// The city's 7-day churn rate on the day before onset.
        var churnBefore: Double
        /// The city's highest 7-day churn rate from onset to the end of the run.
        var churnPeak: Double
        /// Day index of that peak.
        var churnPeakDay: Int
        /// The other cities' mean 7-day churn rate over the same days.
        var othersMean: Double
    }

    let collector: RunCollector
    /// 7-day churn rate by city and live day: accounts lost in (d − 7, d] over accounts active at d − 7.
    let cityChurn7d: [[Double]]
    /// The same over the whole network.
    let networkChurn7d: [Double]
    /// Accounts active at the start and at the end of the live window.
    let customersAtStart: Int, customersAtEnd: Int
    /// Accounts lost in the live window.
    let lostLive: Int
    /// Shocks.
    let shocks: [ShockView]

    init(scenario: Scenario, layout: WorldLayout, collector: RunCollector, customers: [CustomerRecord], shocks: [ShockTruth]) {
        self.collector = collector
        let live = scenario.calendar.liveDays
        let cities = layout.cities.count
        // Active accounts at the end of each day d (from -7 to the last live day), and losses, by city.
        let offset = 8
        var active = Array(repeating: Array(repeating: 0, count: live + offset), count: cities)
        var lost = Array(repeating: Array(repeating: 0, count: live + offset), count: cities)
        var lostLive = 0
        for c in customers {
            let city = Int(layout.stores[Int(c.store)].city)
            let won = Int(c.wonDay), gone = c.lostDay.map(Int.init) ?? Int.max
            for d in -offset..<live where won <= d && d < gone { active[city][d + offset] += 1 }
            if let l = c.lostDay.map(Int.init) {
                if l >= -offset && l < live { lost[city][l + offset] += 1 }
                if l >= 0 { lostLive += 1 }
            }
        }
        func rate(_ a: [Int], _ l: [Int], _ d: Int) -> Double {
            let base = a[d - 7 + offset]
            var n = 0
            for k in (d - 6)...d { n += l[k + offset] }
            return base > 0 ? Double(n) / Double(base) : 0
        }
        let perCity = (0..<cities).map { c in (0..<live).map { rate(active[c], lost[c], $0) } }
        let totalActive = (0..<(live + offset)).map { d in (0..<cities).reduce(0) { $0 + active[$1][d] } }
        let totalLost = (0..<(live + offset)).map { d in (0..<cities).reduce(0) { $0 + lost[$1][d] } }
        cityChurn7d = perCity
        networkChurn7d = (0..<live).map { rate(totalActive, totalLost, $0) }
        customersAtStart = totalActive[offset - 1]
        customersAtEnd = totalActive[live + offset - 1]
        self.lostLive = lostLive

        self.shocks = shocks.map { s in
            let city = Int(s.city)
            let onsetDay = SimTime.dayIndex(s.onset)
            let before = onsetDay >= 1 ? perCity[city][onsetDay - 1] : perCity[city][0]
            var peak = before, peakDay = onsetDay
            for d in onsetDay..<live where perCity[city][d] > peak { peak = perCity[city][d]; peakDay = d }
            var others = 0.0, n = 0
            for c in 0..<cities where c != city {
                for d in onsetDay..<live { others += perCity[c][d]; n += 1 }
            }
            return ShockView(truth: s, cityName: layout.cities[city].name,
                             firstSignal: collector.stream.firstSignal(city: city, atOrAfter: s.onset),
                             churnBefore: before, churnPeak: peak, churnPeakDay: peakDay, othersMean: n > 0 ? others / Double(n) : 0)
        }
    }

    /// Live-window sums of observed and expected lines and amounts.
    var liveTotals: (lines: Int64, expectedLines: Double, amountCNY: Double, expectedAmountCNY: Double) {
        let start = -collector.firstDay
        var lines: Int64 = 0, exp = 0.0, amount = 0.0, expAmount = 0.0
        for i in start..<collector.days {
            lines += collector.lines[i]
            exp += collector.expectedLines[i]
            expAmount += collector.expectedAmount[i]
            for r in collector.regionAmount.indices { amount += Double(collector.regionAmount[r][i]) }
        }
        return (lines, exp, amount / 100, expAmount)
    }
}
