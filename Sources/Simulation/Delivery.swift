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
    /// Events given and not yet arrived: (arrival, order given, event).
    private var pending: [(arrival: Millis, seq: Int64, event: Event)] = []
    private var seq: Int64 = 0
    /// The last batch whose delay each source drew, and that delay.
    private var lastBatch: [Int64]
    private var lastBatchDelay: [Millis]
    /// Each source's delay σ (computed once: a log per draw is not free).
    private let sigmas: [Double]

    /// Copies sent because a source delivered an event twice.
    public private(set) var duplicated = 0
    /// Events held back by one delivery.
    public private(set) var heldBack = 0
    /// Events that fell due during an outage and came when it ended.
    public private(set) var deferredByOutage = 0
    /// Events given but not yet arrived.
    public var undelivered: Int { pending.count }

    /// The longest an arrival can trail its event (bounds the outage calendar).
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
        sigmas = spec.models.map(\.delay.sigma)
        lastBatch = Array(repeating: .min, count: DataSource.allCases.count)
        lastBatchDelay = Array(repeating: 0, count: DataSource.allCases.count)
    }

    /// Takes a day's events (in time order) and returns every event, of this day or earlier
    /// ones, that arrives before `until`, in arrival order (ties in the order given).
    public mutating func deliver(_ events: [Event], day: Int, until: Millis) -> [DeliveredEvent] {
        var rngs = DataSource.allCases.map { RandomStream(seed: seed, stream: .deliveryEvents, entity: UInt64($0.rawValue), day: Int64(day)) }
        pending.reserveCapacity(pending.count + events.count)
        for e in events {
            let source = DataSource(kind: e.kind)
            let model = spec.models[source.rawValue]
            if model.isInstant {
                pending.append((e.time, seq, e))
                seq += 1
                continue
            }
            let s = source.rawValue
            let held = model.reorder > 0 && rngs[s].bernoulli(model.reorder)
            if held { heldBack += 1 }
            pending.append((arrival(e.time, source: s, model: model, later: held ? 1 : 0, rng: &rngs[s]), seq, e))
            seq += 1
            if model.duplicates > 0 && rngs[s].bernoulli(model.duplicates) {
                duplicated += 1
                pending.append((arrival(e.time, source: s, model: model, later: held ? 2 : 1, rng: &rngs[s]), seq, e))
                seq += 1
            }
        }
        var due: [(arrival: Millis, seq: Int64, event: Event)] = []
        var keep: [(arrival: Millis, seq: Int64, event: Event)] = []
        for p in pending { if p.arrival < until { due.append(p) } else { keep.append(p) } }
        pending = keep
        due.sort { ($0.arrival, $0.seq) < ($1.arrival, $1.seq) }
        return due.map { DeliveredEvent(arrival: $0.arrival, event: $0.event) }
    }

    /// When an event of time `t` arrives, `later` deliveries after its own.
    private mutating func arrival(_ t: Millis, source s: Int, model: DeliveryModel, later: Int, rng: inout RandomStream) -> Millis {
        var a: Millis
        switch model.mode {
        case .instant:
            a = t
        case .streaming:
            a = t
            for _ in 0...later { a += Self.draw(model.delay.median, sigmas[s], &rng) }
        case .microBatch(let every):
            let batch = (t >= 0 ? t / every : (t - every + 1) / every) + Int64(later)
            a = (batch + 1) * every + batchDelay(source: s, batch: batch, model.delay)
        case .daily(let hour):
            let d = Int64(SimTime.dayIndex(t)) + Int64(later)
            a = SimTime.start(ofDay: Int(d) + 1) + Millis(hour) * SimTime.hour + batchDelay(source: s, batch: d, model.delay)
        }
        return afterOutage(a, source: s)
    }

    /// The delay of one batch of a source: one draw for the whole batch.
    private mutating func batchDelay(source s: Int, batch: Int64, _ delay: DelaySpec) -> Millis {
        guard delay.median > 0 else { return 0 }
        if lastBatch[s] != batch {
            var rng = RandomStream(seed: seed, stream: .deliveryBatch, entity: UInt64(s), day: batch)
            lastBatch[s] = batch
            lastBatchDelay[s] = Self.draw(delay.median, sigmas[s], &rng)
        }
        return lastBatchDelay[s]
    }

    /// A lognormal delay with the given median and σ (at most `longestDelay` / 2).
    @inline(__always)
    static func draw(_ median: Millis, _ sigma: Double, _ rng: inout RandomStream) -> Millis {
        guard median > 0 else { return 0 }
        let d = Double(median) * exp(sigma * rng.normal())
        return Millis(min(d, Double(longestDelay / 2)))
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
