import WarRoomCore

extension Delivery {
    /// How a source's events are handled on the common path.
    enum Path: Sendable {
        /// Arrival = event time (instant, or streaming without delay).
        case instant
        /// One delay draw, nothing else (no hold-backs, duplicates or outages).
        case plainStreaming
        /// Everything else: batches, T+1, hold-backs, duplicates, outages.
        case general
    }

    /// The working memory of `deliver`, kept between days: a day writes into memory already
    /// backed, not a fresh day's worth of pages.
    struct Buffers: Sendable {
        /// Per entry (an event on its way or a copy of one): its arrival, written only when the
        /// keys cannot hold it (see `deliverUnpacked`).
        var arrivals: [Millis] = []
        /// Per entry: (arrival − low) << 32 | ref, where ref names the event it delivers (below
        /// the carry's count: the carry's; above: the day's events, shifted by that count); then
        /// the radix sort's other buffer.
        var keys: [UInt64] = []
        var scratch: [UInt64] = []
        /// Digit counts of the radix passes, `buckets` a pass.
        var counts: [Int32] = []

        /// Makes room for `entries` entries (and the digit counts of three passes).
        mutating func reserve(_ entries: Int) {
            if counts.isEmpty { counts = [Int32](repeating: 0, count: 3 * Delivery.buckets) }
            guard arrivals.count < entries else { return }
            let size = entries + entries / 2
            arrivals = [Millis](repeating: 0, count: size)
            keys = [UInt64](repeating: 0, count: size)
            scratch = [UInt64](repeating: 0, count: size)
        }
    }

    /// What the entries' pass found out besides the entries themselves.
    struct EntryScan {
        var count = 0
        /// The largest arrival − low, as unsigned (an arrival before `low` counts as huge).
        var span: UInt64 = 0
        /// Whether the entries are in arrival order as written.
        var inOrder = true
    }

    /// Bits of a radix digit, and buckets a pass.
    static let digitBits: UInt64 = 14
    static let buckets = 1 << 14

    /// Takes a day's events (in time order) and returns every event, of this day or earlier
    /// ones, that arrives before `until`, in arrival order (ties in the order given).
    public mutating func deliver(_ events: [Event], day: Int, until: Millis) -> [DeliveredEvent] {
        Array(deliverBatch(events, day: day, until: until))
    }

