import Foundation
import Histogram
import Reporting

/// How this machine interrupts a busy thread, and the latency floor that sets for an open loop.
///
/// On a shared virtual machine the kernel and the hypervisor take the CPU away from a running
/// thread for tens of microseconds, hundreds of times a second. Behind each such stall an open
/// loop queues every event that should have been processed meanwhile, so its latency tail can be
/// the machine's rather than the engine's. `measure` records the stalls a thread sees while it
/// reads memory at random and the clock in a tight loop (reads of a working set as large as the
/// engine's, since a thread that works on memory is held longer than one that only spins);
/// `replay` runs an open-loop schedule against them with a fixed service time per event — the
/// latency an engine doing exactly that much work per event would record on this machine, at
/// that moment. With a service time of zero it is the floor no engine can go below.
public struct MachineStalls: Sendable {
    /// One stall: when it began (ns from the start of the measurement) and how long it lasted.
    public struct Stall: Sendable, Equatable {
        /// Start, ns from the start of the measurement.
        public var start: UInt64
        /// Length, ns.
        public var length: UInt64
        /// Creates a stall.
        public init(start: UInt64, length: UInt64) {
            self.start = start
            self.length = length
        }
    }

    /// A gap between two clock reads at least this long (ns) is a stall; shorter ones are the
    /// loop's own reads.
    public static let threshold: UInt64 = 2_000

    /// Nanoseconds measured.
    public var nanoseconds: UInt64
    /// The stalls, in time order, not overlapping.
    public var stalls: [Stall]

    /// Stalls given directly (for tests and replays of a recorded trace).
    public init(nanoseconds: UInt64, stalls: [Stall]) {
        self.nanoseconds = nanoseconds
        self.stalls = stalls
    }

    /// Measures for `seconds` the gaps of at least `threshold` a thread sees between clock reads,
    /// each after four reads at random places of a `workingSetBytes` buffer (its pages touched
    /// first, so no page fault counts as a stall).
    public static func measure(seconds: Double, workingSetBytes: Int) -> MachineStalls {
        let words = max(1 << 12, workingSetBytes / 8)
        let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        defer { buffer.deallocate() }
        for i in 0..<words { buffer[i] = UInt64(i) }
        let mask = UInt64(1 << (Int.bitWidth - 1 - words.leadingZeroBitCount)) - 1  // a power of two ≤ words, minus one
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15, sink: UInt64 = 0
        var stalls: [Stall] = []
        let duration = UInt64(max(0, seconds) * 1e9)
        let start = DispatchTime.now().uptimeNanoseconds
        var previous = start
        while true {
            for _ in 0..<4 {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17
                sink &+= buffer[Int(x & mask)]
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if now - previous >= threshold { stalls.append(Stall(start: previous - start, length: now - previous)) }
            previous = now
            if now - start >= duration { break }
        }
        // Keep the reads: the loop must not be optimised into a bare clock loop.
        if sink == 1 { stalls.append(Stall(start: previous - start, length: 0)) }
        return MachineStalls(nanoseconds: previous - start, stalls: stalls.filter { $0.length > 0 })
    }

    /// Stalls per second.
    public var perSecond: Double { nanoseconds > 0 ? Double(stalls.count) / (Double(nanoseconds) / 1e9) : 0 }

    /// The share of the time the thread was stalled.
    public var stalledShare: Double {
        nanoseconds > 0 ? Double(stalls.reduce(0) { $0 + $1.length }) / Double(nanoseconds) : 0
    }

    /// The stalls' lengths, ns, in a histogram.
    public var lengths: Histogram<UInt64> {
        var h = Self.histogram()
        for s in stalls { _ = h.record(s.length) }
        return h
    }

    /// The latencies (ns) of an open loop offering an event every 1/`rate` s over the measured
    /// time to a server that takes `serviceNanoseconds` per event, one at a time in order, and
    /// does nothing while a stall lasts (a stall that begins during an event's service extends
    /// it by its length). Each latency runs from the event's intended time to the end of its
    /// service, as the open-loop benchmark measures it.
    public func replay(rate: Double, serviceNanoseconds: Double) -> Histogram<UInt64> {
        var h = Self.histogram()
        guard rate > 0, rate.isFinite, serviceNanoseconds >= 0 else { return h }
        let interval = 1e9 / rate
        let events = Int(Double(nanoseconds) / interval)
        var free = 0.0  // when the server finishes the event before
        var next = 0    // the first stall that may still matter
        for i in 0..<events {
            let intended = Double(i) * interval
            var now = max(free, intended)
            var remaining = serviceNanoseconds
            while true {
                while next < stalls.count && Double(stalls[next].start + stalls[next].length) <= now { next += 1 }
                guard next < stalls.count else { now += remaining; break }
                let s = Double(stalls[next].start), end = Double(stalls[next].start + stalls[next].length)
                if s <= now {
                    now = end  // inside a stall: nothing happens until it ends
                } else if s < now + remaining {
                    remaining -= s - now  // the stall interrupts the service
                    now = end
                } else {
                    now += remaining
                    break
                }
            }
            free = now
            _ = h.record(UInt64((now - intended).rounded()))
        }
        return h
    }

    /// Service time (ns) of the replay that stands for an engine of any speed: far below any
    /// real engine's, so that at a given utilisation the latencies no longer depend on it.
    public static let anyEngineService = 50.0

    /// The latencies (ns) of an open loop that keeps a server busy `utilisation` of the time
    /// (events of `anyEngineService` each, offered at utilisation / service): what any engine,
    /// however fast, records on these stalls while its events keep it that busy. Behind a stall
    /// of length S the queue takes S·u/(1 − u) to drain whatever the service time, so the tail
    /// depends on the stalls and the utilisation, hardly on the engine's speed.
    public func replay(utilisation: Double) -> Histogram<UInt64> {
        guard utilisation > 0, utilisation < 1 else { return Self.histogram() }
        return replay(rate: utilisation / Self.anyEngineService * 1e9, serviceNanoseconds: Self.anyEngineService)
    }

    /// The highest utilisation at which an engine of any speed keeps its p99 within
    /// `microseconds` on these stalls (bisection to within 0.005; 0 when not even an engine
    /// that does no work does).
    public func highestUtilisation(p99AtMost microseconds: Double) -> Double {
        func p99(_ u: Double) -> Double { Double(replay(utilisation: u).valueAtPercentile(99)) / 1000 }
        guard p99(0.005) <= microseconds else { return 0 }
        var low = 0.005, high = 0.995
        if p99(high) <= microseconds { return high }
        while high - low > 0.005 {
            let mid = (low + high) / 2
            if p99(mid) <= microseconds { low = mid } else { high = mid }
        }
        return low
    }

    private static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: .three)
    }
}

