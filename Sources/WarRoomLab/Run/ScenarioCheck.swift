import Reporting
import WarRoomCore

/// What `warroom validate` says of a scenario file that decodes: its size.
public struct ScenarioCheck: Sendable {
    /// The file as given.
    public var file: String
    /// The scenario's name.
    public var name: String
    /// Stores in the world.
    public var stores: Int
    /// Days of history and of the live window.
    public var historyDays: Int, liveDays: Int
    /// Competitor shocks.
    public var shocks: Int
    /// The scenario's rule file as resolved, and its rules (nil when the scenario names none).
    public var rulesFile: String?, rules: Int?
    /// The run's estimated peak memory (`MemoryEstimate`, the rules' window state included), MiB.
    public var memoryMiB: Int
    /// The scenario's estimated live events and run time in seconds (`TimeEstimate`).
    public var liveEvents: Int, seconds: Double

    /// Checks a scenario file without running it.
    ///
    /// The scenario's rule file, when it names one, is checked too, as `warroom run` would read it.
    ///
    /// - Throws: `LabError` carrying the `InputError` (file, line, column) of the first problem.
    public static func check(path: String) throws -> ScenarioCheck {
        let s: Scenario
        do { s = try Scenario.load(path: path).scenario } catch let error as InputError { throw LabError(error) }
        let rules = try RunPipeline.loadRulesWithText(options: RunPipeline.Options(scenarioPath: path), scenario: s)
        return ScenarioCheck(file: path, name: s.name, stores: s.world.storeCount,
                             historyDays: s.calendar.historyDays, liveDays: s.calendar.liveDays, shocks: s.competitors.shocks.count,
                             rulesFile: rules?.path, rules: rules?.ruleSet.rules.count,
                             memoryMiB: Int((MemoryEstimate.bytes(for: s, ruleSet: rules?.ruleSet) / Double(1 << 20)).rounded(.up)),
                             liveEvents: Int(TimeEstimate.liveEvents(for: s).rounded()), seconds: TimeEstimate.seconds(for: s))
    }

    /// The check as JSON (`warroom validate --json`).
    public var json: JSONValue {
        .object([("file", .string(file)), ("ok", .bool(true)), ("name", .string(name)), ("stores", .count(stores)),
                 ("history_days", .count(historyDays)), ("live_days", .count(liveDays)), ("shocks", .count(shocks)),
                 ("rules_file", rulesFile.map { .string($0) } ?? .null), ("rules", rules.map { .count($0) } ?? .null),
                 ("memory_estimate_mib", .count(memoryMiB)), ("live_events_estimate", .count(liveEvents)),
                 ("run_time_estimate_seconds", .double((seconds * 10).rounded() / 10))])
    }
}