    /// The same, handed over as a batch that reads the events where they lie (no copies).
    ///
    /// Every entry (the events still on their way, then the day's events and their copies) gets
    /// an arrival and a key, (arrival − low) << 32 | ref, `low` being the earliest arrival
    /// possible (the carry's first, or the day's first event time). A ref grows with the order
    /// given, so sorting the keys orders by arrival with ties in that order: by an LSD radix sort,
    /// 14 bits a pass (two passes while the arrivals span less than 2²⁸ ms, about 3.1 days;
    /// three below 2³² ms), by a comparison sort beyond. The due entries are then a prefix,
    /// handed over as keys; the rest wait, in the same order.
    public mutating func deliverBatch(_ events: [Event], day: Int, until: Millis) -> DeliveredBatch {
        var b = Buffers()
        swap(&b, &buffers)
        defer { swap(&b, &buffers) }
        let waiting = carry, waitingArrivals = carryArrivals
        let c = waiting.count
        b.reserve(c + (copies ? 2 : 1) * events.count)
        let low = min(waitingArrivals.first ?? .max, events.first?.time ?? .max)
        let counters = (duplicated, heldBack, deferredByOutage)
        let scan = entries(events, day: day, waiting: waitingArrivals, low: low, arrivals: false, &b)
        let m = scan.count, span = scan.span
        guard m > 0 else { return DeliveredBatch() }
        guard span < 1 << 32 else {
            // Again with the arrivals written (same draws: the streams are keyed by day; the counts as before).
            (duplicated, heldBack, deferredByOutage) = counters
            _ = entries(events, day: day, waiting: waitingArrivals, low: low, arrivals: true, &b)
            return DeliveredBatch(deliverUnpacked(events, waiting: waiting, count: m, until: until, &b))
        }
        var inKeys = true
        if !scan.inOrder {
            let passes = span >= 1 << 28 ? 3 : 2
            countDigits(m, passes: passes, &b)
            inKeys = sortKeys(m, passes: passes, &b)
        }
        return (inKeys ? b.keys : b.scratch).withUnsafeBufferPointer { K in
            // The due entries are those with keys below (until − low) << 32.
            var due = m
            if until <= low {
                due = 0
            } else if until <= low + Millis(span) {
                let limit = UInt64(until - low) << 32
                var lo = 0, hi = m
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if K[mid] < limit { lo = mid + 1 } else { hi = mid }
                }
                due = lo
            }
            waiting.withUnsafeBufferPointer { C in
                events.withUnsafeBufferPointer { E in
                    let cp = C.baseAddress, ep = E.baseAddress
                    carry = [Event](unsafeUninitializedCapacity: m - due) { W, count in
                        for i in due..<m {
                            let r = Int(truncatingIfNeeded: K[i] & 0xFFFF_FFFF)
                            (W.baseAddress.unsafelyUnwrapped + (i - due)).initialize(to: r < c ? cp.unsafelyUnwrapped[r] : ep.unsafelyUnwrapped[r &- c])
                        }
                        count = m - due
                    }
                }
            }
            carryArrivals = (due..<m).map { low &+ Millis(truncatingIfNeeded: K[$0] >> 32) }
            return DeliveredBatch(keys: Array(K[0..<due]), low: low, carried: waiting, given: events)
        }
    }

    /// Writes every entry's key (and, if asked, its arrival): first the events still on their
    /// way, then the day's events, each followed by its copy when its source sends it twice.
    private mutating func entries(_ events: [Event], day: Int, waiting: [Millis], low: Millis, arrivals: Bool, _ b: inout Buffers) -> EntryScan {
        var rngs = DataSource.allCases.map { RandomStream(seed: seed, stream: .deliveryEvents, entity: UInt64($0.rawValue), day: Int64(day)) }
        let table = delays, kinds = sourceOfKind, paths = self.paths, models = spec.models
        let c = waiting.count
        return b.arrivals.withUnsafeMutableBufferPointer { A in
            b.keys.withUnsafeMutableBufferPointer { K in
                events.withUnsafeBufferPointer { E in
                    rngs.withUnsafeMutableBufferPointer { G in
                        table.withUnsafeBufferPointer { T in
                            kinds.withUnsafeBufferPointer { S in
                                paths.withUnsafeBufferPointer { P in
                                    // A local of this closure alone, so that its fields stay in registers.
                                    var w = EntryWriter(arrivals: arrivals ? A.baseAddress! : nil, keys: K.baseAddress!, low: low)
                                    waiting.withUnsafeBufferPointer { C in
                                        for j in 0..<c { w.put(C[j], ref: UInt32(truncatingIfNeeded: j)) }
                                    }
                                    guard paths.contains(.general) else {
                                        // The common streaming case, apart: no calls in the loop, its state in registers.
                                        let g = G.baseAddress!
                                        for i in 0..<E.count {
                                            let t = E[i].time
                                            let s = S[Int(E[i].kind.rawValue)]
                                            let ref = UInt32(truncatingIfNeeded: c &+ i)
                                            w.put(P[s] == .instant ? t : t &+ Self.draw(table: T, source: s, &g[s]), ref: ref)
                                        }
                                        return w.scan
                                    }
                                    for i in 0..<E.count {
                                        let t = E[i].time
                                        let s = S[Int(E[i].kind.rawValue)]
                                        let ref = UInt32(truncatingIfNeeded: c &+ i)
                                        switch P[s] {
                                        case .instant:
                                            w.put(t, ref: ref)
                                        case .plainStreaming:
                                            w.put(t &+ Self.draw(table: T, source: s, &G[s]), ref: ref)
                                        case .general:
                                            let model = models[s]
                                            let held = model.reorder > 0 && G[s].bernoulli(model.reorder)
                                            if held { heldBack += 1 }
                                            let a = arrival(t, source: s, model: model, later: held ? 1 : 0, rng: &G[s])
                                            w.put(a, ref: ref)
                                            guard model.duplicates > 0 && G[s].bernoulli(model.duplicates) else { break }
                                            duplicated += 1
                                            // The copy comes one delivery after the original: a further delay draw, or the next batch or day.
                                            if case .streaming = model.mode {
                                                let later = a + draw(model.delay.median, source: s, &G[s])
                                                w.put(hasOutages[s] ? afterOutage(later, source: s) : later, ref: ref)
                                            } else {
                                                w.put(arrival(t, source: s, model: model, later: held ? 2 : 1, rng: &G[s]), ref: ref)
                                            }
                                        }
                                    }
                                    return w.scan
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Counts the keys' digits for `passes` passes, in a loop of its own: counted while the keys
    /// are written, nearby arrivals hit one bucket after another and the increments wait on
    /// each other behind the draws.
    private func countDigits(_ m: Int, passes: Int, _ b: inout Buffers) {
        let mask = UInt64(Self.buckets - 1)
        b.keys.withUnsafeBufferPointer { K in
            b.counts.withUnsafeMutableBufferPointer { H in
                for d in 0..<(passes * Self.buckets) { H[d] = 0 }
                let h = H.baseAddress!
                if passes == 2 {
                    for i in 0..<m {
                        let x = K[i]
                        h[Int(truncatingIfNeeded: (x >> 32) & mask)] &+= 1
                        h[Self.buckets + Int(truncatingIfNeeded: (x >> 46) & mask)] &+= 1
                    }
                } else {
                    for i in 0..<m {
                        for p in 0..<passes { h[p * Self.buckets + Int((K[i] >> (32 + UInt64(p) * Self.digitBits)) & mask)] &+= 1 }
                    }
                }
            }
        }
    }

    /// Sorts the first `m` keys by their top 32 bits, stably, in `passes` radix passes whose digit
    /// counts are in `b.counts`. Returns whether they end in `b.keys` (else in `b.scratch`).
    private func sortKeys(_ m: Int, passes: Int, _ b: inout Buffers) -> Bool {
        let mask = UInt64(Self.buckets - 1)
        var inKeys = true
        b.keys.withUnsafeMutableBufferPointer { K in
            b.scratch.withUnsafeMutableBufferPointer { S in
                b.counts.withUnsafeMutableBufferPointer { H in
                    var src = K.baseAddress!, dst = S.baseAddress!
                    for p in 0..<passes {
                        let base = p * Self.buckets
                        var total: Int32 = 0
                        for d in base..<(base + Self.buckets) {
                            let v = H[d]
                            H[d] = total
                            total &+= v
                        }
                        let shift = 32 + UInt64(p) * Self.digitBits
                        for i in 0..<m {
                            let x = src[i]
                            let d = base + Int((x >> shift) & mask)
                            dst[Int(H[d])] = x
                            H[d] &+= 1
                        }
                        swap(&src, &dst)
                        inKeys.toggle()
                    }
                }
            }
        }
        return inKeys
    }

    /// The entries ordered by (arrival, ref) by comparison, when their arrivals span 2³² ms or
    /// more (a final flush of weeks-late events) or fall before `low` (events given out of order).
    private mutating func deliverUnpacked(_ events: [Event], waiting: [Event], count m: Int, until: Millis, _ b: inout Buffers) -> [DeliveredEvent] {
        let c = waiting.count
        var order = [(arrival: Millis, ref: UInt32)]()
        order.reserveCapacity(m)
        for e in 0..<m { order.append((b.arrivals[e], UInt32(truncatingIfNeeded: b.keys[e]))) }
        order.sort { ($0.arrival, $0.ref) < ($1.arrival, $1.ref) }
        let entries = order.map { DeliveredEvent(arrival: $0.arrival, event: Int($0.ref) < c ? waiting[Int($0.ref)] : events[Int($0.ref) - c]) }
        let due = entries.firstIndex { $0.arrival >= until } ?? entries.count
        carry = entries[due...].map(\.event)
        carryArrivals = entries[due...].map(\.arrival)
        return Array(entries[..<due])
    }
}

/// Writes a delivery's entries: key and (if asked) arrival, and what the scan of them finds
/// (their span, whether they come in order).
struct EntryWriter {
    let arrivals: UnsafeMutablePointer<Millis>?
    let keys: UnsafeMutablePointer<UInt64>
    let low: Millis
    var scan = Delivery.EntryScan()

    init(arrivals: UnsafeMutablePointer<Millis>?, keys: UnsafeMutablePointer<UInt64>, low: Millis) {
        self.arrivals = arrivals
        self.keys = keys
        self.low = low
    }

    /// Adds an entry.
    @inline(__always)
    mutating func put(_ a: Millis, ref: UInt32) {
        let m = scan.count
        if let arrivals { arrivals[m] = a }
        // Wrapping: an arrival before `low` or 2³² ms after it makes a span too wide to pack.
        let d = UInt64(bitPattern: a &- low)
        let x = d << 32 | UInt64(ref)
        keys[m] = x
        // Refs grow, so the entries are in order while each arrival is at least the latest so far.
        if d < scan.span { scan.inOrder = false }
        scan.span = max(scan.span, d)
        scan.count = m + 1
    }
}
