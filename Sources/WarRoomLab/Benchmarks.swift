import Alerting
import Foundation
import Histogram
import Reporting
import RunStore
import Simulation
import WarRoomCore

/// The lab's own benchmarks, run in release builds by `warroom bench` and `make bench`.
public enum Benchmarks {
    /// Loads a scenario or fails with the input error's message.
    static func loadScenario(_ path: String) throws -> Scenario {
        do { return try Scenario.load(path: path).scenario } catch let error as InputError {
            throw LabError(error.description, exitCode: LabError.invalidInput)
        }
    }

    /// Median of a non-empty list.
    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Simulator throughput on a scenario's live window: events generated, put in time order and
    /// digested (nothing recorded), on one core. History is simulated first and not timed.
    ///
    /// - Parameter liveDays: overrides the scenario's live window length (for memory checks).
    public static func simulation(scenarioPath: String, seed: UInt64?, repeats: Int, liveDays: Int? = nil) throws -> JSONValue {
        var scenario = try loadScenario(scenarioPath)
        if let liveDays {
            guard (1...3660).contains(liveDays) else { throw LabError("--live-days must be between 1 and 3660") }
            scenario.calendar.liveDays = liveDays
        }
        let seed = seed ?? scenario.seed
        var rates: [Double] = [], walls: [Double] = [], historyWalls: [Double] = []
        var events = 0
        var digest = ""
        for _ in 0..<max(1, repeats) {
            let sim = Simulator(scenario: scenario, seed: seed)
            let history = Stopwatch()
            while sim.day < 0 { sim.step(observe: { _ in }, truth: { _ in }) }
            historyWalls.append(history.seconds)
            var d = EventDigest()
            let clock = Stopwatch()
            while sim.day < sim.endDay {
                sim.step(observe: { obs in for e in obs.events { d.add(e) } }, truth: { _ in })
            }
            let wall = clock.seconds
            events = d.count
            digest = d.hex
            walls.append(wall)
            rates.append(Double(d.count) / wall)
        }
        return .object([
            ("benchmark", .string("sim")),
            ("scenario", .string(scenario.name)),
            ("seed", .int(Int64(bitPattern: seed))),
            ("live_days", .int(Int64(scenario.calendar.liveDays))),
            ("events", .int(Int64(events))),
            ("event_digest", .string(digest)),
            ("repeats", .int(Int64(rates.count))),
            ("wall_seconds", .double(median(walls))),
            ("events_per_second", .double(median(rates).rounded())),
            ("events_per_second_runs", .array(rates.map { .double($0.rounded()) })),
            ("history_wall_seconds", .double(median(historyWalls))),
            ("peak_rss_mib", ProcessMemory.peakResidentMiB().map { .double($0.rounded()) } ?? .null),
        ])
    }

    /// Event-log write speed into SQLite: the scenario's live events are generated into memory
    /// first, then written by the run store's recorder into a fresh file, timed alone.
    public static func recording(scenarioPath: String, seed: UInt64?, liveDays: Int, repeats: Int) throws -> JSONValue {
        var scenario = try loadScenario(scenarioPath)
        scenario.calendar.liveDays = min(max(1, liveDays), scenario.calendar.liveDays)
        scenario.calendar.historyDays = 0
        let seed = seed ?? scenario.seed
        let sim = Simulator(scenario: scenario, seed: seed)
        var days: [[Event]] = []
        while sim.day < sim.endDay { sim.step(observe: { days.append($0.events) }, truth: { _ in }) }
        let total = days.reduce(0) { $0 + $1.count }
        var rates: [Double] = [], walls: [Double] = []
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("warroom-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for k in 0..<max(1, repeats) {
            let path = folder.appendingPathComponent("bench-\(k).db").path
            do {
                let store = try RunStore(path: path)
                let run = try store.beginRun(id: "bench", scenarioName: scenario.name, scenarioPath: scenarioPath, scenarioHash: "",
                                             scenarioText: "", seed: seed, layout: sim.layout)
                let recorder = try EventRecorder(store: store, run: run)
                let clock = Stopwatch()
                for day in days { try recorder.record(day) }
                let wall = clock.seconds
                walls.append(wall)
                rates.append(Double(total) / wall)
            } catch { throw LabError("\(error)") }
        }
        return .object([
            ("benchmark", .string("record")),
            ("scenario", .string(scenario.name)),
            ("live_days", .int(Int64(scenario.calendar.liveDays))),
            ("events", .int(Int64(total))),
            ("repeats", .int(Int64(rates.count))),
            ("wall_seconds", .double(median(walls))),
            ("events_per_second", .double(median(rates).rounded())),
            ("events_per_second_runs", .array(rates.map { .double($0.rounded()) })),
        ])
    }
}

