import Foundation
import Reporting
import WarRoomCore

/// A long run of the closed loop (simulator and alert engine with its actions), watched for leaks
/// and slow-downs: resident memory and throughput per 30 simulated days.
public enum Soak {
    /// What a soak measured.
    public struct Result: Sendable {
        /// The scenario's name.
        public var scenario: String
        /// Live days run, rules in the loop.
        public var liveDays: Int, rules: Int
        /// Events simulated and alerts raised, all days.
        public var events: Int, alerts: Int
        /// Peak resident memory, MiB to one decimal.
        public var peakResidentMiB: Double?
        /// One row per 30 live days.
        public var windows: [Window]

        /// The figures as JSON (`warroom soak --json`).
        public var json: JSONValue {
            .object([
                ("soak", .string(scenario)),
                ("live_days", .count(liveDays)),
                ("rules", .count(rules)),
                ("events", .count(events)),
                ("alerts", .count(alerts)),
                ("peak_rss_mib", .number(peakResidentMiB)),
                ("windows", .array(windows.map(\.json))),
            ])
        }
    }

    /// Up to 30 live days of a soak: a leak shows as a growing RSS, a slow-down as a falling rate.
    public struct Window: Sendable {
        /// The live days, e.g. `30–59`.
        public var liveDays: String
        /// Events in the window.
        public var events: Int
        /// Events per second (whole).
        public var eventsPerSecond: Double
        /// Resident memory at the window's end, MiB to one decimal.
        public var residentMiB: Double?

        /// The window as JSON.
        var json: JSONValue {
            .object([("live_days", .string(liveDays)), ("events", .count(events)), ("events_per_second", .double(eventsPerSecond)),
                     ("rss_mib", .number(residentMiB))])
        }
    }

    /// Current resident set size in MiB (VmRSS), from /proc.
    static func residentMiB() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kb = Double(parts[1]) { return kb / 1024 }
        }
        return nil
    }

    /// Runs `scenarioPath` for `liveDays` live days with its rules (or `rulesPath`); one row per 30 days.
    ///
    /// - Parameters:
    ///   - scenarioPath: the scenario file.
    ///   - rulesPath: a rule file instead of the scenario's own rules.
    ///   - liveDays: the live days to simulate.
    ///   - progress: days simulated and days in all.
    public static func run(scenarioPath: String, rulesPath: String?, liveDays: Int,
                           progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> Result {
        var scenario: Scenario
        do { scenario = try Scenario.load(path: scenarioPath).scenario } catch let e as InputError {
            throw LabError(e)
        }
        guard (1...3660).contains(liveDays) else { throw LabError("--live-days must be between 1 and 3660") }
        scenario.calendar.liveDays = liveDays
        try MemoryEstimate.check(scenario, file: scenarioPath)
        var options = RunPipeline.Options(scenarioPath: scenarioPath)
        options.rulesPath = rulesPath
        let ruleSet = try RunPipeline.loadRules(options: options, scenario: scenario)
        let world = ClosedLoop(scenario: scenario, seed: scenario.seed, ruleSet: ruleSet, applyActions: true)
        var windows: [Window] = []
        var events = 0, windowEvents = 0
        var clock = Stopwatch()
        while !world.isFinished {
            var live = false
            var day = 0
            try world.step(observe: { obs in
                live = obs.isLive
                day = obs.day
                events += obs.events.count
                windowEvents += obs.events.count
            }, truth: { _ in })
            progress?(world.simulator.day + scenario.calendar.historyDays, scenario.calendar.historyDays + scenario.calendar.liveDays)
            // Nothing is stored in a soak: the alerts are counted and let go, as a run lets
            // them go once they are in the run store.
            world.alerting?.forgetRecords()
            if live && ((day + 1) % 30 == 0 || world.isFinished) {
                let seconds = clock.seconds
                windows.append(Window(liveDays: "\(day - (day % 30))–\(day)", events: windowEvents,
                                      eventsPerSecond: (Double(windowEvents) / seconds).rounded(),
                                      residentMiB: residentMiB().map { Figure.rounded($0, scale: 10) }))
                windowEvents = 0
                clock = Stopwatch()
            } else if !live {
                clock = Stopwatch()
            }
        }
        return Result(scenario: scenario.name, liveDays: liveDays, rules: ruleSet?.rules.count ?? 0, events: events,
                      alerts: (world.alerting?.alerts.count ?? 0) + (world.alerting?.forgottenAlerts ?? 0),
                      peakResidentMiB: ProcessMemory.peakResidentMiB().map { Figure.rounded($0, scale: 10) }, windows: windows)
    }
}
