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
    private let seed: UInt64
    /// Each source's outages, merged and in time order.
    private let outages: [[(start: Millis, end: Millis)]]
    /// Events given and not yet arrived, with their arrival times, in the order given.
    private var pending: [DeliveredEvent] = []
    /// Their arrival times alone (what the scans and the sort read: 8 bytes an event, not 64).
    private var arrivals: [Millis] = []
    /// The last batch whose delay each source drew, and that delay.
    private var lastBatch: [Int64]
    private var lastBatchDelay: [Millis]
    /// Each source's lognormal delay multiplier (of the median) at 1,025 evenly spaced quantile
    /// levels: a draw is a uniform and an interpolation, not a normal variate and an `exp`.
    private let quantiles: [Double]
    /// The source of each event kind, by raw value.
    private let sourceOfKind: [Int]
    /// Per source: delivered instantly; has outages (flags read per event, so that no nested
    /// array is touched, and retained, on the common path).
    private let instant: [Bool], hasOutages: [Bool]
    /// Radix-sort buffers, kept between days.
    private var keys: [UInt64] = [], scratch: [UInt64] = [], counts: [Int] = []
    /// Quantile levels of the delay table.
    static let levels = 1025

    /// Copies sent because a source delivered an event twice.
    public private(set) var duplicated = 0
    /// Events held back by one delivery.
    public private(set) var heldBack = 0
    /// Events that fell due during an outage and came when it ended.
    public private(set) var deferredByOutage = 0
    /// Events given but not yet arrived.
    public var undelivered: Int { pending.count }

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
        quantiles = spec.models.flatMap { m -> [Double] in
            let sigma = m.delay.sigma
            return (0..<Self.levels).map { k in sigma > 0 ? exp(sigma * Normal.quantile((Double(k) + 0.5) / Double(Self.levels))) : 1 }
        }
        sourceOfKind = EventKind.allCases.map { DataSource(kind: $0).rawValue }
        instant = spec.models.map(\.isInstant)
        hasOutages = outages.map { !$0.isEmpty }
        lastBatch = Array(repeating: .min, count: DataSource.allCases.count)
        lastBatchDelay = Array(repeating: 0, count: DataSource.allCases.count)
    }

    /// Takes a day's events (in time order) and returns every event, of this day or earlier
    /// ones, that arrives before `until`, in arrival order (ties in the order given).
    public mutating func deliver(_ events: [Event], day: Int, until: Millis) -> [DeliveredEvent] {
        var out: [DeliveredEvent] = []
        deliver(events, day: day, until: until, into: &out)
        return out
    }

    /// The same into `out` (emptied first, its memory kept): a caller that reuses one buffer
    /// day after day writes into memory already backed, not a fresh day's worth of pages.
    public mutating func deliver(_ events: [Event], day: Int, until: Millis, into out: inout [DeliveredEvent]) {
        out.removeAll(keepingCapacity: true)
        var rngs = DataSource.allCases.map { RandomStream(seed: seed, stream: .deliveryEvents, entity: UInt64($0.rawValue), day: Int64(day)) }
        pending.reserveCapacity(pending.count + events.count)
        arrivals.reserveCapacity(arrivals.count + events.count)
        for e in events {
            let s = sourceOfKind[Int(e.kind.rawValue)]
            if instant[s] {
                pending.append(DeliveredEvent(arrival: e.time, event: e))
                arrivals.append(e.time)
                continue
            }
            let model = spec.models[s]
            let held = model.reorder > 0 && rngs[s].bernoulli(model.reorder)
            if held { heldBack += 1 }
            let a = arrival(e.time, source: s, model: model, later: held ? 1 : 0, rng: &rngs[s])
            pending.append(DeliveredEvent(arrival: a, event: e))
            arrivals.append(a)
            if model.duplicates > 0 && rngs[s].bernoulli(model.duplicates) {
                duplicated += 1
                // The copy comes one delivery after the original: a further delay draw, or the next batch or day.
                let b: Millis
                if case .streaming = model.mode {
                    let later = a + draw(model.delay.median, source: s, &rngs[s])
                    b = hasOutages[s] ? afterOutage(later, source: s) : later
                } else {
                    b = arrival(e.time, source: s, model: model, later: held ? 2 : 1, rng: &rngs[s])
                }
                pending.append(DeliveredEvent(arrival: b, event: e))
                arrivals.append(b)
            }
        }
        // Whether the due events' arrivals are in order already, and their range.
        var inOrder = true, dueCount = 0
        var last = Millis.min, low = Millis.max, high = Millis.min
        for a in arrivals where a < until {
            dueCount += 1
            if a < last { inOrder = false }
            last = a
            low = min(low, a)
            high = max(high, a)
        }
        out.reserveCapacity(dueCount)
        if inOrder {
            for i in arrivals.indices where arrivals[i] < until { out.append(pending[i]) }
        } else {
            for i in sortedDue(until: until, low: low, high: high) { out.append(pending[Int(i)]) }
        }
        // What has not arrived stays, in the order given.
        if dueCount == pending.count {
            pending.removeAll(keepingCapacity: true)
            arrivals.removeAll(keepingCapacity: true)
        } else {
            var w = 0
            for i in arrivals.indices where arrivals[i] >= until {
                pending[w] = pending[i]
                arrivals[w] = arrivals[i]
                w += 1
            }
            pending.removeLast(pending.count - w)
            arrivals.removeLast(arrivals.count - w)
        }
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

    /// The positions of the pending events due before `until`, in arrival order, ties in the
    /// order given: an LSD radix sort of (arrival − low, position) packed into 64 bits, 14 bits a
    /// pass (two passes while the arrivals span less than 2²⁸ ms, about 3.1 days); a comparison
    /// sort when they span 2³² ms (about 49.7 days) or more.
    private mutating func sortedDue(until: Millis, low: Millis, high: Millis) -> [Int32] {
        let span = UInt64(high - low)
        guard span < 1 << 32 else {
            // Too wide to pack (a final flush of weeks-late events): sort the positions themselves.
            return arrivals.indices.filter { arrivals[$0] < until }.map { Int32($0) }.sorted { (arrivals[Int($0)], $0) < (arrivals[Int($1)], $1) }
        }
        keys.removeAll(keepingCapacity: true)
        for (i, a) in arrivals.enumerated() where a < until { keys.append(UInt64(a - low) << 32 | UInt64(UInt32(i))) }
        if scratch.count < keys.count { scratch = [UInt64](repeating: 0, count: keys.count) }
        let bits = UInt64(64 - span.leadingZeroBitCount)
        let digit: UInt64 = 14, buckets = 1 << 14
        if counts.count != buckets + 1 { counts = [Int](repeating: 0, count: buckets + 1) }
        keys.withUnsafeMutableBufferPointer { k in
            scratch.withUnsafeMutableBufferPointer { whole in
                counts.withUnsafeMutableBufferPointer { c in
                    let t = UnsafeMutableBufferPointer(rebasing: whole[0..<k.count])
                    var src = k, dst = t
                    var flipped = false
                    var shift: UInt64 = 32
                    while shift < 32 + bits {
                        for d in 0...buckets { c[d] = 0 }
                        for x in src { c[Int((x >> shift) & (UInt64(buckets) - 1)) + 1] += 1 }
                        for d in 1...buckets { c[d] += c[d - 1] }
                        for x in src {
                            let d = Int((x >> shift) & (UInt64(buckets) - 1))
                            dst[c[d]] = x
                            c[d] += 1
                        }
                        swap(&src, &dst)
                        flipped.toggle()
                        shift += digit
                    }
                    // The sorted keys end in `src`: bring them back into `keys` when that is the scratch.
                    if flipped { for i in 0..<k.count { k[i] = t[i] } }
                }
            }
        }
        return keys.map { Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }
    }

    /// When an event of time `t` arrives, `later` deliveries after its own.
    @inline(__always)
    private mutating func arrival(_ t: Millis, source s: Int, model: DeliveryModel, later: Int, rng: inout RandomStream) -> Millis {
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
    private mutating func batchDelay(source s: Int, batch: Int64, _ delay: DelaySpec) -> Millis {
        guard delay.median > 0 else { return 0 }
        if lastBatch[s] != batch {
            var rng = RandomStream(seed: seed, stream: .deliveryBatch, entity: UInt64(s), day: batch)
            lastBatch[s] = batch
            lastBatchDelay[s] = draw(delay.median, source: s, &rng)
        }
        return lastBatchDelay[s]
    }

    /// A lognormal delay with the given median and the source's σ, by inverse CDF on the
    /// source's quantile table (linear between levels; beyond the outermost levels, 0.05% in each
    /// tail, the delay is that level's), at most `longestDelay` / 2.
    @inline(__always)
    func draw(_ median: Millis, source s: Int, _ rng: inout RandomStream) -> Millis {
        guard median > 0 else { return 0 }
        let x = min(max(rng.uniform() * Double(Self.levels) - 0.5, 0), Double(Self.levels - 1))
        let k = min(Int(x), Self.levels - 2)
        let base = s * Self.levels + k
        let m = quantiles[base] + (quantiles[base + 1] - quantiles[base]) * (x - Double(k))
        return Millis(min(Double(median) * m, Double(Self.longestDelay / 2)))
    }

    /// An arrival due during one of the source's outages comes when the outage ends.
    private mutating func afterOutage(_ a: Millis, source s: Int) -> Millis {
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