extension Benchmarks {
    /// Peak sustained alert-engine throughput: the scenario's live stream is generated into
    /// memory first (the history replayed to the engine as daily summaries, untimed), then the
    /// engine alone consumes the live events on one core, timed. Also measured with the first
    /// rule only, and with each prefix size in `ruleCounts`, in the same run.
    public static func engine(scenarioPath: String, rulesPath: String, seed: UInt64?, repeats: Int, ruleCounts: [Int]) throws -> JSONValue {
        let input = try EngineInput(scenarioPath: scenarioPath, rulesPath: rulesPath, seed: seed)
        let (scenario, ruleSet, sim, history, live) = (input.scenario, input.ruleSet, input.simulator, input.history, input.live)
        func measure(_ rules: RuleSet) -> (rate: Double, seconds: Double, alerts: Int) {
            var rates: [Double] = [], walls: [Double] = []
            var alerts = 0
            for _ in 0..<max(1, repeats) {
                let stage = AlertingStage(ruleSet: rules, scenario: scenario, layout: sim.layout, applyActions: false)
                for h in history { stage.replayHistory(day: h.day, sales: h.sales) }
                let engine = stage.engine
                let clock = Stopwatch()
                engine.process(live)
                engine.finish(at: SimTime.start(ofDay: scenario.calendar.liveDays) - 1)
                let wall = clock.seconds
                alerts = engine.takeAlerts().count
                walls.append(wall)
                rates.append(Double(live.count) / wall)
            }
            return (median(rates), median(walls), alerts)
        }
        let all = measure(ruleSet)
        var scaling: [JSONValue] = []
        for n in ruleCounts where n >= 1 && n < ruleSet.rules.count {
            let m = measure(RuleSet(rules: Array(ruleSet.rules.prefix(n)), allowedLateness: ruleSet.allowedLateness))
            scaling.append(.object([("rules", .int(Int64(n))), ("events_per_second", .double(m.rate.rounded()))]))
        }
        scaling.append(.object([("rules", .int(Int64(ruleSet.rules.count))), ("events_per_second", .double(all.rate.rounded()))]))
        return .object([
            ("benchmark", .string("engine")),
            ("mode", .string("max")),
            ("scenario", .string(scenario.name)),
            ("rules_file", .string(rulesPath)),
            ("rules", .int(Int64(ruleSet.rules.count))),
            ("events", .int(Int64(live.count))),
            ("repeats", .int(Int64(max(1, repeats)))),
            ("wall_seconds", .double(all.seconds)),
            ("events_per_second", .double(all.rate.rounded())),
            ("alerts", .int(Int64(all.alerts))),
            ("rules_scaling", .array(scaling)),
        ])
    }

