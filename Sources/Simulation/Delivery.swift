import Foundation
import WarRoomCore

/// The way between the world and the war room: gives each observable event the time it
/// arrives, by its source's delivery model (streaming delays, micro-batches, T+1, outages,
/// duplicates, hold-backs), and hands the events over in arrival order.
///
/// Every draw is keyed by (seed, source, day or batch), so arrivals do not depend on how the
/// stream is consumed; the truth keeps event time, only the observable stream is delayed.
public struct Delivery {
    /// The models, one per source.
    public let spec: DeliverySpec
    let seed: UInt64
    /// Each source's outages, merged and in time order.
    let outages: [[(start: Millis, end: Millis)]]
    /// Events given and not yet arrived, in arrival order (ties in the order given).
    var carry: [Event] = []
    /// Their arrivals.
    var carryArrivals: [Millis] = []
    /// The last batch whose delay each source drew, and that delay.
    var lastBatch: [Int64]
    var lastBatchDelay: [Millis]
    /// Each source's lognormal delay at 1,025 quantile levels (k/1024, the outermost at 1/2048
    /// and 1 − 1/2048), capped at `longestDelay` / 2, in 1/256 ms: a draw is 64 random bits, a
    /// table read and an integer interpolation, not a normal variate and an `exp`.
    let delays: [Int64]
    /// The source of each event kind, by raw value.
    let sourceOfKind: [Int]
    /// How each source's events are handled on the common path, by raw value.
    let paths: [Path]
    /// Per source: has outages.
    let hasOutages: [Bool]
    /// Whether any source sends copies (an entry per event, or up to two).
    let copies: Bool
    /// Buffers kept between days (see `Delivery+Ordering.swift`).
    var buffers = Buffers()
    /// Points of a source's delay table: 1,024 intervals, addressed by a draw's top 10 bits.
    static let levels = 1025

    /// Copies sent because a source delivered an event twice.
    public internal(set) var duplicated = 0
    /// Events held back by one delivery.
    public internal(set) var heldBack = 0
    /// Events that fell due during an outage and came when it ended.
    public internal(set) var deferredByOutage = 0
    /// Events given but not yet arrived.
    public var undelivered: Int { carry.count }

    /// Twice the longest single delay draw (a draw is capped at half of it); an arrival can trail
    /// its event by a few draws (a hold-back, a duplicate) plus outages. Bounds the outage calendar.
    static let longestDelay = 40 * SimTime.day

    /// A delivery for `days` live days of a world simulated with `seed`.
    public init(spec: DeliverySpec, seed: UInt64, days: Int) {
        self.spec = spec
        self.seed = seed
        let horizon = days + Int(Self.longestDelay / SimTime.day) + 2
        outages = DataSource.allCases.map { source in
            let model = spec[source]
            guard model.outagesPerWeek > 0 else { return [] }
            var windows: [(start: Millis, end: Millis)] = []
            for d in 0..<horizon {
                var rng = RandomStream(seed: seed, stream: .deliveryOutages, entity: UInt64(source.rawValue), day: Int64(d))
                for _ in 0..<rng.poisson(model.outagesPerWeek / 7) {
                    let start = SimTime.start(ofDay: d) + Millis(rng.uniform() * Double(SimTime.day))
                    windows.append((start, start + model.outageDuration))
                }
            }
            windows.sort { $0.start < $1.start }
            var merged: [(start: Millis, end: Millis)] = []
            for w in windows {
                if let last = merged.last, w.start <= last.end { merged[merged.count - 1].end = max(last.end, w.end) } else { merged.append(w) }
            }
            return merged
        }
        delays = spec.models.flatMap { m -> [Int64] in
            let sigma = m.delay.sigma, cap = Double(Self.longestDelay / 2)
            return (0..<Self.levels).map { k in
                let level = k == 0 ? 0.5 / 1024 : k == Self.levels - 1 ? 1 - 0.5 / 1024 : Double(k) / 1024
                let delay = Double(m.delay.median) * (sigma > 0 ? exp(sigma * Normal.quantile(level)) : 1)
                return Int64((min(delay, cap) * 256).rounded())
            }
        }
        sourceOfKind = EventKind.allCases.map { DataSource(kind: $0).rawValue }
        hasOutages = outages.map { !$0.isEmpty }
        copies = spec.models.contains { $0.duplicates > 0 }
        paths = zip(spec.models, hasOutages).map { model, outages in
            if model.isInstant { return .instant }
            if case .streaming = model.mode, model.reorder == 0, model.duplicates == 0, !outages {
                return model.delay.median > 0 ? .plainStreaming : .instant
            }
            return .general
        }
        lastBatch = Array(repeating: .min, count: DataSource.allCases.count)
        lastBatchDelay = Array(repeating: 0, count: DataSource.allCases.count)
    }

