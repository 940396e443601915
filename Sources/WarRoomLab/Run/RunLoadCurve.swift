import Alerting
import Foundation
import Reporting
import Simulation
import WarRoomCore

/// The alert engine's latency against offered load on a run's own stream: the first live days'
/// events (whole days until `sampleTarget`, at most `sampleLimit`) given to a fresh engine
/// warmed with the last `historyDays` days of history; the first half of them untimed, the
/// second half offered open loop at a quarter, half, three quarters and all of the engine's
/// closed-loop rate on the same events. A few seconds of wall clock per run; `warroom bench
/// sweep-load` measures the same curve on the whole live stream, with more loads and longer.
struct RunLoadCurve: Codable, Equatable {
    /// One offered load.
    struct Point: Codable, Equatable {
        var fraction: Double
        var offered: Double, achieved: Double
        /// Event latency from the intended send time, µs.
        var p50: Double, p90: Double, p99: Double, p999: Double, max: Double
        var late: Int, events: Int
        /// This machine's stalls measured right after this load, replayed at its schedule (nil
        /// in runs stored before it was measured at every load).
        var machine: MachineStalls.Floor?
        /// The engine's own service time per event, µs: p99 and p99.9 (nil in older runs).
        var serviceP99: Double?, serviceP999: Double?
    }

    /// Events offered (the sample).
    var sampleEvents: Int
    /// The engine's closed-loop rate on the sample, events per second.
    var peak: Double
    /// The loads, ascending.
    var points: [Point]
    /// This machine's stalls measured right after the half load, replayed at its schedule: what
    /// the machine alone imposes on it (nil in runs stored before it was measured).
    var machineAtHalf: MachineStalls.Floor?

    static let fractions = [0.25, 0.5, 0.75, 1.0]
    static let sampleTarget = 1_000_000, sampleLimit = 1_000_000
    static let historyDays = 35
    /// Recorded seconds per load at most, after at most `warmup` seconds (and a fifth of the
    /// sample) offered but not recorded.
    static let seconds = 0.25, warmup = 0.05

    /// Measures the curve; nil when the sample is too small to say anything (under 2,000 events).
    static func measure(scenario: Scenario, ruleSet: RuleSet, simulator: Simulator, history: [(day: Int, sales: [StoreDaySales])],
                        sample: [Event]) -> RunLoadCurve? {
        guard sample.count >= 2_000 else { return nil }
        let input = EngineInput(scenario: scenario, ruleSet: ruleSet, simulator: simulator, history: history, live: sample)
        // The first half of the sample warms the engine untimed (keys met, window memory touched,
        // as in an engine that has been running); the second half is measured. First closed loop:
        // the engine's rate when it never waits.
        let half = sample.count / 2
        let stage = AlertingStage(ruleSet: ruleSet, scenario: scenario, layout: simulator.layout, applyActions: false)
        for h in history { stage.replayHistory(day: h.day, sales: h.sales) }
        let peak = Benchmarks.secondHalfRate(of: sample, on: stage.engine).rate.rounded()
        var points: [Point] = []
        var machine: MachineStalls.Floor?
        for f in fractions {
            let rate = (f * peak).rounded()
            let warm = min(warmup, 0.2 * Double(sample.count - half) / rate)
            let r = OpenLoop.run(input: input, rate: rate, duration: seconds, warmup: warm, tickWork: .deferred, preload: half)
            guard r.events > 0 else { continue }
            points.append(Point(fraction: f, offered: rate, achieved: r.achievedRate, p50: r.latencyMicros(50), p90: r.latencyMicros(90),
                                p99: r.latencyMicros(99), p999: r.latencyMicros(99.9), max: Double(r.latency.max) / 1000,
                                late: r.late, events: r.events, machine: r.machineFloor(),
                                serviceP99: OpenLoop.micros(r.service, 99), serviceP999: OpenLoop.micros(r.service, 99.9)))
            if f == 0.5 { machine = points.last?.machine }
        }
        return RunLoadCurve(sampleEvents: sample.count, peak: peak, points: points, machineAtHalf: machine)
    }

    /// The curve as metrics.json's `alerts.load_curve`.
    var json: JSONValue {
        func n(_ v: Double) -> JSONValue { .double((v * 1000).rounded() / 1000) }
        func n(_ v: Double?) -> JSONValue { v.map { n($0) } ?? .null }
        let dominated = sweep(rules: 0).stallDominated
        let loads: [JSONValue] = points.indices.map { i in
            let p = points[i]
            let latency: JSONValue = .object([("p50", n(p.p50)), ("p90", n(p.p90)), ("p99", n(p.p99)), ("p999", n(p.p999)), ("max", n(p.max))])
            let service: JSONValue = .object([("p99", n(p.serviceP99)), ("p999", n(p.serviceP999))])
            return .object([
                ("fraction", n(p.fraction)), ("offered_events_per_second", .double(p.offered)), ("achieved_events_per_second", .double(p.achieved.rounded())),
                ("events", .int(Int64(p.events))), ("late_events", .int(Int64(p.late))), ("latency_us", latency),
                ("machine", p.machine?.json ?? .null), ("stall_dominated", .bool(dominated[i])), ("service_us", service),
                ("tail_over_floor_ratio", n(LoadSweep.floorRatio(p99: p.p99, machine: p.machine))),
            ])
        }
        return .object([
            ("sample_events", .int(Int64(sampleEvents))),
            ("peak_events_per_second", .double(peak.rounded())),
            ("load", .array(loads)),
            ("machine_at_half", machineAtHalf?.json ?? .null),
        ])
    }

    /// The curve as the latency lab draws it (`LoadSweep.loadChart()`).
    func sweep(rules: Int) -> LoadSweep {
        var s = LoadSweep(options: .init(scenarioPath: "", rulesPath: ""))
        s.rules = rules
        s.peak = peak
        s.streamEvents = sampleEvents
        s.load = points.map {
            LoadSweep.LoadPoint(fraction: $0.fraction, offered: $0.offered, achieved: $0.achieved, p50: $0.p50, p90: $0.p90, p99: $0.p99,
                                p999: $0.p999, p9999: $0.max, max: $0.max, late: $0.late, events: $0.events,
                                alertDelayP50: 0, alertDelayP99: 0, distribution: [], machine: $0.machine,
                                serviceP99: $0.serviceP99, serviceP999: $0.serviceP999)
        }
        return s
    }
}