    /// Open-loop latency: the live stream is offered to the engine at a fixed rate; each event's
    /// latency runs from its *intended* send time (start + i / rate) to the end of its
    /// processing, so a stall is charged to every event that should have been processed during
    /// it (no coordinated omission). Recorded in an HdrHistogram (ns, 3 significant digits).
    public static func engineOpenLoop(scenarioPath: String, rulesPath: String, seed: UInt64?, rate: Double, duration: Double,
                                      hgrmPath: String?, budget: Int?) throws -> JSONValue {
        guard rate > 0, rate.isFinite, duration > 0, duration.isFinite else { throw LabError("--rate and --duration must be positive") }
        let input = try EngineInput(scenarioPath: scenarioPath, rulesPath: rulesPath, seed: seed)
        let stage = AlertingStage(ruleSet: input.ruleSet, scenario: input.scenario, layout: input.simulator.layout, applyActions: false)
        for h in input.history { stage.replayHistory(day: h.day, sales: h.sales) }
        let engine = stage.engine
        engine.evaluationBudget = budget
        let n = min(input.live.count, Int(rate * duration))
        var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: .three)
        let interval = 1e9 / rate
        var late = 0
        let start = DispatchTime.now().uptimeNanoseconds + 1_000_000
        var done = start
        input.live.withUnsafeBufferPointer { events in
            for i in 0..<n {
                let intended = start + UInt64(Double(i) * interval)
                var now = DispatchTime.now().uptimeNanoseconds
                if now < intended {
                    while now < intended { now = DispatchTime.now().uptimeNanoseconds }
                } else if now > intended {
                    late += 1
                }
                engine.process(events[i])
                done = DispatchTime.now().uptimeNanoseconds
                _ = histogram.record(done - intended)
            }
        }
        let elapsed = Double(done - start) / 1e9
        if let hgrmPath {
            var text = ""
            histogram.outputPercentileDistribution(to: &text, outputValueUnitScalingRatio: 1000)
            do { try text.write(toFile: hgrmPath, atomically: true, encoding: .utf8) } catch {
                throw LabError("cannot write \(hgrmPath): \(error.localizedDescription)")
            }
        }
        func us(_ p: Double) -> JSONValue { .double(Double(histogram.valueAtPercentile(p)) / 1000) }
        return .object([
            ("benchmark", .string("engine")),
            ("mode", .string("open-loop")),
            ("scenario", .string(input.scenario.name)),
            ("rules", .int(Int64(input.ruleSet.rules.count))),
            ("evaluation_budget", budget.map { .int(Int64($0)) } ?? .null),
            ("events", .int(Int64(n))),
            ("offered_rate", .double(rate)),
            ("achieved_rate", .double((Double(n) / elapsed).rounded())),
            ("seconds", .double(elapsed)),
            ("events_late", .int(Int64(late))),
            ("events_dropped", .int(0)),
            ("latency_us", .object([
                ("p50", us(50)), ("p90", us(90)), ("p99", us(99)), ("p999", us(99.9)), ("p9999", us(99.99)),
                ("max", .double(Double(histogram.max) / 1000)),
            ])),
            ("hgrm", hgrmPath.map { .string($0) } ?? .null),
        ])
    }
}

/// The engine benchmarks' input: a scenario's history sales and its live stream, in memory.
struct EngineInput {
    let scenario: Scenario
    let ruleSet: RuleSet
    let simulator: Simulator
    let history: [(day: Int, sales: [StoreDaySales])]
    let live: [Event]

    init(scenarioPath: String, rulesPath: String, seed: UInt64?) throws {
        scenario = try Benchmarks.loadScenario(scenarioPath)
        do { ruleSet = try RuleSet.load(path: rulesPath) } catch let error as InputError {
            throw LabError(error.description, exitCode: LabError.invalidInput)
        }
        simulator = Simulator(scenario: scenario, seed: seed ?? scenario.seed)
        var history: [(day: Int, sales: [StoreDaySales])] = []
        var live: [Event] = []
        while simulator.day < simulator.endDay {
            simulator.step(observe: { obs in
                if obs.isLive { live.append(contentsOf: obs.events) } else { history.append((obs.day, obs.sales)) }
            }, truth: { _ in })
        }
        self.history = history
        self.live = live
    }
}
