import Foundation
import WarRoomCore

/// How long a run of a scenario takes, estimated before it starts, so that a scenario that would
/// run for days is refused up front with the figure instead of being found still running.
///
/// The costs are this lab's on a 2-core machine in a release build, fitted to runs of the default
/// and the visit-policy scenario (the default: estimate 35 s, measured 34 s; with 200 live days,
/// 72 s against 66 s); a faster machine only makes the estimate pessimistic.
public enum TimeEstimate {
    /// Seconds per live event, everything the run does with it included (simulation, alert engine,
    /// load curve, model data, report).
    static let secondsPerLiveEvent = 3.4e-6
    /// Seconds per store-day, history and live (the daily simulation of history, the models' fits
    /// and backtests, which grow with stores × days).
    static let secondsPerStoreDay = 30e-6
    /// Fixed cost of a run (start, the run store, the report).
    static let baseSeconds = 0.3
    /// The longest a run may be estimated to take before `warroom run` refuses it without `--force`.
    public static let budgetSeconds = 4.0 * 3600

    /// The scenario's estimated live events: its stores' sale lines, customer orders, inventory
    /// reports and the rest, on an average day, times its live days.
    public static func liveEvents(for scenario: Scenario) -> Double {
        let stores = Double(scenario.world.storeCount)
        let d = scenario.demand
        let dayOfWeek = d.dayOfWeek.isEmpty ? 1 : d.dayOfWeek.reduce(0, +) / Double(d.dayOfWeek.count)
        let perStoreDay = d.linesPerStoreDay * dayOfWeek
            + Double(scenario.customers.perStore) * scenario.customers.ordersPerWeek * scenario.customers.linesPerOrder / 7
            + Double(24 / d.inventory.reportEveryHours * scenario.world.categories.count)
        return stores * perStoreDay * Double(scenario.calendar.liveDays)
    }

    /// The estimated wall-clock seconds of `warroom run` on the scenario.
    public static func seconds(for scenario: Scenario) -> Double {
        let stores = Double(scenario.world.storeCount)
        let storeDays = stores * Double(scenario.calendar.historyDays + scenario.calendar.liveDays)
        return baseSeconds + liveEvents(for: scenario) * secondsPerLiveEvent + storeDays * secondsPerStoreDay
    }

    /// Refuses a scenario whose estimated run time exceeds `budget` seconds.
    ///
    /// - Parameters:
    ///   - scenario: the scenario.
    ///   - file: its path, for the message.
    ///   - forceHint: whether the message points to `--force` (only `warroom run` has it).
    ///   - budget: the longest estimate accepted, in seconds (`budgetSeconds` by default).
    public static func check(_ scenario: Scenario, file: String, forceHint: Bool = false, budget: Double = budgetSeconds) throws {
        let need = seconds(for: scenario)
        guard need > budget else { return }
        throw LabError("\(file): the run would take about \(duration(need)) (\(Int(liveEvents(for: scenario) / 1e6)) million live events) on this "
                       + "machine, more than the \(duration(budget)) a run may take: use fewer stores, days or lines per store-day"
                       + (forceHint ? " (or --force)" : ""), exitCode: LabError.invalidInput)
    }

    /// Seconds as a short duration: "40 s", "12 min", "3.5 h", "2.1 days".
    public static func duration(_ s: Double) -> String {
        if s < 1 { return "1 s or less" }
        if s < 90 { return String(format: "%.0f s", s) }
        if s < 5400 { return String(format: "%.0f min", s / 60) }
        if s < 2 * 86400 { return String(format: "%.1f h", s / 3600) }
        return String(format: "%.1f days", s / 86400)
    }
}
