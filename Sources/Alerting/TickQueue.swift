/// The evaluation requests (tick, key) of one rule, taken in tick order: a bucket per tick for
/// the next `width` ticks, a heap for the rest.
///
/// A rule's requests are almost all for the next few hundred ticks, and requests arrive in
/// rising tick order behind the ticks already taken (an on-time event's pane is after every tick
/// the watermark has passed). So a tick's bucket is appended to and read in order, and taking
/// a request is an array read instead of a heap's walk of 17 levels of cache misses at 100,000
/// keys. Within a tick, requests come out in the order they were made (the heap's key order
/// carries no meaning: keys are judged independently). A request for a tick before the
/// buckets' range, or after it, goes to the heap, which `top` consults as well, so the order is
/// exact whatever the requests.
struct TickQueue {
    /// Ticks covered by the buckets, from `cursor` on.
    static let width: Int64 = 1 << 12
    static let mask = width - 1
    /// Requests a drained bucket keeps room for (2 KiB per bucket at most, 8 MiB per rule).
    private static let keptCapacity = 512

    // The storage is internal, not private, for the checks in TickQueue+Invariants.swift (and
    // for the tests, which break it on purpose to see them fail); only this file writes it.

    /// The keys requested per tick, the tick t in slot t mod `width`.
    var buckets = [[Int32]](repeating: [], count: Int(width))
    /// Requests already taken from the front of the bucket being read.
    var taken = 0
    /// No bucket before this tick holds a request; the buckets cover [cursor, cursor + width).
    var cursor: Int64 = .min
    /// Requests in the buckets.
    var bucketed = 0
    /// Requests outside the buckets' range.
    var overflow = TickHeap()

    /// The earliest tick requested, kept up to date by `push` and `pop`: the engine reads it for
    /// every event a rule takes, so it must cost no search.
    var firstTick: Int64?

    /// Whether no request is held.
    var isEmpty: Bool { bucketed == 0 && overflow.isEmpty }

    /// The first request: the earliest tick (within a tick, the buckets' requests in the order
    /// made, before the heap's).
    var top: (tick: Int64, key: Int32)? {
        mutating get {
            let b = firstBucket()
            if let o = overflow.top, b == nil || o.tick < b!.tick { return o }
            return b
        }
    }

    /// Adds a request for a key at a tick.
    mutating func push(_ tick: Int64, _ key: Int32) {
        // With the buckets empty their range starts at this request (the heap keeps any
        // earlier one).
        if bucketed == 0 { cursor = tick }
        if tick >= cursor && tick - cursor < Self.width {
            buckets[Int(tick & Self.mask)].append(key)
            bucketed += 1
        } else {
            overflow.push(tick, key)
        }
        if firstTick == nil || tick < firstTick! { firstTick = tick }
    }

    /// Removes and returns the first request (see `top`), nil when none is left.
    mutating func pop() -> (tick: Int64, key: Int32)? {
        defer { firstTick = top?.tick }
        let b = firstBucket()
        if let o = overflow.top, b == nil || o.tick < b!.tick { return overflow.pop() }
        guard let first = b else { return nil }
        let slot = Int(first.tick & Self.mask)
        taken += 1
        bucketed -= 1
        if taken == buckets[slot].count {
            // Drained: keep a small array for the tick this bucket serves next (no allocation
            // on the event path), release a large one (a tick's requests at 100,000 keys would
            // otherwise keep their capacity in every bucket).
            if buckets[slot].capacity <= Self.keptCapacity { buckets[slot].removeAll(keepingCapacity: true) } else { buckets[slot] = [] }
            taken = 0
        }
        return first
    }

    /// The first request in the buckets, moving `cursor` over empty ones.
    private mutating func firstBucket() -> (tick: Int64, key: Int32)? {
        guard bucketed > 0 else { return nil }
        while true {
            let slot = Int(cursor & Self.mask)
            if taken < buckets[slot].count { return (cursor, buckets[slot][taken]) }
            cursor += 1
        }
    }
}
