import Foundation
import WarRoomCore

/// Factors shared by every entity on one day: calendar effects, shock intensities by city and
/// hour, active promotions. Computed once per day.
struct DayContext {
    let day: Int
    let dayStart: Millis
    /// Day-of-week demand factor (mean 1).
    let dayOfWeekFactor: Double
    /// Day of week, 0 = Monday.
    let weekday: Int
    /// Walk-in demand factor of the calendar: day of week × trend × yearly season.
    let calendarFactor: Double
    /// Traffic multiplier of competitor shocks, by city × 24 + hour.
    let cityHourTraffic: [Double]
    /// Competitor signals expected per store, by city × 24 + hour.
    let cityHourSignals: [Double]
    /// Per city, the shocks acting on customers today: reach threshold, churn multiplier,
    /// order-rate factor, lead capture.
    let cityShocks: [[CustomerShock]]
    /// The shock kind dominating each city today (for the kind of signals), or nil.
    let cityShockKind: [ShockKind?]
    /// Promotions running today.
    let promotions: [PromotionSpec]

    struct CustomerShock {
        let threshold: Double
        let churnMultiplier: Double
        let orderFactor: Double
        let leadCapture: Double
    }

    init(simulator sim: Simulator, day d: Int) {
        let sc = sim.scenario
        let t = sim.tables
        day = d
        dayStart = SimTime.start(ofDay: d)
        let date = CivilDate(daysSinceEpoch: t.startEpochDay + d)
        weekday = date.weekday
        dayOfWeekFactor = sc.demand.dayOfWeek[weekday]
        let trend = pow(1 + sc.demand.trendPerYear, Double(d) / 365)
        let season = 1 + sc.demand.yearlyAmplitude * cos(2 * Double.pi * Double(date.dayOfYear - sc.demand.yearlyPeakDay) / 365.25)
        calendarFactor = dayOfWeekFactor * trend * season

        let cityCount = sim.layout.cities.count
        var traffic = [Double](repeating: 1, count: cityCount * 24)
        let background = sc.competitors.backgroundSignalsPerStoreWeek / 7
        var signals = [Double](repeating: 0, count: cityCount * 24)
        for c in 0..<cityCount { for h in 0..<24 { signals[c * 24 + h] = background / 24 } }
        var shocks = [[CustomerShock]](repeating: [], count: cityCount)
        var kinds = [ShockKind?](repeating: nil, count: cityCount)
        for (shock, truth) in zip(sc.competitors.shocks, sim.shockTruth) {
            let c = shock.city
            for h in 0..<24 {
                let mid = dayStart + Millis(h) * SimTime.hour + SimTime.hour / 2
                let r = DayContext.ramp(truth, rampDays: shock.rampDays, at: mid)
                traffic[c * 24 + h] *= 1 + shock.trafficEffect * r
                signals[c * 24 + h] += shock.signalsPerStoreDay * r * t.hourShare[h]
            }
            let r = DayContext.ramp(truth, rampDays: shock.rampDays, at: dayStart)
            if r > 0 {
                shocks[c].append(CustomerShock(threshold: shock.reach * r, churnMultiplier: shock.churnMultiplier,
                                               orderFactor: 1 + shock.trafficEffect * r, leadCapture: shock.leadCapture * r))
            }
            if DayContext.ramp(truth, rampDays: shock.rampDays, at: dayStart + SimTime.day - 1) > 0 { kinds[c] = shock.kind }
        }
        cityHourTraffic = traffic
        cityHourSignals = signals
        cityShocks = shocks
        cityShockKind = kinds
        promotions = sc.demand.promotions.filter { d >= $0.startDay && d < $0.startDay + $0.days }
    }

    /// The shock's intensity at time `t`: 0 before onset and after the end, rising linearly to 1.
    static func ramp(_ s: ShockTruth, rampDays: Double, at t: Millis) -> Double {
        if t < s.onset || t >= s.end { return 0 }
        if rampDays <= 0 { return 1 }
        return min(1, Double(t - s.onset) / (rampDays * Double(SimTime.day)))
    }
}

extension Simulator {
    /// The product of the active store-level interventions of one kind at a store and time.
    func interventionFactor(store: Int, at t: Millis, _ pick: (Intervention.Effect) -> Double?) -> Double {
        if activeToday.isEmpty { return 1 }
        var f = 1.0
        for i in activeToday where t >= i.start && t < i.end && layout.contains(i.place, store: store) {
            if let m = pick(i.effect) { f *= m }
        }
        return f
    }
}
