/// An observable event as it reached the war room: the event (with its own event time) and
/// the time it arrived. Streams of them are in arrival order.
public struct DeliveredEvent: Sendable, Equatable {
    /// When the event arrived, in ms since the start of the live window.
    public var arrival: Millis
    /// The event, with its event time.
    public var event: Event

    /// Creates a delivered event.
    @inlinable
    public init(arrival: Millis, event: Event) {
        self.arrival = arrival
        self.event = event
    }
}
