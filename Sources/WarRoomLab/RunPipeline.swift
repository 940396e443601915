import Alerting
import Foundation
import RunStore
import Simulation
import WarRoomCore

/// What `warroom run` does: simulate a scenario, keep everything in the run store, write the
/// report folder atomically.
public struct RunPipeline {
    /// Options of a run.
    public struct Options {
        /// Scenario file.
        public var scenarioPath: String
        /// Seed; the scenario's own when nil.
        public var seed: UInt64?
        /// Folder under which the report folder is written.
        public var outDirectory: String = "reports"
        /// Run store file.
        public var databasePath: String = "reports/warroom.db"
        /// Whether to store the full event log.
        public var recordEvents = false
        /// A rule file overriding the scenario's (`rules:`).
        public var rulesPath: String?
        /// Whether alerts' actions act on the simulated world (false: `--no-actions`).
        public var applyActions = true
        /// Called after each simulated day.
        public var progress: ((Progress) -> Void)?
        /// Asked after each simulated day; true stops the run cleanly (SIGINT, SIGTERM): the run is
        /// marked `interrupted` and no report is written.
        public var shouldStop: (() -> Bool)?

        /// Options for a scenario file.
        public init(scenarioPath: String) { self.scenarioPath = scenarioPath }
    }

    /// Where a run stands.
    public struct Progress {
        /// Days simulated so far.
        public var daysDone: Int
        /// Days in all.
        public var daysTotal: Int
        /// Live events so far.
        public var events: Int
        /// Seconds since the start.
        public var seconds: Double
        /// Whether the day was a live day.
        public var isLive: Bool
        /// The simulated date just finished.
        public var date: String
        /// Seconds since the first live day started (0 in history).
        public var liveSeconds: Double
    }

    /// What a finished run produced.
    public struct Outcome {
        /// The run's id in the store.
        public var runID: String
        /// The report folder.
        public var reportPath: String
        /// The metrics written to metrics.json.
        public var metrics: MetricsDocument
    }