extension MachineStalls {
    /// What the stalls mean for an open loop at one rate (times in µs).
    public struct Floor: Sendable, Codable, Equatable {
        /// Stalls per second and the share of the time they took.
        public var stallsPerSecond: Double, stalledShare: Double
        /// Stall lengths: median, p99 and longest.
        public var stallP50: Double, stallP99: Double, stallMax: Double
        /// Latency p99 and p99.9 with no work per event: what no engine can go below.
        public var p99: Double, p999: Double
        /// The service time per event of the second replay.
        public var service: Double
        /// Latency p99 and p99.9 with `service` per event and nothing else: an engine that never
        /// takes longer than its mean and is never held up by its own work between events.
        public var p99AtService: Double, p999AtService: Double
        /// The share of the time the events kept the engine busy: rate × mean service.
        public var eventUtilisation: Double
        /// A p99 bound (µs) and the highest event utilisation at which any engine, however fast,
        /// keeps its p99 within it on these stalls (nil when not asked).
        public var p99Bound: Double?, utilisationForBound: Double?

        /// The figures as they are shown: stalls per second whole, the others to three decimals.
        public var shown: Floor {
            func n(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
            return Floor(stallsPerSecond: stallsPerSecond.rounded(), stalledShare: n(stalledShare),
                         stallP50: n(stallP50), stallP99: n(stallP99), stallMax: n(stallMax), p99: n(p99), p999: n(p999), service: n(service),
                         p99AtService: n(p99AtService), p999AtService: n(p999AtService), eventUtilisation: n(eventUtilisation),
                         p99Bound: p99Bound.map(n), utilisationForBound: utilisationForBound.map(n))
        }

        /// The figures as JSON (as shown).
        var json: JSONValue {
            let s = shown
            return .object([
                ("stalls_per_second", .double(s.stallsPerSecond)), ("stalled_share", .double(s.stalledShare)),
                ("stall_us", .object([("p50", .double(s.stallP50)), ("p99", .double(s.stallP99)), ("max", .double(s.stallMax))])),
                ("floor_us", .object([("p99", .double(s.p99)), ("p999", .double(s.p999))])),
                ("service_us", .double(s.service)),
                ("at_service_us", .object([("p99", .double(s.p99AtService)), ("p999", .double(s.p999AtService))])),
                ("event_utilisation", .double(s.eventUtilisation)),
                ("highest_utilisation_for_p99", s.p99Bound.map { b in
                    .object([("latency_bound_us", .double(b)), ("utilisation", .number(s.utilisationForBound))])
                } ?? .null),
            ])
        }
    }

    /// Replays an open loop at `rate` against the stalls with no work per event and with
    /// `serviceNanoseconds` per event; given `p99Bound` (µs), also finds the highest event
    /// utilisation at which any engine keeps its p99 within it.
    public func floor(rate: Double, serviceNanoseconds: Double, p99Bound: Double? = nil) -> Floor {
        let lengths = self.lengths, zero = replay(rate: rate, serviceNanoseconds: 0), busy = replay(rate: rate, serviceNanoseconds: serviceNanoseconds)
        func us(_ h: Histogram<UInt64>, _ p: Double) -> Double { h.totalCount > 0 ? Double(h.valueAtPercentile(p)) / 1000 : 0 }
        return Floor(stallsPerSecond: perSecond, stalledShare: stalledShare,
                     stallP50: us(lengths, 50), stallP99: us(lengths, 99), stallMax: lengths.totalCount > 0 ? Double(lengths.max) / 1000 : 0,
                     p99: us(zero, 99), p999: us(zero, 99.9), service: serviceNanoseconds / 1000,
                     p99AtService: us(busy, 99), p999AtService: us(busy, 99.9),
                     eventUtilisation: rate * serviceNanoseconds / 1e9,
                     p99Bound: p99Bound, utilisationForBound: p99Bound.map { highestUtilisation(p99AtMost: $0) })
    }
}
