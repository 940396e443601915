import Alerting
import Foundation
import Histogram
import Reporting
import WarRoomCore

/// `warroom bench sweep-load`: where the alert engine breaks. Latency against offered load
/// (open loop, fractions of the measured peak), throughput against the number of rules
/// (generated variants of the rule file) and against key cardinality (the stream's stores
/// replicated), with the figures the latency targets are judged on.
public struct LoadSweep {
    /// What to measure.
    public struct Options: Sendable {
        /// Scenario file (its live stream is the load).
        public var scenarioPath: String
        /// Rule file.
        public var rulesPath: String
        /// Seed; the scenario's own when nil.
        public var seed: UInt64?
        /// Offered loads as fractions of the peak.
        public var loadFractions: [Double]
        /// Recorded seconds per load (after the warm-up); capped by the stream's length.
        public var seconds: Double
        /// Seconds of load offered first at each point, not recorded.
        public var warmup: Double
        /// Rule counts of the throughput-versus-rules curve.
        public var ruleCounts: [Int]
        /// Store counts of the throughput-versus-keys curve.
        public var storeCounts: [Int]
        /// Live days of the stream used for the key-cardinality curve.
        public var cardinalityDays: Int
        /// Repetitions of each measurement: the median closed-loop rate is kept, and of a load
        /// point the run with the median p99 (one stall of the machine can make a single run's
        /// tail milliseconds).
        public var repeats: Int