    /// Runs the pipeline.
    ///
    /// - Throws: `LabError` with a clear message; a scenario error writes nothing at all.
    public static func run(_ options: Options) throws -> Outcome {
        let wall = Stopwatch()
        let loaded: (scenario: Scenario, text: String)
        do {
            loaded = try Scenario.load(path: options.scenarioPath)
        } catch let error as InputError {
            throw LabError(error.description, exitCode: LabError.invalidInput)
        }
        let scenario = loaded.scenario
        try MemoryEstimate.check(scenario, file: options.scenarioPath)
        let seed = options.seed ?? scenario.seed
        let ruleSet = try loadRules(options: options, scenario: scenario)
        let reportURL = URL(fileURLWithPath: options.outDirectory).appendingPathComponent("\(scenario.name)-s\(seed)")

        let dbURL = URL(fileURLWithPath: options.databasePath)
        try? FileManager.default.createDirectory(at: dbURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        let store: RunStore
        do { store = try RunStore(path: options.databasePath) } catch { throw LabError("\(error)") }

        let world = ClosedLoop(scenario: scenario, seed: seed, ruleSet: ruleSet, applyActions: options.applyActions)
        let sim = world.simulator
        let startedAt = Date()
        let runID = try uniqueRunID(store: store, base: "\(scenario.name)-s\(seed)-\(compactTimestamp(startedAt))")
        let run: Int64
        do {
            run = try store.beginRun(id: runID, scenarioName: scenario.name, scenarioPath: options.scenarioPath,
                                     scenarioHash: SHA256.hex(Array(loaded.text.utf8)), scenarioText: loaded.text,
                                     seed: seed, layout: sim.layout)
        } catch { throw LabError("\(error)") }

        do {
            var collector = RunCollector(scenario: scenario, layout: sim.layout)
            var modelData = ModelDataCollector(scenario: scenario, layout: sim.layout)
            let alerting = world.alerting
            if let ruleSet {
                try store.writeRules(run: run, rules: ruleSet.rules.map { ($0.id, $0.description, $0.scope.rawValue, $0.tier.name, $0.every) })
            }
            var written = (alerts: 0, actions: 0)
            let recorder = options.recordEvents ? try EventRecorder(store: store, run: run) : nil
            var simSeconds = 0.0, liveSimSeconds = 0.0, recordSeconds = 0.0
            let totalDays = scenario.calendar.historyDays + scenario.calendar.liveDays
            var done = 0
            var liveClock: Stopwatch?
            while sim.day < sim.endDay {
                let date = scenario.calendar.start.adding(days: sim.day).description
                if sim.day == 0 { liveClock = Stopwatch() }
                let clock = Stopwatch()
                var stepSeconds = 0.0
                var isLive = false
                try world.step(observe: { obs in
                    stepSeconds = clock.seconds
                    isLive = obs.isLive
                    collector.observe(obs)
                    modelData.observe(obs)
                    if let recorder, obs.isLive {
                        let r = Stopwatch()
                        try recorder.record(obs.events)
                        recordSeconds += r.seconds
                    }
                    try store.writeDay(run: run, sales: obs.sales, snapshots: obs.snapshots, storeTruth: [], customerTruth: [])
                }, truth: { truth in
                    try store.writeDay(run: run, sales: [], snapshots: [], storeTruth: truth.stores, customerTruth: truth.customers)
                    collector.observeTruth(truth)
                    modelData.observeTruth(truth)
                })
                simSeconds += stepSeconds
                if isLive { liveSimSeconds += stepSeconds }
                if let alerting {
                    try store.writeAlerts(run: run, alerts: alerting.records, actions: Array(alerting.actions[written.actions...]))
                    // The messages live on in the run store: a long run's memory does not grow with them.
                    alerting.dropRecords()
                    written = (0, alerting.actions.count)
                }
                done += 1
                options.progress?(Progress(daysDone: done, daysTotal: totalDays, events: collector.stream.events,
                                           seconds: wall.seconds, isLive: isLive, date: date, liveSeconds: liveClock?.seconds ?? 0))
                if options.shouldStop?() == true { throw Interrupted() }
            }
            let records = sim.customerRecords
            let shocks = sim.shockTruth
            try store.writeCustomers(run: run, customers: records, shocks: shocks)

            options.progress?(Progress(daysDone: totalDays, daysTotal: totalDays, events: collector.stream.events, seconds: wall.seconds,
                                       isLive: true, date: "backtesting the models", liveSeconds: liveClock?.seconds ?? 0))
            let models: ModelOutcome
            do {
                models = .evaluated(try ModelEvaluation.evaluate(data: modelData, scenario: scenario, layout: sim.layout, records: records))
            } catch let error as LabError {
                models = .skipped(error.description)
            }
            modelData = ModelDataCollector(scenario: scenario, layout: sim.layout, empty: true)
            let timing = RunTiming(simulationSeconds: simSeconds, liveSimulationSeconds: liveSimSeconds,
                                   recordSeconds: options.recordEvents ? recordSeconds : nil, wallSeconds: wall.seconds,
                                   peakResidentMiB: ProcessMemory.peakResidentMiB())
            let analysis = RunAnalysis(scenario: scenario, layout: sim.layout, collector: collector, customers: records, shocks: shocks)
            var alertReport = alerting.map { AlertRunReport(stage: $0, shocks: shocks, layout: sim.layout) }
            if let r = alertReport {
                // Each shock's first alert, with its three messages, back from the run store.
                alertReport?.firstRecords = try r.analysis.detections.compactMap { d in
                    guard let first = d.firstAlert else { return nil }
                    return try store.alert(run: run, time: first.time, ruleID: first.ruleID, key: first.key)
                }
            }
            let info = RunInfo(id: runID, scenarioPath: options.scenarioPath, scenarioHash: SHA256.hex(Array(loaded.text.utf8)),
                               seed: seed, startedAt: RunStore.timestamp(startedAt), recordedEvents: options.recordEvents)
            let metrics = MetricsDocument.make(info: info, scenario: scenario, layout: sim.layout, analysis: analysis, timing: timing,
                                               alerts: alertReport, models: models)
            let report = RunReportBuilder.build(info: info, scenario: scenario, layout: sim.layout, analysis: analysis,
                                                metrics: metrics, timing: timing, alerts: alertReport, models: models)
            if options.shouldStop?() == true { throw Interrupted() }
            // The engine's processing-time distribution in HdrHistogram's .hgrm text format (µs).
            var hgrm = ""
            alerting?.processing.outputPercentileDistribution(to: &hgrm, outputValueUnitScalingRatio: 1000)
            try RunReportBuilder.write(report: report, metrics: metrics,
                                       extra: hgrm.isEmpty ? [] : [(name: "latency.hgrm", contents: Data(hgrm.utf8))], to: reportURL)
            try store.finishRun(run, eventDigest: collector.stream.digest.hex, events: Int64(collector.stream.events),
                                wallSeconds: wall.seconds, reportPath: reportURL.path, metricsJSON: metrics.json.rendered())
            return Outcome(runID: runID, reportPath: reportURL.path, metrics: metrics)
        } catch is Interrupted {
            try? store.markRun(run, status: .interrupted)
            throw LabError("run \(runID) interrupted: marked as interrupted in \(options.databasePath); no report was written",
                           exitCode: LabError.interrupted)
        } catch {
            try? store.markRun(run, status: .failed)
            if let e = error as? LabError { throw e }
            throw LabError("run \(runID) failed: \(error)")
        }
    }

    /// The rule set of a run: `--rules`, else the scenario's `rules:` (relative to the scenario file).
    static func loadRules(options: Options, scenario: Scenario) throws -> RuleSet? {
        var path = options.rulesPath
        if path == nil, let relative = scenario.rulesPath {
            path = relative.hasPrefix("/") ? relative
                : URL(fileURLWithPath: options.scenarioPath).deletingLastPathComponent().appendingPathComponent(relative).path
        }
        guard let path else { return nil }
        do { return try RuleSet.load(path: path) } catch let error as InputError {
            throw LabError(error.description, exitCode: LabError.invalidInput)
        }
    }

    static func compactTimestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.string(from: date)
    }

