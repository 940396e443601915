import Alerting
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
    /// More bytes per event of the busiest day with a `delivery:` section: the delivery's arrival,
    /// key and radix buffers (kept at half as much again as the day, twice that when a source
    /// sends copies), the day's handed-over keys, and up to a day's events waiting to arrive
    /// (T+1) with their arrivals.
    static func deliveryBytesPerDayEvent(_ delivery: DeliverySpec) -> Double {
        guard !delivery.isInstant else { return 0 }
        let copies = delivery.models.contains { $0.duplicates > 0 } ? 2.0 : 1.0
        return 3 * 8 * 1.5 * copies + 8 + Double(MemoryLayout<Event>.stride + 8)
    }
    /// Fixed overhead of the program, the run store and the report.
    static let baseBytes = 64.0 * 1024 * 1024

    /// The estimated peak of a run, in bytes, with a safety factor of 2 for the alert engine's and
    /// the analysis' state (the default scenario: estimate 250 MiB, measured peak RSS 256 MiB).
    public static func bytes(for scenario: Scenario) -> Double {
        let stores = Double(scenario.world.storeCount)
        let days = Double(scenario.calendar.historyDays + scenario.calendar.liveDays)
        let accounts = stores * (Double(scenario.customers.perStore)
            + scenario.customers.acquisition.leadsPerStoreWeek / 7 * scenario.customers.acquisition.conversion * days)
        let d = scenario.demand
        let busiestDay = stores * (d.linesPerStoreDay * (d.dayOfWeek.max() ?? 1) * (1 + d.yearlyAmplitude) * exp(2 * d.storeSizeSpread)
            + Double(scenario.customers.perStore) * scenario.customers.ordersPerWeek * scenario.customers.linesPerOrder / 7 * 3
            + Double(24 / d.inventory.reportEveryHours * scenario.world.categories.count))
        return 2 * (baseBytes + accounts * bytesPerAccount + busiestDay * (bytesPerDayEvent + deliveryBytesPerDayEvent(scenario.delivery)))
    }

    /// The least window state of `ruleSet` on the scenario's world, per signal state
    /// (`AlertEngine.windowStateFloor`), keys as the closed loop reserves them; twice that with a
    /// `delivery:` section (the same rules run on instant delivery beside the engine).
    static func windowStateFloor(_ scenario: Scenario, ruleSet: RuleSet) -> [(rule: String, bytes: Double)] {
        let layout = WorldLayout(world: scenario.world, storesPerRep: scenario.reps.storesPerRep)
        let accounts = 2 * layout.stores.count * scenario.customers.perStore
        let engines = scenario.delivery.isInstant ? 1.0 : 2.0
        return AlertEngine(ruleSet: ruleSet).windowStateFloor { $0 == .customer ? accounts : layout.count(of: $0.placeKind) }
            .map { ($0.rule, engines * $0.bytes) }
    }

    /// The scenario's estimate (`bytes(for:)`) and the least window state of its rules, if any.
    public static func bytes(for scenario: Scenario, ruleSet: RuleSet?) -> Double {
        bytes(for: scenario) + (ruleSet.map { windowStateFloor(scenario, ruleSet: $0).reduce(0) { $0 + $1.bytes } } ?? 0)
    }

    /// Refuses a rule set whose window state, with the scenario's own estimate, cannot fit in 80 %
    /// of `physicalMemory`: the least the rules hold once the world's keys have data
    /// (`AlertEngine.windowStateFloor`), keys as the closed loop reserves them.
    ///
    /// - Parameters:
    ///   - scenario: the scenario the rules run on (its world gives the keys).
    ///   - ruleSet: the rules.
    ///   - rulesFile: the rule file's path, for the message.
    ///   - forceHint: whether the message points to `--force` (only `warroom run` has it).
    ///   - physicalMemory: this machine's memory (a smaller figure for tests).
    public static func check(_ scenario: Scenario, ruleSet: RuleSet, rulesFile: String, forceHint: Bool = false,
                             physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory) throws {
        let floors = windowStateFloor(scenario, ruleSet: ruleSet)
        let rules = floors.reduce(0) { $0 + $1.bytes }
        let need = bytes(for: scenario) + rules
        let limit = Double(physicalMemory) * 0.8
        guard need > limit, let largest = floors.max(by: { $0.bytes < $1.bytes }) else { return }
        throw LabError("\(rulesFile): the rules' window state would take at least \(gib(rules)) (\(floors.count) signal states; the largest, "
                       + "\(largest.rule), \(size(largest.bytes))), with the scenario's \(gib(bytes(for: scenario))) more than 80 % of this machine's "
                       + "\(gib(Double(physicalMemory))): use shorter windows, coarser steps or fewer rules" + (forceHint ? " (or --force)" : ""), exitCode: LabError.invalidInput)
    }

    /// Bytes as GiB with one decimal.
    static func gib(_ b: Double) -> String { String(format: "%.1f GiB", b / Double(1 << 30)) }

    /// Bytes as GiB from 1 GiB up, else as MiB (KiB under 1 MiB).
    static func size(_ b: Double) -> String {
        b >= Double(1 << 30) ? gib(b) : b >= Double(1 << 20) ? String(format: "%.0f MiB", b / Double(1 << 20)) : String(format: "%.0f KiB", b / 1024)
    }

    /// Refuses a scenario whose estimate exceeds 80 % of `physicalMemory` (this machine's by default).
    ///
    /// - Parameters:
    ///   - scenario: the scenario.
    ///   - file: its path, for the message.
    ///   - forceHint: whether the message points to `--force` (only `warroom run` has it).
    ///   - physicalMemory: this machine's memory (a smaller figure for tests).
    public static func check(_ scenario: Scenario, file: String, forceHint: Bool = false,
                             physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory) throws {
        let need = bytes(for: scenario)
        let limit = Double(physicalMemory) * 0.8
        guard need > limit else { return }
        throw LabError("\(file): the scenario would need about \(gib(need)) of memory; this machine has \(gib(Double(physicalMemory))) "
                       + "(at most 80 % of it is used): use fewer stores, accounts or lines per store-day" + (forceHint ? " (or --force)" : ""), exitCode: LabError.invalidInput)
    }
}
