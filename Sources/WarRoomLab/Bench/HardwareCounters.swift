import CPerfEvent
import Foundation
import Reporting

/// This thread's instructions and cycles in user space, from the kernel's hardware counters
/// (`perf_event_open`), around a benchmark's timed region: `warroom bench sim|engine
/// --instructions`. Virtual machines often give no such counters; then `start()` says why.
public final class HardwareCounters {
    /// What the counters counted: instructions and cycles.
    public struct Counts: Sendable, Equatable {
        /// Instructions retired in user space.
        public var instructions: UInt64
        /// CPU cycles in user space.
        public var cycles: UInt64
    }

    let instructionsFD: Int32, cyclesFD: Int32

    private init(instructions: Int32, cycles: Int32) {
        instructionsFD = instructions
        cyclesFD = cycles
    }

    deinit {
        close(instructionsFD)
        close(cyclesFD)
    }

    /// Opens and starts both counters, or says why this machine has none (a virtual machine
    /// without a PMU, `perf_event_paranoid`, a seccomp filter).
    public static func start() -> Result<HardwareCounters, CountersUnavailable> {
        start(type: warroom_perf_hardware, warroom_perf_instructions, warroom_perf_cycles)
    }

    /// Opens and starts two counters of one type: the hardware pair, or (for the tests, which
    /// need counters that virtual machines have too) a software pair such as task clock and page
    /// faults, read back as `instructions` and `cycles`.
    static func start(type: UInt32, _ first: UInt64, _ second: UInt64) -> Result<HardwareCounters, CountersUnavailable> {
        let i = warroom_perf_open(type, first)
        guard i >= 0 else { return .failure(CountersUnavailable(errno: errno)) }
        let c = warroom_perf_open(type, second)
        guard c >= 0 else {
            let e = errno
            close(i)
            return .failure(CountersUnavailable(errno: e))
        }
        let counters = HardwareCounters(instructions: i, cycles: c)
        guard warroom_perf_switch(i, 1) == 0, warroom_perf_switch(c, 1) == 0 else { return .failure(CountersUnavailable(errno: errno)) }
        return .success(counters)
    }

    /// Stops both counters and reads them.
    public func stop() -> Counts {
        _ = warroom_perf_switch(instructionsFD, 0)
        _ = warroom_perf_switch(cyclesFD, 0)
        func value(_ fd: Int32) -> UInt64 {
            var v: UInt64 = 0
            return read(fd, &v, 8) == 8 ? v : 0
        }
        return Counts(instructions: value(instructionsFD), cycles: value(cyclesFD))
    }
}

/// Why the hardware counters could not be opened.
public struct CountersUnavailable: Error, Sendable, CustomStringConvertible {
    /// The error number of `perf_event_open`.
    public var errno: Int32

    /// The reason, as the kernel gives it, with what it usually means.
    public var description: String {
        let reason = String(cString: strerror(errno))
        switch errno {
        case ENOENT, EOPNOTSUPP, ENODEV:
            return "hardware counters not supported on this machine (perf_event_open: \(reason); virtual machines often expose none)"
        case EACCES, EPERM:
            return "hardware counters not allowed (perf_event_open: \(reason); see /proc/sys/kernel/perf_event_paranoid)"
        default:
            return "hardware counters unavailable (perf_event_open: \(reason))"
        }
    }
}

/// Instructions and cycles per event of a benchmark's timed region (`--instructions`): the
/// medians over its runs, or why the machine gave none.
public struct EventCounts: Sendable, Equatable {
    /// Instructions and cycles per event (nil when not counted).
    public var instructionsPerEvent: Double?, cyclesPerEvent: Double?
    /// Why there are no counts (nil when there are).
    public var unavailable: String?

    /// Collects the counts of a benchmark's runs.
    struct Collector {
        let enabled: Bool
        var perEvent: [(instructions: Double, cycles: Double)] = []
        var unavailable: CountersUnavailable?

        /// Starts the counters for one run when asked to count (nil otherwise, or when unavailable).
        mutating func start() -> HardwareCounters? {
            guard enabled, unavailable == nil else { return nil }
            switch HardwareCounters.start() {
            case .success(let c): return c
            case .failure(let e): unavailable = e; return nil
            }
        }

        /// Stops a run's counters and keeps its counts per event.
        mutating func stop(_ counters: HardwareCounters?, events: Int) {
            guard let counters, events > 0 else { return }
            let c = counters.stop()
            perEvent.append((Double(c.instructions) / Double(events), Double(c.cycles) / Double(events)))
        }

        /// The medians, or nil when counting was not asked for.
        var result: EventCounts? {
            guard enabled else { return nil }
            if perEvent.isEmpty { return EventCounts(unavailable: unavailable?.description ?? "no run was counted") }
            func round1(_ v: Double) -> Double { (v * 10).rounded() / 10 }
            return EventCounts(instructionsPerEvent: round1(Benchmarks.median(perEvent.map(\.instructions))),
                               cyclesPerEvent: round1(Benchmarks.median(perEvent.map(\.cycles))))
        }
    }

    /// The counts as JSON: `instructions_per_event`, `cycles_per_event`, `unavailable`.
    public var json: JSONValue {
        .object([("instructions_per_event", .number(instructionsPerEvent)), ("cycles_per_event", .number(cyclesPerEvent)),
                 ("unavailable", unavailable.map { .string($0) } ?? .null)])
    }
}
