import Foundation
import Reporting
import WarRoomCore

/// A long run of the closed loop (simulator and alert engine with its actions), watched for leaks
/// and slow-downs: resident memory and throughput per 30 simulated days.
public enum Soak {
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
    /// - Parameter progress: days simulated and days in all.
    public static func run(scenarioPath: String, rulesPath: String?, liveDays: Int,
                           progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> JSONValue {
        var scenario: Scenario
        do { scenario = try Scenario.load(path: scenarioPath).scenario } catch let e as InputError {
            throw LabError(e.description, exitCode: LabError.invalidInput)
        }
        guard (1...3660).contains(liveDays) else { throw LabError("--live-days must be between 1 and 3660") }
        scenario.calendar.liveDays = liveDays
        try MemoryEstimate.check(scenario, file: scenarioPath)
        var options = RunPipeline.Options(scenarioPath: scenarioPath)
        options.rulesPath = rulesPath
        let ruleSet = try RunPipeline.loadRules(options: options, scenario: scenario)
        let world = ClosedLoop(scenario: scenario, seed: scenario.seed, ruleSet: ruleSet, applyActions: true)
        var windows: [JSONValue] = []
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
                windows.append(.object([
                    ("live_days", .string("\(day - (day % 30))–\(day)")),
                    ("events", .int(Int64(windowEvents))),
                    ("events_per_second", .double((Double(windowEvents) / seconds).rounded())),
                    ("rss_mib", residentMiB().map { .double(($0 * 10).rounded() / 10) } ?? .null),
                ]))
                windowEvents = 0
                clock = Stopwatch()
            } else if !live {
                clock = Stopwatch()
            }
        }
        return .object([
            ("soak", .string(scenario.name)),
            ("live_days", .int(Int64(liveDays))),
            ("rules", .int(Int64(ruleSet?.rules.count ?? 0))),
            ("events", .int(Int64(events))),
            ("alerts", .int(Int64((world.alerting?.alerts.count ?? 0) + (world.alerting?.forgottenAlerts ?? 0)))),
            ("peak_rss_mib", ProcessMemory.peakResidentMiB().map { .double(($0 * 10).rounded() / 10) } ?? .null),
            ("windows", .array(windows)),
        ])
    }
}
