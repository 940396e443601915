import Alerting
import Foundation
import Reporting
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
        /// Run even when the memory or time estimate exceeds its budget (`--force`).
        public var force = false
        /// Whether a memory or time refusal may point to `--force` (only `warroom run` has it).
        public var forceHint = false
        /// Language of the report and the alerts' messages (nil: the scenario's, else the locale's).
        public var language: Language?
        /// Called after each simulated day.
        public var progress: ((Progress) -> Void)?
        /// Asked after each simulated day; true stops the run cleanly (SIGINT, SIGTERM): the run is
        /// marked `interrupted` and no report is written.
        public var shouldStop: (() -> Bool)?
        /// Whether to measure the engine's latency against offered load on the run's first live
        /// days (false when re-creating a report: the stored curve is used).
        var measureLoadCurve = true

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
        /// The figures `warroom run` prints.
        public var figures: RunFigures { metrics.figures }
        /// The metrics as JSON (`warroom run --json`).
        public var json: JSONValue { metrics.json }
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
            throw LabError(error)
        }
        let scenario = loaded.scenario
        if !options.force {
            try MemoryEstimate.check(scenario, file: options.scenarioPath, forceHint: options.forceHint)
            try TimeEstimate.check(scenario, file: options.scenarioPath, forceHint: options.forceHint)
        }
        let rules = try loadRulesWithText(options: options, scenario: scenario)
        let spec = Spec(scenario: scenario, scenarioText: loaded.text, scenarioPath: options.scenarioPath,
                        seed: options.seed ?? scenario.seed, ruleSet: rules?.ruleSet,
                        source: RunSource(rulesPath: rules?.path, rulesText: rules?.text, applyActions: options.applyActions,
                                          recordEvents: options.recordEvents,
                                          language: Language.choose(options.language, scenario: scenario.language).rawValue))
        let reportURL = URL(fileURLWithPath: options.outDirectory).appendingPathComponent("\(scenario.name)-s\(spec.seed)")

        let dbURL = URL(fileURLWithPath: options.databasePath)
        try? FileManager.default.createDirectory(at: dbURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        let store: RunStore
        do { store = try RunStore(path: options.databasePath, verify: true) } catch { throw LabError("\(error)") }

        let startedAt = Date()
        let run: Int64, runID: String
        do {
            (run, runID) = try store.beginRun(uniqueIDFrom: "\(scenario.name)-s\(spec.seed)-\(compactTimestamp(startedAt))",
                                              scenarioName: scenario.name, scenarioPath: options.scenarioPath, scenarioHash: spec.scenarioHash,
                                              scenarioText: loaded.text, seed: spec.seed, layout: spec.layout)
            try store.setSource(run, spec.source)
        } catch { throw LabError("\(error)") }

        do {
            var simulated = try simulate(spec, store: store, writing: run, options: options, wall: wall)
            let timing = RunTiming(simulationSeconds: simulated.simulationSeconds, liveSimulationSeconds: simulated.liveSimulationSeconds,
                                   recordSeconds: options.recordEvents ? simulated.recordSeconds : nil, wallSeconds: wall.seconds,
                                   peakResidentMiB: ProcessMemory.peakResidentMiB())
            let info = RunInfo(id: runID, scenarioPath: options.scenarioPath, scenarioHash: spec.scenarioHash,
                               seed: spec.seed, startedAt: RunStore.timestamp(startedAt), recordedEvents: options.recordEvents)
            var measurements = RunMeasurements(startedAt: info.startedAt, timing: timing, stage: simulated.alerting, models: simulated.models)
            measurements.loadCurve = simulated.loadCurve
            let (report, metrics, extra) = try makeReport(spec, simulated: &simulated, info: info, timing: timing, store: store, run: run)
            if options.shouldStop?() == true { throw Interrupted() }
            try spec.inLanguage { try RunReportBuilder.write(report: report, metrics: metrics, extra: extra, to: reportURL) }
            try store.finishRun(run, eventDigest: simulated.collector.stream.digest.hex, events: Int64(simulated.collector.stream.events),
                                wallSeconds: wall.seconds, reportPath: reportURL.path, metricsJSON: metrics.json.rendered(),
                                measurementsJSON: measurements.json)
            return Outcome(runID: runID, reportPath: reportURL.path, metrics: metrics)
        } catch is Interrupted {
            try? store.markRun(run, status: .interrupted)
            throw LabError("run \(runID) interrupted: marked as interrupted in \(options.databasePath); no report was written",
                           exitCode: LabError.interrupted)
        } catch where LabError.isDiskFull(error) {
            // Not the run's fault: it can be run again once there is room (best effort on a full disk;
            // the next opening of the store marks a run left running by a gone process the same way).
            try? store.markRun(run, status: .interrupted)
            throw LabError("run \(runID) interrupted: the disk is full (\(error)); marked as interrupted in \(options.databasePath); "
                           + "no report was written: free some space and run again", exitCode: LabError.diskFull)
        } catch {
            try? store.markRun(run, status: .failed)
            if let e = error as? LabError { throw e }
            throw LabError("run \(runID) failed: \(error)")
        }
    }

    /// Re-creates a finished run's report from the run store alone (`warroom report RUN`): the
    /// stored scenario text, rules, options and seed are simulated again, the event digest must
    /// equal the stored one, and the stored wall-clock measurements replace the new ones, so the
    /// folder is byte-identical to the original.
    ///
    /// - Parameters:
    ///   - runID: the run's id, or its number in the store's list.
    ///   - databasePath: the run store.
    ///   - outDirectory: folder under which the report folder is written; nil: where the run wrote it.
    ///   - language: the report's language; nil: the run's own (only then is the folder byte-identical).
    ///   - progress: called after each simulated day.
    public static func recreate(runID: String, databasePath: String, outDirectory: String?, language: Language? = nil,
                                progress: ((Progress) -> Void)? = nil) throws -> Outcome {
        guard FileManager.default.fileExists(atPath: databasePath) else { throw LabError("no run store at \(databasePath)") }
        let store: RunStore
        let record: RunRecord
        do {
            store = try RunStore(path: databasePath)
            guard let r = try store.run(id: runID) else { throw LabError("no run '\(runID)' in \(databasePath)") }
            record = r
        } catch let e as LabError { throw e } catch { throw LabError("\(error)") }
        guard record.status == .finished else {
            throw LabError("run \(record.id) is \(record.status.rawValue): only a finished run has a report to re-create")
        }
        guard var source = record.source, let measurementsJSON = record.measurementsJSON, let storedDigest = record.eventDigest else {
            throw LabError("run \(record.id) was stored before runs kept their rules and measurements; run its scenario again instead")
        }
        let measurements: RunMeasurements
        do { measurements = try RunMeasurements(json: measurementsJSON) } catch {
            throw LabError("run \(record.id): its stored measurements cannot be read (\(error))")
        }
        let scenario: Scenario
        do { scenario = try Scenario.decode(yaml: record.scenarioText, file: "\(record.id): scenario") } catch let e as InputError {
            throw LabError(e)
        }
        var ruleSet: RuleSet?
        if let text = source.rulesText {
            do { ruleSet = try RuleSet.decode(yaml: text, file: source.rulesPath ?? "\(record.id): rules") } catch let e as InputError {
                throw LabError(e)
            }
        }
        if let language { source.language = language.rawValue }
        let spec = Spec(scenario: scenario, scenarioText: record.scenarioText, scenarioPath: record.scenarioPath, seed: record.seed,
                        ruleSet: ruleSet, source: source)
        let folderName = "\(scenario.name)-s\(record.seed)"
        let reportURL = outDirectory.map { URL(fileURLWithPath: $0).appendingPathComponent(folderName) }
            ?? URL(fileURLWithPath: record.reportPath ?? "reports/\(folderName)")
        // The store's report path is only trusted as far as it names this run's own folder.
        guard reportURL.lastPathComponent == folderName else {
            throw LabError("the run store gives \(reportURL.path) as the report folder of run \(record.id), which is not this run's folder "
                           + "(\(folderName)): pass --out DIR to say where to write it")
        }
        var options = Options(scenarioPath: record.scenarioPath)
        options.progress = progress
        options.measureLoadCurve = false
        do {
            var simulated = try simulate(spec, store: store, writing: nil, options: options, wall: Stopwatch())
            let digest = simulated.collector.stream.digest.hex
            guard digest == storedDigest else {
                throw LabError("the re-simulation of run \(record.id) gives event digest \(digest), the stored run \(storedDigest): "
                               + "this program does not simulate as the one that made the run did")
            }
            try measurements.apply(to: simulated.alerting, alertLatencies: try store.alertLatencies(run: record.number),
                                   models: &simulated.models)
            simulated.loadCurve = measurements.loadCurve
            let info = RunInfo(id: record.id, scenarioPath: record.scenarioPath, scenarioHash: record.scenarioHash, seed: record.seed,
                               startedAt: measurements.startedAt, recordedEvents: source.recordEvents)
            let (report, metrics, extra) = try makeReport(spec, simulated: &simulated, info: info, timing: measurements.timing,
                                                          store: store, run: record.number)
            try spec.inLanguage { try RunReportBuilder.write(report: report, metrics: metrics, extra: extra, to: reportURL) }
            return Outcome(runID: record.id, reportPath: reportURL.path, metrics: metrics)
        } catch let e as LabError { throw e } catch { throw LabError("re-creating the report of \(record.id): \(error)") }
    }

    /// What a run is made of: its scenario, seed, rules and options.
    struct Spec {
        var scenario: Scenario
        var scenarioText: String
        var scenarioPath: String
        var seed: UInt64
        var ruleSet: RuleSet?
        var source: RunSource
        var scenarioHash: String { SHA256.hex(Array(scenarioText.utf8)) }
        var layout: WorldLayout { WorldLayout(world: scenario.world, storesPerRep: scenario.reps.storesPerRep) }
        /// The report's language.
        var language: Language { Language(rawValue: source.language) ?? .en }
        /// Runs `body` with the report's language bound (the alerts' messages, the report's text).
        func inLanguage<T>(_ body: () throws -> T) rethrows -> T { try Language.$current.withValue(language, operation: body) }
    }

    /// One simulation of a run with everything its report is built from.
    struct Simulated {
        var world: ClosedLoop
        var collector: RunCollector
        var records: [CustomerRecord]
        var shocks: [ShockTruth]
        var models: ModelOutcome
        /// The engine's latency against offered load on the run's first live days (runs with rules).
        var loadCurve: RunLoadCurve?
        var simulationSeconds: Double, liveSimulationSeconds: Double, recordSeconds: Double
        var alerting: AlertingStage? { world.alerting }
        var layout: WorldLayout { world.simulator.layout }
    }

    /// Simulates the run day by day; with `writing`, keeps every day, alert and action in the run store.
    static func simulate(_ spec: Spec, store: RunStore, writing run: Int64?, options: Options, wall: Stopwatch) throws -> Simulated {
        // The alerts' three-tier messages are written in the run's language.
        try spec.inLanguage { try simulateInLanguage(spec, store: store, writing: run, options: options, wall: wall) }
    }

    private static func simulateInLanguage(_ spec: Spec, store: RunStore, writing run: Int64?, options: Options, wall: Stopwatch) throws -> Simulated {
        let scenario = spec.scenario
        let world = ClosedLoop(scenario: scenario, seed: spec.seed, ruleSet: spec.ruleSet, applyActions: spec.source.applyActions)
        let sim = world.simulator
        var collector = RunCollector(scenario: scenario, layout: sim.layout)
        var modelData = ModelDataCollector(scenario: scenario, layout: sim.layout)
        let alerting = world.alerting
        if let run, let ruleSet = spec.ruleSet {
            try store.writeRules(run: run, rules: ruleSet.rules.map { ($0.id, $0.description, $0.scope.rawValue, $0.tier.name, $0.every) })
        }
        let recorder = spec.source.recordEvents ? try run.map { try EventRecorder(store: store, run: $0) } : nil
        var simSeconds = 0.0, liveSimSeconds = 0.0, recordSeconds = 0.0
        let totalDays = scenario.calendar.historyDays + scenario.calendar.liveDays
        var done = 0
        var liveClock: Stopwatch?
        // For the load curve: the last days of history (to warm a fresh engine) and the first live days' events.
        var historyTail: [(day: Int, sales: [StoreDaySales])] = []
        var loadSample: [Event] = []
        let sampling = spec.ruleSet != nil && options.measureLoadCurve
        while sim.day < sim.endDay {
            let date = scenario.calendar.start.adding(days: sim.day).description
            if sim.day == 0 { liveClock = Stopwatch() }
            let clock = Stopwatch()
            var stepSeconds = 0.0
            var isLive = false
            try world.step(observe: { obs in
                stepSeconds = clock.seconds
                isLive = obs.isLive
                if sampling {
                    if !obs.isLive && obs.day >= -RunLoadCurve.historyDays { historyTail.append((obs.day, obs.sales)) }
                    if obs.isLive && loadSample.count < RunLoadCurve.sampleTarget {
                        loadSample += obs.events.prefix(RunLoadCurve.sampleLimit - loadSample.count)
                    }
                }
                collector.observe(obs)
                modelData.observe(obs)
                if let recorder, obs.isLive {
                    let r = Stopwatch()
                    try recorder.record(obs.events)
                    recordSeconds += r.seconds
                }
                if let run { try store.writeDay(run: run, sales: obs.sales, snapshots: obs.snapshots, storeTruth: [], customerTruth: []) }
            }, truth: { truth in
                if let run { try store.writeDay(run: run, sales: [], snapshots: [], storeTruth: truth.stores, customerTruth: truth.customers) }
                collector.observeTruth(truth)
                modelData.observeTruth(truth)
            })
            simSeconds += stepSeconds
            if isLive { liveSimSeconds += stepSeconds }
            if let alerting, let run {
                try store.writeAlerts(run: run, alerts: alerting.records, actions: alerting.actions)
                // The messages and actions live on in the run store: a long run's memory does not grow with them.
                alerting.dropRecords()
            }
            // Re-creating a report (no run to write) keeps them: their messages are in the language
            // asked for now, which the stored ones may not be.
            done += 1
            options.progress?(Progress(daysDone: done, daysTotal: totalDays, events: collector.stream.events,
                                       seconds: wall.seconds, isLive: isLive, date: date, liveSeconds: liveClock?.seconds ?? 0))
            if options.shouldStop?() == true { throw Interrupted() }
        }
        let records = sim.customerRecords
        let shocks = sim.shockTruth
        if let run { try store.writeCustomers(run: run, customers: records, shocks: shocks) }
        // The stream has ended: the models are fitted without the engine's window state beside them.
        alerting?.releaseEngine()
        var loadCurve: RunLoadCurve?
        if sampling, let ruleSet = spec.ruleSet {
            options.progress?(Progress(daysDone: totalDays, daysTotal: totalDays, events: collector.stream.events, seconds: wall.seconds,
                                       isLive: true, date: "latency against load", liveSeconds: liveClock?.seconds ?? 0))
            loadCurve = RunLoadCurve.measure(scenario: scenario, ruleSet: ruleSet, simulator: sim, history: historyTail, sample: loadSample)
            loadSample = []
        }

        options.progress?(Progress(daysDone: totalDays, daysTotal: totalDays, events: collector.stream.events, seconds: wall.seconds,
                                   isLive: true, date: "backtesting the models", liveSeconds: liveClock?.seconds ?? 0))
        let models: ModelOutcome
        do {
            models = .evaluated(try ModelEvaluation.evaluate(data: modelData, scenario: scenario, layout: sim.layout, records: records))
        } catch let error as LabError {
            models = .skipped(error.description)
        }
        return Simulated(world: world, collector: collector, records: records, shocks: shocks, models: models, loadCurve: loadCurve,
                         simulationSeconds: simSeconds, liveSimulationSeconds: liveSimSeconds, recordSeconds: recordSeconds)
    }

    /// The report, its metrics and the extra files of the report folder; each shock's first alert
    /// comes from the records the simulation kept (a re-created report, in its language), else
    /// from the run store's `run`.
    static func makeReport(_ spec: Spec, simulated s: inout Simulated, info: RunInfo, timing: RunTiming, store: RunStore,
                           run: Int64) throws -> (Report, MetricsDocument, [(name: String, contents: Data)]) {
        let layout = s.layout
        let analysis = RunAnalysis(scenario: spec.scenario, layout: layout, collector: s.collector, customers: s.records, shocks: s.shocks)
        var alertReport = s.alerting.map { AlertRunReport(stage: $0, shocks: s.shocks, layout: layout) }
        alertReport?.loadCurve = s.loadCurve
        if let r = alertReport {
            // Each shock's first alert, with its three messages, back from the run store.
            let kept = s.alerting?.records ?? []
            alertReport?.firstRecords = try r.analysis.detections.compactMap { d in
                guard let first = d.firstAlert else { return nil }
                if !kept.isEmpty { return kept.first { $0.time == first.time && $0.ruleID == first.ruleID && $0.key == first.key } }
                return try store.alert(run: run, time: first.time, ruleID: first.ruleID, key: first.key)
            }
        }
        let metrics = MetricsDocument.make(info: info, scenario: spec.scenario, layout: layout, analysis: analysis, timing: timing,
                                           alerts: alertReport, models: s.models)
        // metrics.json stays in English (its keys and texts are read by programs); the report is in the run's language.
        let report = spec.inLanguage {
            RunReportBuilder.build(info: info, scenario: spec.scenario, layout: layout, analysis: analysis,
                                   metrics: metrics, timing: timing, alerts: alertReport, models: s.models)
        }
        // The engine's processing-time distribution in HdrHistogram's .hgrm text (µs) and as an
        // interval log (.hlog, ns), which other runs' and shards' logs can be merged with.
        guard let processing = s.alerting?.processing else { return (report, metrics, []) }
        let start = ISO8601DateFormatter().date(from: info.startedAt)?.timeIntervalSince1970 ?? 0
        let hlog = try processing.intervalLog(start: start, seconds: timing.wallSeconds, unit: "nanoseconds of the alert engine's processing time per event",
                                              maxValueUnitRatio: 1000)
        return (report, metrics, [(name: "latency.hgrm", contents: Data(processing.hgrm(measuring: "the alert engine's processing time per event").utf8)),
                                  (name: "latency.hlog", contents: Data(hlog.utf8))])
    }

    /// The rule set of a run: `--rules`, else the scenario's `rules:` (relative to the scenario file).
    static func loadRules(options: Options, scenario: Scenario) throws -> RuleSet? {
        try loadRulesWithText(options: options, scenario: scenario)?.ruleSet
    }

    /// The rule set of a run with the file's path and text, as the run store keeps them.
    static func loadRulesWithText(options: Options, scenario: Scenario) throws -> (ruleSet: RuleSet, path: String, text: String)? {
        var path = options.rulesPath
        if path == nil, let relative = scenario.rulesPath {
            path = relative.hasPrefix("/") ? relative
                : URL(fileURLWithPath: options.scenarioPath).deletingLastPathComponent().appendingPathComponent(relative).path
        }
        guard let path else { return nil }
        do {
            let text = try RuleSet.readText(path: path)
            let ruleSet = try RuleSet.decode(yaml: text, file: path)
            if !options.force { try MemoryEstimate.check(scenario, ruleSet: ruleSet, rulesFile: path, forceHint: options.forceHint) }
            return (ruleSet, path, text)
        } catch let error as InputError {
            throw LabError(error)
        }
    }

    static func compactTimestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.string(from: date)
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