    /// A whole stream at once (events in time order, days 0..<`days`): each day delivered as
    /// the closed loop does, then whatever is still on its way. For benchmarks and tests.
    public mutating func deliverAll(_ events: [Event], days: Int) -> [DeliveredEvent] {
        var out: [DeliveredEvent] = []
        var i = 0
        for day in 0..<days {
            var j = i
            while j < events.count && SimTime.dayIndex(events[j].time) <= day { j += 1 }
            out += deliver(Array(events[i..<j]), day: day, until: SimTime.start(ofDay: day + 1))
            i = j
        }
        return out + deliver(Array(events[i...]), day: days, until: .max)
    }

    /// When an event of time `t` arrives, `later` deliveries after its own.
    @inline(__always)
    mutating func arrival(_ t: Millis, source s: Int, model: DeliveryModel, later: Int, rng: inout RandomStream) -> Millis {
        var a: Millis
        switch model.mode {
        case .instant:
            a = t
        case .streaming:
            a = t
            for _ in 0...later { a += draw(model.delay.median, source: s, &rng) }
        case .microBatch(let every):
            let batch = (t >= 0 ? t / every : (t - every + 1) / every) + Int64(later)
            a = (batch + 1) * every + batchDelay(source: s, batch: batch, model.delay)
        case .daily(let hour):
            let d = Int64(SimTime.dayIndex(t)) + Int64(later)
            a = SimTime.start(ofDay: Int(d) + 1) + Millis(hour) * SimTime.hour + batchDelay(source: s, batch: d, model.delay)
        }
        return hasOutages[s] ? afterOutage(a, source: s) : a
    }

    /// The delay of one batch of a source: one draw for the whole batch.
    mutating func batchDelay(source s: Int, batch: Int64, _ delay: DelaySpec) -> Millis {
        guard delay.median > 0 else { return 0 }
        if lastBatch[s] != batch {
            var rng = RandomStream(seed: seed, stream: .deliveryBatch, entity: UInt64(s), day: batch)
            lastBatch[s] = batch
            lastBatchDelay[s] = draw(delay.median, source: s, &rng)
        }
        return lastBatchDelay[s]
    }

    /// A lognormal delay with the given median (the source's) and the source's σ, by inverse CDF
    /// on the source's table (linear between levels), at most `longestDelay` / 2.
    @inline(__always)
    func draw(_ median: Millis, source s: Int, _ rng: inout RandomStream) -> Millis {
        guard median > 0 else { return 0 }
        return delays.withUnsafeBufferPointer { Self.draw(table: $0, source: s, &rng) }
    }

    /// The same on a delay table already at hand (the hot loop's): the top 10 bits of a draw
    /// pick the interval, the next 20 the point in it.
    @inline(__always)
    static func draw(table: UnsafeBufferPointer<Int64>, source s: Int, _ rng: inout RandomStream) -> Millis {
        let r = rng.next()
        let base = s &* levels &+ Int(truncatingIfNeeded: r >> 54)
        let low = table[base], high = table[base &+ 1]
        let at = Int64(truncatingIfNeeded: (r >> 34) & 0xF_FFFF)
        return (low &+ ((high &- low) &* at) >> 20) >> 8
    }

    /// An arrival due during one of the source's outages comes when the outage ends.
    mutating func afterOutage(_ a: Millis, source s: Int) -> Millis {
        let windows = outages[s]
        guard !windows.isEmpty else { return a }
        var lo = 0, hi = windows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if windows[mid].start <= a { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0, a < windows[lo - 1].end else { return a }
        deferredByOutage += 1
        return windows[lo - 1].end
    }
}
