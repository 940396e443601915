import Reporting

/// Open-loop alert-engine latency at a fixed offered rate (`warroom bench engine --rate R`),
/// with this machine's own stalls replayed on the same schedule beside it. Times in µs.
public struct OpenLoopBenchmark: Sendable {
    /// The scenario's name.
    public var scenario: String
    /// Events offered and recorded (the warm-up's left out).
    public var events: Int
    /// The offered and the achieved rate, events/s.
    public var offeredRate: Double, achievedRate: Double
    /// Events whose intended send time had passed before the engine could take them.
    public var eventsLate: Int
    /// Event latency from the intended send time: median, p99, p99.9 and longest.
    public var latencyP50: Double?, latencyP99: Double?, latencyP999: Double?, latencyMax: Double
    /// Event service time: mean (two decimals), p99 and longest.
    public var serviceMean: Double?, serviceP99: Double?, serviceMax: Double
    /// Offered rate × mean service, three decimals.
    public var eventUtilization: Double?
    /// Minor page faults while recording.
    public var pageFaults: Int
    /// Alert delay from its tick falling due to its emission: median and p99 (nil without alerts).
    public var alertDelayP50: Double?, alertDelayP99: Double?
    /// The machine's stalls on the same schedule, as shown (`MachineStalls.Floor.shown`).
    public var machine: MachineStalls.Floor
    /// The engine's p99 over the machine's floor (`machine.p99AtService`), three decimals (nil
    /// without either).
    public var p99OverFloor: Double? {
        latencyP99.flatMap { LoadSweep.floorRatio(p99: $0, machine: machine) }.map { ($0 * 1000).rounded() / 1000 }
    }
    /// The .hgrm file written, if asked.
    public var hgrmPath: String?
    /// The open loop's own figures (`OpenLoop.json`).
    var loop: JSONValue

    /// The figures of an open loop and the machine's floor under it.
    init(scenario: String, loop l: OpenLoop, machine: MachineStalls.Floor, hgrmPath: String?) {
        self.scenario = scenario
        events = l.events
        offeredRate = l.offeredRate
        achievedRate = l.achievedRate
        eventsLate = l.late
        latencyP50 = OpenLoop.micros(l.latency, 50)
        latencyP99 = OpenLoop.micros(l.latency, 99)
        latencyP999 = OpenLoop.micros(l.latency, 99.9)
        latencyMax = Double(l.latency.max) / 1000
        serviceMean = l.serviceMeanMicros
        serviceP99 = OpenLoop.micros(l.service, 99)
        serviceMax = Double(l.service.max) / 1000
        eventUtilization = l.eventUtilization
        pageFaults = l.pageFaults
        alertDelayP50 = OpenLoop.micros(l.alertDelay, 50)
        alertDelayP99 = OpenLoop.micros(l.alertDelay, 99)
        self.machine = machine.shown
        self.hgrmPath = hgrmPath
        loop = l.json
    }

    /// The figures as JSON (`warroom bench engine --rate R --json`).
    public var json: JSONValue {
        guard case .object(var fields) = loop else { return loop }
        fields.insert(("scenario", .string(scenario)), at: 0)
        fields.insert(("mode", .string("open-loop")), at: 0)
        fields.insert(("benchmark", .string("engine")), at: 0)
        fields.append(("hgrm", hgrmPath.map { .string($0) } ?? .null))
        // Rounding the shown figures again changes none of them.
        fields.append(("machine", machine.json))
        // The verdict against the floor: the engine's p99 over the stalls' own at its mean service time.
        fields.append(("tail_over_floor_ratio", .number(p99OverFloor)))
        return .object(fields)
    }
}
