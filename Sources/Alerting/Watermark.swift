import WarRoomCore

/// The event-time watermark of a stream: the largest event time seen minus the allowed
/// lateness. Events older than the watermark are late: counted, never silently dropped.
public struct Watermark: Sendable, Equatable {
    /// How far behind the newest event an event may arrive and still count as on time.
    public let allowedLateness: Millis
    /// The largest event time seen.
    public private(set) var maxEventTime: Millis = .min
    /// Events that arrived behind the watermark.
    public private(set) var lateEvents: Int = 0

    /// Creates a watermark with the given allowed lateness (≥ 0).
    public init(allowedLateness: Millis) {
        precondition(allowedLateness >= 0, "allowed lateness must not be negative")
        self.allowedLateness = allowedLateness
    }

    /// The current watermark; `Millis.min` before any event.
    public var value: Millis {
        maxEventTime == .min ? .min : maxEventTime - allowedLateness
    }

    /// Observes an event time; returns false (and counts it) when the event is late.
    @discardableResult
    public mutating func observe(_ time: Millis) -> Bool {
        if maxEventTime != .min && time < value {
            lateEvents += 1
            return false
        }
        if time > maxEventTime { maxEventTime = time }
        return true
    }
}
