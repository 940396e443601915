import WarRoomCore

/// The events one delivery hands over, in arrival order, read where they lie (the events that
/// were still on their way, and the day's events) through their sort keys: handing over copies
/// nothing, so the stream costs a key per event, not a second copy of every event.
public struct DeliveredBatch: RandomAccessCollection, Sendable {
    /// Per event, in arrival order: (arrival − `low`) << 32 | ref, ref naming an event of
    /// `carried` (below its count) or of `given` (above, shifted by that count).
    @usableFromInline let keys: [UInt64]
    @usableFromInline let low: Millis
    @usableFromInline let carried: [Event]
    @usableFromInline let given: [Event]
    /// The events themselves, when their arrivals span too much for the keys (then `keys` is empty).
    @usableFromInline let copies: [DeliveredEvent]

    /// A batch read through keys.
    init(keys: [UInt64], low: Millis, carried: [Event], given: [Event]) {
        self.keys = keys
        self.low = low
        self.carried = carried
        self.given = given
        copies = []
    }

    /// A batch of copies.
    init(_ copies: [DeliveredEvent]) {
        keys = []
        low = 0
        carried = []
        given = []
        self.copies = copies
    }

    /// No events.
    public init() { self.init([]) }

    /// The first position.
    @inlinable public var startIndex: Int { 0 }

    /// One past the last position.
    @inlinable public var endIndex: Int { keys.isEmpty ? copies.count : keys.count }

    /// The event at `position`, with its arrival.
    @inlinable
    public subscript(position: Int) -> DeliveredEvent {
        guard copies.isEmpty else { return copies[position] }
        let x = keys[position]
        let r = Int(truncatingIfNeeded: x & 0xFFFF_FFFF), c = carried.count
        return DeliveredEvent(arrival: low &+ Millis(truncatingIfNeeded: x >> 32), event: r < c ? carried[r] : given[r &- c])
    }

    /// Calls `body` on each event in arrival order (what a consumer of a day's arrivals runs:
    /// a loop over the keys, the events read in place).
    @inlinable
    public func forEach(_ body: (DeliveredEvent) throws -> Void) rethrows {
        guard copies.isEmpty else { return try copies.forEach(body) }
        try keys.withUnsafeBufferPointer { K in
            try carried.withUnsafeBufferPointer { C in
                try given.withUnsafeBufferPointer { G in
                    let c = C.count
                    for x in K {
                        let r = Int(truncatingIfNeeded: x & 0xFFFF_FFFF)
                        try body(DeliveredEvent(arrival: low &+ Millis(truncatingIfNeeded: x >> 32), event: r < c ? C[r] : G[r &- c]))
                    }
                }
            }
        }
    }
}