    static func uniqueRunID(store: RunStore, base: String) throws -> String {
        do {
            if try !store.hasRun(id: base) { return base }
            for n in 2... where try !store.hasRun(id: "\(base)-\(n)") { return "\(base)-\(n)" }
        } catch { throw LabError("\(error)") }
        return base
    }
}

/// The models' backtest of a run, or why there is none (e.g. a run too short for a 28-day horizon).
enum ModelOutcome {
    case evaluated(ModelEvaluation)
    case skipped(String)
}

/// Raised inside the pipeline when a stop was asked for.
struct Interrupted: Error {}

/// Identity of a run, for metrics and reports.
public struct RunInfo {
    /// Run id.
    public var id: String
    /// Scenario file path.
    public var scenarioPath: String
    /// SHA-256 of the scenario text.
    public var scenarioHash: String
    /// Seed.
    public var seed: UInt64
    /// Start, ISO 8601.
    public var startedAt: String
    /// Whether events were recorded.
    public var recordedEvents: Bool
}

/// Wall-clock figures of a run (the only figures that differ between identical runs).
public struct RunTiming {
    /// Seconds inside the simulator, all days.
    public var simulationSeconds: Double
    /// Seconds inside the simulator, live days.
    public var liveSimulationSeconds: Double
    /// Seconds spent recording events, when recorded.
    public var recordSeconds: Double?
    /// Seconds for the whole run.
    public var wallSeconds: Double
    /// Peak resident memory.
    public var peakResidentMiB: Double?
}
