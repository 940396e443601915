import Foundation
import WarRoomCore

/// How much memory a run of a scenario needs, estimated before anything is allocated, so that a
/// scenario too big for the machine is refused up front with the figure instead of failing later.
public enum MemoryEstimate {
    /// Bytes kept per account ever opened (state, eight weekly buckets, CRM record, truth row).
    static let bytesPerAccount = 420.0
    /// Bytes per event of the busiest day: generated, sorted and key buffers, and the copies the
    /// consumers hold.
    static let bytesPerDayEvent = Double(MemoryLayout<Event>.stride * 3 + 16)
    /// Fixed overhead of the program, the run store and the report.
    static let baseBytes = 64.0 * 1024 * 1024

    /// The estimated peak of a run, in bytes, with a safety factor of 2 for the alert engine's and
    /// the analysis' state (the default scenario: estimate 250 MiB, measured peak RSS 256 MiB).
    public static func bytes(for scenario: Scenario) -> Double {
        let stores = Double(scenario.world.regions.reduce(0) { $0 + $1.cities.reduce(0) { $0 + $1.stores } })
        let days = Double(scenario.calendar.historyDays + scenario.calendar.liveDays)
        let accounts = stores * (Double(scenario.customers.perStore)
            + scenario.customers.acquisition.leadsPerStoreWeek / 7 * scenario.customers.acquisition.conversion * days)
        let d = scenario.demand
        let busiestDay = stores * (d.linesPerStoreDay * (d.dayOfWeek.max() ?? 1) * (1 + d.yearlyAmplitude) * exp(2 * d.storeSizeSpread)
            + Double(scenario.customers.perStore) * scenario.customers.ordersPerWeek * scenario.customers.linesPerOrder / 7 * 3
            + Double(24 / d.inventory.reportEveryHours * scenario.world.categories.count))
        return 2 * (baseBytes + accounts * bytesPerAccount + busiestDay * bytesPerDayEvent)
    }

    /// Refuses a scenario whose estimate exceeds 80 % of `physicalMemory` (this machine's by default).
    public static func check(_ scenario: Scenario, file: String, physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory) throws {
        let need = bytes(for: scenario)
        let limit = Double(physicalMemory) * 0.8
        guard need > limit else { return }
        let gib = { (b: Double) in String(format: "%.1f GiB", b / Double(1 << 30)) }
        throw LabError("\(file): the scenario would need about \(gib(need)) of memory; this machine has \(gib(Double(physicalMemory))) "
                       + "(at most 80 % of it is used): use fewer stores, accounts or lines per store-day", exitCode: LabError.invalidInput)
    }
}