        /// Options for a scenario and a rule file; what is not given has its default.
        public init(scenarioPath: String, rulesPath: String, seed: UInt64? = nil,
                    loadFractions: [Double] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2], seconds: Double = 1.5,
                    warmup: Double = 0.5, ruleCounts: [Int] = [1, 27, 100, 1000], storeCounts: [Int] = [237, 1_000, 10_000, 100_000],
                    cardinalityDays: Int = 14, repeats: Int = 3) {
            self.scenarioPath = scenarioPath
            self.rulesPath = rulesPath
            self.seed = seed
            self.loadFractions = loadFractions
            self.seconds = seconds
            self.warmup = warmup
            self.ruleCounts = ruleCounts
            self.storeCounts = storeCounts
            self.cardinalityDays = cardinalityDays
            self.repeats = repeats
        }
    }

    /// One point of the latency-versus-load curve.
    public struct LoadPoint: Sendable {
        /// Offered load as a fraction of the peak.
        public var fraction: Double
        /// Offered and achieved rates, events/s.
        public var offered: Double, achieved: Double
        /// Latency percentiles, µs: p50, p90, p99, p99.9, p99.99, max.
        public var p50: Double, p90: Double, p99: Double, p999: Double, p9999: Double, max: Double
        /// Events whose send time had passed before the engine took them.
        public var late: Int
        /// Events recorded.
        public var events: Int
        /// Alert delay (tick due → emitted), µs: median and p99.
        public var alertDelayP50: Double, alertDelayP99: Double
        /// The latency distribution as (percentile, µs) pairs, for the percentile plot.
        public var distribution: [(percentile: Double, micros: Double)]
        /// The p99 of every run of this load, µs, ascending (the point is the median one's).
        public var p99Runs: [Double] = []
        /// This machine's stalls measured right after this load, replayed at its schedule (nil
        /// when not measured).
        public var machine: MachineStalls.Floor?
        /// The engine's own service time per event, µs: p99 and p99.9 (nil when not measured).
        public var serviceP99: Double?, serviceP999: Double?
    }

    /// The options measured.
    public var options: Options
    /// Scenario name.
    public var scenario = ""
    /// The scenario's `language:` (nil: not set), for the report's default language.
    public var scenarioLanguage: String?
    /// Rules in the file.
    public var rules = 0
    /// Live events in the stream.
    public var streamEvents = 0
    /// Peak sustained rate with the file's rules, events/s (closed loop, median).
    public var peak = 0.0
    /// Latency against offered load.
    public var load: [LoadPoint] = []
    /// Throughput against rule count: (rules, events/s).
    public var byRules: [(rules: Int, rate: Double)] = []
    /// Throughput against store count: (stores, events/s, window state MiB the engine held at
    /// the end, key evaluations per timed event).
    public var byStores: [(stores: Int, rate: Double, stateMiB: Double, evaluationsPerEvent: Double)] = []
    /// Store counts left out because their window state might not fit in memory, with its upper bound in MiB.
    public var storesSkipped: [(stores: Int, stateMiB: Double)] = []
    /// The HdrHistogram text of the point nearest 50% of peak.
    public var hgrmAtHalf = ""
    /// This machine's stalls measured right after the point nearest 50% of peak, replayed at its
    /// offered rate: what the machine alone imposes on that load.
    public var machineAtHalf: MachineStalls.Floor?

    /// Runs every measurement.
    ///
    /// - Parameters:
    ///   - options: the scenario, rules, loads, rule and store counts and repeats to measure.
    ///   - progress: called before each measurement with the measurements done, their total and
    ///     what comes next.
    public static func run(_ options: Options, progress: (_ done: Int, _ total: Int, _ next: String) -> Void = { _, _, _ in }) throws -> LoadSweep {
        guard options.seconds > 0, options.warmup >= 0, options.loadFractions.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw LabError("sweep-load: seconds and load fractions must be positive, warm-up zero or more")
        }
        guard options.ruleCounts.allSatisfy({ (1...100_000).contains($0) }), options.storeCounts.allSatisfy({ (1...1_000_000).contains($0) }) else {
            throw LabError("sweep-load: rule counts must be 1…100,000 and store counts 1…1,000,000")
        }
        let input = try EngineInput(scenarioPath: options.scenarioPath, rulesPath: options.rulesPath, seed: options.seed)
        var out = LoadSweep(options: options)
        out.scenario = input.scenario.name
        out.scenarioLanguage = input.scenario.language
        out.rules = input.ruleSet.rules.count
        out.streamEvents = input.live.count

        let total = 1 + options.loadFractions.count + options.ruleCounts.count + options.storeCounts.count
        var done = 0
        func step(_ next: String) { progress(done, total, next); done += 1 }
        step("peak, \(input.ruleSet.rules.count) rules")
        out.peak = Benchmarks.closedLoop(input: input, rules: input.ruleSet, repeats: options.repeats).rate

        for f in options.loadFractions.sorted() {
            let rate = (f * out.peak).rounded()
            step(String(format: "load %.0f%% of peak", f * 100))
            var runs: [OpenLoop] = []
            for _ in 0..<max(1, options.repeats) {
                let r = OpenLoop.run(input: input, rate: rate, duration: options.seconds, warmup: options.warmup, tickWork: .deferred)
                guard r.events > 0 else { throw LabError("sweep-load: the stream is too short for \(options.warmup) s of warm-up at \(rate) events/s") }
                runs.append(r)
            }
            runs.sort { $0.latencyMicros(99) < $1.latencyMicros(99) }
            let r = runs[runs.count / 2]
            out.load.append(LoadPoint(
                fraction: f, offered: rate, achieved: r.achievedRate,
                p50: r.latencyMicros(50), p90: r.latencyMicros(90), p99: r.latencyMicros(99), p999: r.latencyMicros(99.9),
                p9999: r.latencyMicros(99.99), max: Double(r.latency.max) / 1000, late: r.late, events: r.events,
                alertDelayP50: r.alertDelay.totalCount > 0 ? Double(r.alertDelay.valueAtPercentile(50)) / 1000 : 0,
                alertDelayP99: r.alertDelay.totalCount > 0 ? Double(r.alertDelay.valueAtPercentile(99)) / 1000 : 0,
                distribution: r.latency.percentilePoints().map { ($0.percentile, $0.value) }, p99Runs: runs.map { $0.latencyMicros(99) },
                machine: r.machineFloor(), serviceP99: OpenLoop.micros(r.service, 99), serviceP999: OpenLoop.micros(r.service, 99.9)))
            if abs(f - 0.5) < 1e-9 || (out.hgrmAtHalf.isEmpty && f > 0.5) {
                out.hgrmAtHalf = r.hgrm
                out.machineAtHalf = out.load.last?.machine
            }
        }

        for n in options.ruleCounts.sorted() {
            step("\(n) rules")
            let rules = n <= input.ruleSet.rules.count ? RuleSet(rules: Array(input.ruleSet.rules.prefix(n)), allowedLateness: input.ruleSet.allowedLateness)
                                                       : input.ruleSet.variants(count: n)
            out.byRules.append((n, Benchmarks.closedLoop(input: input, rules: rules, repeats: options.repeats).rate))
        }

        let days = SimTime.start(ofDay: max(1, options.cardinalityDays))
        let head = Array(input.live.prefix { $0.time < days })
        let layout = input.simulator.layout
        let probe = AlertEngine(ruleSet: input.ruleSet)
        for n in options.storeCounts.sorted() {
            // Window state grows with the keys: refuse a point that would not fit in half the
            // machine's memory rather than swap.
            let r = Self.replicas(stores: n, base: layout.stores.count)
            let bound = probe.paneBytesBound(keys: { scope in
                switch scope {
                case .store: return layout.stores.count * r
                case .city: return layout.cities.count * r
                case .region: return layout.regions.count * r
                case .rep: return layout.reps.count * r
                case .customer: return head.count  // at most one new account per event
                case .global: return 1
                }
            }, events: head.count)
            step("\(n) stores")
            if Double(bound) > 0.5 * Double(ProcessInfo.processInfo.physicalMemory) {
                out.storesSkipped.append((layout.stores.count * r, Double(bound) / 1_048_576))
                continue
            }
            let replicated = Self.replicate(head, layout: layout, stores: n)
            let measured = Self.warmRate(replicated.events, rules: input.ruleSet, repeats: options.repeats)
            out.byStores.append((replicated.stores, measured.rate, Double(measured.paneBytes) / 1_048_576, measured.evaluationsPerEvent))
        }
        progress(total, total, "done")
        return out
    }

    /// The stream with its world replicated: stores, cities, regions and reps R times over
    /// (R = stores / the scenario's stores, rounded up), each event sent to one replica — by
    /// its customer, or by its position for events without one — so the event rate and mix
    /// stay the same while the number of keys grows R times.
    static func replicate(_ events: [Event], layout: WorldLayout, stores: Int) -> (events: [Event], stores: Int) {
        let base = layout.stores.count
        let r = replicas(stores: stores, base: base)
        guard r > 1 else { return (events, base) }
        let cities = layout.cities.count, regions = layout.regions.count, reps = layout.reps.count
        var out = events
        for i in out.indices {
            var e = out[i]
            let seed = e.customer >= 0 ? UInt64(e.customer) : UInt64(i)
            let k = Int((seed &* 0x9E37_79B9_7F4A_7C15) >> 33) % r
            if e.store >= 0 { e.store += Int32(base * k) }
            if e.city >= 0 { e.city = Int16(clamping: Int(e.city) + cities * k) }
            if e.region >= 0 { e.region = Int16(clamping: Int(e.region) + regions * k) }
            if e.rep >= 0 { e.rep += Int32(reps * k) }
            out[i] = e
        }
        return (out, base * r)
    }

    /// Replicas of a world of `base` stores needed for at least `stores` stores.
    static func replicas(stores: Int, base: Int) -> Int { max(1, (stores + max(1, base) - 1) / max(1, base)) }

    /// Closed-loop rate on the second half of `events`, after the first half has warmed an
    /// empty engine (no history): keys created and their memory touched, as in a running engine;
    /// the window state the engine held at the end, and the key evaluations per timed event.
    static func warmRate(_ events: [Event], rules: RuleSet, repeats: Int) -> (rate: Double, paneBytes: Int, evaluationsPerEvent: Double) {
        guard events.count >= 2 else { return (0, 0, 0) }
        var rates: [Double] = []
        var bytes = 0, evaluations = 0
        for _ in 0..<max(1, repeats) {
            let engine = AlertEngine(ruleSet: rules)
            let timed = Benchmarks.secondHalfRate(of: events, on: engine)
            rates.append(timed.rate)
            evaluations = timed.evaluations
            bytes = engine.paneBytes
        }
        return (Benchmarks.median(rates), bytes, Double(evaluations) / Double(events.count - events.count / 2))
    }
}
