import Alerting
import Foundation
import RunStore
import Simulation
import WarRoomCore

/// The lab's own benchmarks, run in release builds by `warroom bench` and `make bench`.
public enum Benchmarks {
    /// Loads a scenario or fails with the input error's message.
    static func loadScenario(_ path: String) throws -> Scenario {
        do { return try Scenario.load(path: path).scenario } catch let error as InputError {
            throw LabError(error)
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
    /// - Parameters:
    ///   - scenarioPath: the scenario file.
    ///   - seed: overrides the scenario's seed.
    ///   - repeats: timed runs; the median is reported.
    ///   - liveDays: overrides the scenario's live window length (for memory checks).
    ///   - instructions: also counts the timed region's instructions and cycles per event
    ///     (`HardwareCounters`), or says why the machine has none.
    ///   - delivery: also times the same window with the scenario's `delivery:`, each run right
    ///     after its instant twin (the scenario must have one).
    public static func simulation(scenarioPath: String, seed: UInt64?, repeats: Int, liveDays: Int? = nil,
                                  instructions: Bool = false, delivery: Bool = false) throws -> SimulationBenchmark {
        var scenario = try loadScenario(scenarioPath)
        if delivery && scenario.delivery.isInstant {
            throw LabError("\(scenarioPath) has no delivery: section (every source instant), so --delivery has nothing to measure; try scenarios/freshness.yaml")
        }
        if let liveDays {
            guard (1...3660).contains(liveDays) else { throw LabError("--live-days must be between 1 and 3660") }
            scenario.calendar.liveDays = liveDays
        }
        let seed = seed ?? scenario.seed
        var rates: [Double] = [], walls: [Double] = [], historyWalls: [Double] = [], deliveredRates: [Double] = []
        var events = 0
        var digest = ""
        var counting = EventCounts.Collector(enabled: instructions)
        for _ in 0..<max(1, repeats) {
            let sim = Simulator(scenario: scenario, seed: seed)
            let history = Stopwatch()
            while sim.day < 0 { sim.step(observe: { _ in }, truth: { _ in }) }
            historyWalls.append(history.seconds)
            let counters = counting.start()
            let clock = Stopwatch()
            let d = measuredLiveWindow(sim)
            let wall = clock.seconds
            counting.stop(counters, events: d.count)
            events = d.count
            digest = d.hex
            walls.append(wall)
            rates.append(Double(d.count) / wall)
            // The same live window with the scenario's delivery, right after (the ratio is of one run).
            if delivery {
                let sim = Simulator(scenario: scenario, seed: seed)
                while sim.day < 0 { sim.step(observe: { _ in }, truth: { _ in }) }
                let clock = Stopwatch()
                let delivered = measuredDeliveredWindow(sim, spec: scenario.delivery)
                deliveredRates.append(Double(delivered.count) / clock.seconds)
            }
        }
        var result = SimulationBenchmark(scenario: scenario.name, seed: seed, liveDays: scenario.calendar.liveDays, events: events, eventDigest: digest,
                                         repeats: rates.count, wallSeconds: median(walls), eventsPerSecond: median(rates).rounded(),
                                         eventsPerSecondRuns: rates.map { $0.rounded() }, historyWallSeconds: median(historyWalls),
                                         peakResidentMiB: ProcessMemory.peakResidentMiB().map { $0.rounded() }, counts: counting.result)
        if delivery {
            result.deliveredEventsPerSecondRuns = deliveredRates.map { $0.rounded() }
            result.deliveredEventsPerSecond = median(deliveredRates).rounded()
            result.deliveredOverInstantRatios = zip(deliveredRates, rates).map { ($0 / $1 * 1000).rounded() / 1000 }
        }
        return result
    }

    /// The simulator's live window with the scenario's delivery: each day's events given arrival
    /// times, held until they arrive and handed over in arrival order (the tail after the window
    /// too), then digested. Returns the digest of the events handed over (duplicates included).
    @inline(never)
    static func measuredDeliveredWindow(_ sim: Simulator, spec: DeliverySpec) -> EventDigest {
        var d = EventDigest()
        var delivery = Delivery(spec: spec, seed: sim.seed, days: sim.endDay)
        while sim.day < sim.endDay {
            sim.step(observe: { obs in
                delivery.deliverBatch(obs.events, day: obs.day, until: SimTime.start(ofDay: obs.day + 1)).forEach { d.add($0.event) }
            }, truth: { _ in })
        }
        for a in delivery.deliver([], day: sim.endDay, until: .max) { d.add(a.event) }
        return d
    }

    /// Event-log write speed into SQLite: the scenario's live events are generated into memory
    /// first, then written by the run store's recorder into a fresh file, timed alone.
    public static func recording(scenarioPath: String, seed: UInt64?, liveDays: Int, repeats: Int) throws -> RecordingBenchmark {
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
        return RecordingBenchmark(scenario: scenario.name, liveDays: scenario.calendar.liveDays, events: total, repeats: rates.count,
                                  wallSeconds: median(walls), eventsPerSecond: median(rates).rounded(), eventsPerSecondRuns: rates.map { $0.rounded() })
    }
}

extension Benchmarks {
    /// Peak sustained alert-engine throughput: the scenario's live stream is generated into
    /// memory first (the history replayed to the engine as daily summaries, untimed), then the
    /// engine alone consumes the live events on one core, timed. Also measured with the first
    /// rule only, and with each prefix size in `ruleCounts`, in the same run.
    public static func engine(scenarioPath: String, rulesPath: String, seed: UInt64?, repeats: Int, ruleCounts: [Int],
                              liveDays: Int? = nil, instructions: Bool = false, delivery: Bool = false) throws -> EngineBenchmark {
        let input = try EngineInput(scenarioPath: scenarioPath, rulesPath: rulesPath, seed: seed, liveDays: liveDays)
        let (scenario, ruleSet, live) = (input.scenario, input.ruleSet, input.live)
        if delivery && scenario.delivery.isInstant {
            throw LabError("\(scenarioPath) has no delivery: section (every source instant), so --delivery has nothing to measure; try scenarios/freshness.yaml")
        }
        func measure(_ rules: RuleSet) -> (rate: Double, seconds: Double, alerts: Int) {
            closedLoop(input: input, rules: rules, repeats: repeats)
        }
        var counting = EventCounts.Collector(enabled: instructions)
        let all = closedLoop(input: input, rules: ruleSet, repeats: repeats, counting: &counting)
        // Fewer rules: the file's first N; more: generated variants of them (RuleSet.variants).
        var points: [(rules: Int, rate: Double)] = [(ruleSet.rules.count, all.rate)]
        for n in Set(ruleCounts) where n >= 1 && n != ruleSet.rules.count {
            let rules = n < ruleSet.rules.count ? RuleSet(rules: Array(ruleSet.rules.prefix(n)), allowedLateness: ruleSet.allowedLateness)
                                                : ruleSet.variants(count: n)
            points.append((n, measure(rules).rate))
        }
        var result = EngineBenchmark(scenario: scenario.name, rulesFile: rulesPath, rules: ruleSet.rules.count, events: live.count, repeats: max(1, repeats),
                                     wallSeconds: all.seconds, eventsPerSecond: all.rate.rounded(), alerts: all.alerts,
                                     rulesScaling: points.sorted { $0.rules < $1.rules }.map { ($0.rules, $0.rate.rounded()) }, counts: counting.result)
        if delivery { result.delivery = deliveredRuns(input: input, repeats: repeats) }
        return result
    }

    /// The engine on the live stream in the scenario's arrival order against the same events in
    /// event order, with the same rules and the delivery's lateness, one run of each in turn.
    static func deliveredRuns(input: EngineInput, repeats: Int) -> EngineBenchmark.DeliveryRuns {
        let scenario = input.scenario
        var rules = input.ruleSet
        if let lateness = scenario.delivery.lateness { rules.allowedLateness = lateness }
        var delivery = Delivery(spec: scenario.delivery, seed: input.simulator.seed, days: scenario.calendar.liveDays)
        let arrived = delivery.deliverAll(input.live, days: scenario.calendar.liveDays).map(\.event)
        let end = SimTime.start(ofDay: scenario.calendar.liveDays) - 1
        func run(_ events: [Event]) -> (rate: Double, late: Int) {
            let stage = AlertingStage(ruleSet: rules, scenario: scenario, layout: input.simulator.layout, applyActions: false)
            for h in input.history { stage.replayHistory(day: h.day, sales: h.sales) }
            let engine = stage.engine
            let clock = Stopwatch()
            measuredEngineRun(engine, live: events, end: end)
            return (Double(events.count) / clock.seconds, engine.lateEvents)
        }
        var out = EngineBenchmark.DeliveryRuns(events: arrived.count)
        for _ in 0..<max(1, repeats) {
            out.orderedRuns.append(run(input.live).rate.rounded())
            let d = run(arrived)
            out.deliveredRuns.append(d.rate.rounded())
            out.lateEvents = d.late
        }
        return out
    }

    /// The engine's peak sustained rate on `input`'s live stream with `rules` (history replayed
    /// untimed; the live events fed as fast as the engine takes them, due ticks evaluated
    /// inline): the median over `repeats` runs, its wall time and the alerts.
    static func closedLoop(input: EngineInput, rules: RuleSet, repeats: Int) -> (rate: Double, seconds: Double, alerts: Int) {
        var none = EventCounts.Collector(enabled: false)
        return closedLoop(input: input, rules: rules, repeats: repeats, counting: &none)
    }

    /// The same, with each run's timed region counted by `counting` (when it is enabled).
    static func closedLoop(input: EngineInput, rules: RuleSet, repeats: Int, counting: inout EventCounts.Collector) -> (rate: Double, seconds: Double, alerts: Int) {
        var rates: [Double] = [], walls: [Double] = []
        var alerts = 0
        for _ in 0..<max(1, repeats) {
            let stage = AlertingStage(ruleSet: rules, scenario: input.scenario, layout: input.simulator.layout, applyActions: false)
            for h in input.history { stage.replayHistory(day: h.day, sales: h.sales) }
            let engine = stage.engine
            let counters = counting.start()
            let clock = Stopwatch()
            measuredEngineRun(engine, live: input.live, end: SimTime.start(ofDay: input.scenario.calendar.liveDays) - 1)
            let wall = clock.seconds
            counting.stop(counters, events: input.live.count)
            alerts = engine.takeAlerts().count
            walls.append(wall)
            rates.append(Double(input.live.count) / wall)
        }
        return (median(rates), median(walls), alerts)
    }

    /// The simulator's live window, events generated, ordered and digested: the region `bench
    /// sim` times and `make bench-count` counts (callgrind collects inside this function only,
    /// so it must stay a function of its own).
    @inline(never)
    static func measuredLiveWindow(_ sim: Simulator) -> EventDigest {
        var d = EventDigest()
        while sim.day < sim.endDay {
            sim.step(observe: { obs in for e in obs.events { d.add(e) } }, truth: { _ in })
        }
        return d
    }

    /// The engine's closed loop on the live events and the last ticks: the region `bench engine
    /// --max` times and `make bench-count` counts (a function of its own, for callgrind).
    @inline(never)
    static func measuredEngineRun(_ engine: AlertEngine, live: [Event], end: Millis) {
        engine.process(live)
        engine.finish(at: end)
    }

    /// Closed loop on a warm engine: the first half of `events` is fed untimed (keys met, window
    /// memory touched, as in an engine that has been running), the second half timed to the end
    /// of its last tick. Returns the timed half's events/s and its key evaluations.
    static func secondHalfRate(of events: [Event], on engine: AlertEngine) -> (rate: Double, evaluations: Int) {
        guard let last = events.last, events.count >= 2 else { return (0, 0) }
        let half = events.count / 2
        engine.process(events[..<half])
        _ = engine.takeAlerts()
        let warmed = engine.keyEvaluations
        let clock = Stopwatch()
        engine.process(events[half...])
        engine.finish(at: last.time)
        let rate = Double(events.count - half) / clock.seconds
        _ = engine.takeAlerts()
        return (rate, engine.keyEvaluations - warmed)
    }

    /// Open-loop latency: the live stream is offered to the engine at a fixed rate; each event's
    /// latency runs from its *intended* send time (start + i / rate) to the end of its
    /// processing, so a stall is charged to every event that should have been processed during
    /// it (no coordinated omission). Recorded in an HdrHistogram (ns, 3 significant digits).
    ///
    /// The clock is read once per event when the engine is behind (the end of one event is the
    /// start of the next) and spun on when it is ahead. With `tickWork = .deferred` the engine
    /// evaluates due ticks while it waits for the next event, one key at a time, as a server
    /// does when its input queue is empty; the alerts' own delay (tick due → emitted) is
    /// reported beside the events' latency.
    public static func engineOpenLoop(scenarioPath: String, rulesPath: String, seed: UInt64?, rate: Double, duration: Double,
                                      warmup: Double, hgrmPath: String?, tickWork: TickWork) throws -> OpenLoopBenchmark {
        guard rate > 0, rate.isFinite, duration > 0, duration.isFinite else { throw LabError("--rate and --duration must be positive") }
        guard warmup >= 0, warmup.isFinite else { throw LabError("--warmup must be zero or positive") }
        let input = try EngineInput(scenarioPath: scenarioPath, rulesPath: rulesPath, seed: seed)
        let result = OpenLoop.run(input: input, rate: rate, duration: duration, warmup: warmup, tickWork: tickWork)
        guard result.events > 0 else {
            throw LabError("the live stream has \(input.live.count) events, all taken by the warm-up (\(warmup) s at \(rate) events/s): lower --warmup or --rate")
        }
        if let hgrmPath {
            do { try result.hgrm.write(toFile: hgrmPath, atomically: true, encoding: .utf8) } catch {
                throw LabError("cannot write \(hgrmPath): \(error.localizedDescription)")
            }
        }
        // Is the tail the engine's or the machine's? The same schedule against this machine's
        // own stalls, measured right after.
        return OpenLoopBenchmark(scenario: input.scenario.name, loop: result, machine: result.machineFloor(), hgrmPath: hgrmPath)
    }
}

/// The engine benchmarks' input: a scenario's history sales and its live stream, in memory.
struct EngineInput {
    let scenario: Scenario
    let ruleSet: RuleSet
    let simulator: Simulator
    let history: [(day: Int, sales: [StoreDaySales])]
    let live: [Event]

    /// An input made of a run's own parts (its history's daily sales and a sample of its live stream).
    init(scenario: Scenario, ruleSet: RuleSet, simulator: Simulator, history: [(day: Int, sales: [StoreDaySales])], live: [Event]) {
        self.scenario = scenario
        self.ruleSet = ruleSet
        self.simulator = simulator
        self.history = history
        self.live = live
    }

    init(scenarioPath: String, rulesPath: String, seed: UInt64?, liveDays: Int? = nil) throws {
        var scenario = try Benchmarks.loadScenario(scenarioPath)
        if let liveDays {
            guard (1...3660).contains(liveDays) else { throw LabError("--live-days must be between 1 and 3660") }
            scenario.calendar.liveDays = liveDays
        }
        self.scenario = scenario
        do { ruleSet = try RuleSet.load(path: rulesPath) } catch let error as InputError {
            throw LabError(error)
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
