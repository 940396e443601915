import Foundation
import WarRoomCore

/// What the simulator shows of one day to the observable side: time-ordered events (live days
/// only), the store × day sales panel, and (on the last day of each week) customer snapshots.
public struct DayObservations {
    /// Day index (negative in history).
    public var day: Int
    /// Whether the day is in the live window (events are emitted only then).
    public var isLive: Bool
    /// The day's events in time order (empty in history).
    public var events: [Event]
    /// Sales of every store that day.
    public var sales: [StoreDaySales]
    /// Snapshots of every active customer at the end of the day (weekly, else empty).
    public var snapshots: [CustomerSnapshot]
}

/// What only evaluation may read about one day.
public struct DayTruth {
    /// Day index.
    public var day: Int
    /// Expected sales of every store.
    public var stores: [StoreDayTruth]
    /// Every active customer's true churn probability that day (live days only).
    public var customers: [CustomerDayTruth]
}

/// The world model: stores, customers, reps and competitors, simulated day by day.
///
/// Every random draw comes from a `RandomStream` keyed by (seed, stream, entity, day), so an
/// entity's behaviour does not depend on any other entity's draws. History days run the very
/// same process as live days (so store × day totals have exactly the same distribution); they
/// just do not emit their events.
public final class Simulator {
    /// The scenario simulated.
    public let scenario: Scenario
    /// The seed of every stream.
    public let seed: UInt64
    /// Ids of stores, cities, regions and reps.
    public let layout: WorldLayout
    /// The next day `step` simulates.
    public private(set) var day: Int
    /// One past the last day.
    public let endDay: Int

    var stores: [StoreState] = []
    var customers: [CustomerState] = []
    var weeks: [WeekBucket] = []
    var reps: [RepState] = []
    var interventions: [Intervention] = []
    /// The store-level interventions overlapping the day being simulated.
    var activeToday: [Intervention] = []
    /// The account-level interventions' multipliers for the day being simulated, by account.
    var accountsToday: [Int64: (churn: Double, orders: Double)] = [:]
    let tables: Tables

    // Per-day working buffers, reused.
    var generated: [Event] = []
    var sorted: [Event] = []
    var sales: [StoreDaySales] = []
    var snapshots: [CustomerSnapshot] = []
    var storeTruth: [StoreDayTruth] = []
    var customerTruth: [CustomerDayTruth] = []
    var sorter = DaySorter()
    var emitting = false

    /// Creates a simulator positioned at the first history day.
    public init(scenario: Scenario, seed: UInt64) {
        self.scenario = scenario
        self.seed = seed
        self.layout = WorldLayout(world: scenario.world, storesPerRep: scenario.reps.storesPerRep)
        self.day = -scenario.calendar.historyDays
        self.endDay = scenario.calendar.liveDays
        self.tables = Tables(scenario: scenario, seed: seed)
        setUpWorld()
    }

    /// The true onset and footprint of each shock.
    public var shockTruth: [ShockTruth] {
        scenario.competitors.shocks.map { s in
            let onset = SimTime.start(ofDay: s.startDay) + Millis(s.startHour) * SimTime.hour
            return ShockTruth(name: s.name, city: Int16(s.city), onset: onset,
                              fullEffect: onset + Millis(s.rampDays * Double(SimTime.day)),
                              end: onset + Millis(s.durationDays) * SimTime.day,
                              stores: layout.cities[s.city].stores.map { Int32($0) })
        }
    }

    /// Every account the CRM has seen so far, with when it was won and lost.
    public var customerRecords: [CustomerRecord] {
        customers.filter { $0.status != .prospect }.map {
            CustomerRecord(customer: $0.id, store: $0.store, wonDay: $0.wonDay, lostDay: $0.status == .lost ? $0.lostDay : nil)
        }
    }

    /// Adds an intervention; it acts on the days and hours it covers from the next step on.
    public func apply(_ intervention: Intervention) {
        interventions.append(intervention)
    }

    /// Simulates the next day and hands its observations and its truth to the two closures.
    ///
    /// - Returns: false when the scenario's last day has already been simulated.
    @discardableResult
    public func step(observe: (DayObservations) throws -> Void, truth: (DayTruth) throws -> Void) rethrows -> Bool {
        guard day < endDay else { return false }
        let d = day
        emitting = d >= 0
        generated.removeAll(keepingCapacity: true)
        sales.removeAll(keepingCapacity: true)
        snapshots.removeAll(keepingCapacity: true)
        storeTruth.removeAll(keepingCapacity: true)
        customerTruth.removeAll(keepingCapacity: true)

        // Interventions that ended before today are done; the rest are the ones that may act today.
        let dayStart = SimTime.start(ofDay: d)
        interventions.removeAll { $0.end <= dayStart }
        activeToday = interventions.filter { $0.start < dayStart + SimTime.day && $0.customer == nil }
        accountsToday = [:]
        for i in interventions where i.customer != nil && i.start < dayStart + SimTime.day {
            let id = i.customer!
            var f = accountsToday[id] ?? (churn: 1, orders: 1)
            // Account effects are judged as the store ones: churn at the day's start, orders at midday.
            switch i.effect {
            case .churnHazard(let m) where dayStart >= i.start && dayStart < i.end: f.churn *= m
            case .traffic(let m) where dayStart + SimTime.day / 2 >= i.start && dayStart + SimTime.day / 2 < i.end: f.orders *= m
            default: break
            }
            accountsToday[id] = f
        }
        let context = DayContext(simulator: self, day: d)
        // The day's events go to a local sink (moved out of and back into `generated`), so the
        // hot loops append to a local array instead of a class property.
        var sink = EventSink(events: [], enabled: emitting)
        swap(&sink.events, &generated)
        for s in stores.indices { simulateStore(s, context, &stores[s], &sink) }
        for s in stores.indices { simulateCustomers(ofStore: s, context, &sink) }
        for r in reps.indices { simulateRep(r, context, &sink) }
        swap(&sink.events, &generated)
        if (d % 7 + 7) % 7 == 6 { takeSnapshots(day: d) }

        if emitting { sorter.sort(generated, dayStart: SimTime.start(ofDay: d), into: &sorted) } else { sorted.removeAll(keepingCapacity: true) }
        day += 1
        try observe(DayObservations(day: d, isLive: emitting, events: sorted, sales: sales, snapshots: snapshots))
        try truth(DayTruth(day: d, stores: storeTruth, customers: customerTruth))
        return true
    }

}

/// Where the day's events are appended; in history days it drops them.
struct EventSink {
    var events: [Event]
    let enabled: Bool

    @inline(__always)
    mutating func emit(_ e: Event) {
        if enabled { events.append(e) }
    }
}
