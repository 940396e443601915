import Reporting

extension LoadSweep {
    /// Latency judged against the machine's floor (issue "Toward the machine's limit"): at 50%
    /// of peak the engine's p99 at most 1.25 × the p99 this machine's stalls alone give at the
    /// engine's mean service time, and its own service time p99 ≤ 1 µs and p99.9 ≤ 5 µs.
    static let floorRatioTarget = 1.25, serviceP99Target = 1.0, serviceP999Target = 5.0
    /// A load with fewer events than this says too little to be drawn.
    static let minimumDrawnEvents = 200_000

    /// A point's p99 over the machine's floor there: its stalls replayed at the point's schedule
    /// with the engine's mean service time (nil without a measured floor).
    static func floorRatio(p99: Double, machine: MachineStalls.Floor?) -> Double? {
        guard let m = machine, m.p99AtService > 0 else { return nil }
        return p99 / m.p99AtService
    }

    /// The verdicts on one load: p99 over the floor, service time p99 and p99.9.
    ///
    /// - Parameters:
    ///   - share: the load, as text ("50%").
    ///   - p99: the engine's p99 latency there, µs.
    ///   - machine: the machine's floor measured right after it.
    ///   - serviceP99: the engine's service time p99, µs.
    ///   - serviceP999: the engine's service time p99.9, µs.
    static func floorVerdicts(share: String, p99: Double, machine: MachineStalls.Floor?, serviceP99: Double?,
                              serviceP999: Double?) -> [(what: String, figure: String, met: Bool?)] {
        var out: [(String, String, Bool?)] = []
        if let ratio = floorRatio(p99: p99, machine: machine), let m = machine {
            out.append((L("p99 over this machine's floor at {0} of peak (target ≤ 1.25×)", share),
                        L("{0}× ({1} of {2} µs)", String(format: "%.2f", ratio), String(format: "%.2f", p99), String(format: "%.2f", m.p99AtService)),
                        ratio <= floorRatioTarget))
        } else {
            out.append((L("p99 over this machine's floor at {0} of peak (target ≤ 1.25×)", share), L("not measured"), nil))
        }
        out.append((L("service time p99 at {0} of peak (target ≤ 1 µs)", share), serviceP99.map { String(format: "%.3f µs", $0) } ?? L("not measured"),
                    serviceP99.map { $0 <= serviceP99Target }))
        out.append((L("service time p99.9 at {0} of peak (target ≤ 5 µs)", share), serviceP999.map { String(format: "%.3f µs", $0) } ?? L("not measured"),
                    serviceP999.map { $0 <= serviceP999Target }))
        return out
    }

    /// The verdicts as JSON: what, figure, met.
    static func verdictsJSON(_ verdicts: [(what: String, figure: String, met: Bool?)]) -> JSONValue {
        .array(verdicts.map { v in .object([("what", .string(v.what)), ("figure", .string(v.figure)), ("met", v.met.map { .bool($0) } ?? .null)]) })
    }
}
