/// Event time: milliseconds since the start of the scenario's live window.
///
/// History days come before the live window and have negative times.
public typealias Millis = Int64

/// Constants and conversions of simulated time.
public enum SimTime {
    /// Milliseconds in one second.
    public static let second: Millis = 1_000
    /// Milliseconds in one minute.
    public static let minute: Millis = 60_000
    /// Milliseconds in one hour.
    public static let hour: Millis = 3_600_000
    /// Milliseconds in one day.
    public static let day: Millis = 86_400_000

    /// The day index (0 = first live day; negative in history) of an event time.
    @inlinable public static func dayIndex(_ t: Millis) -> Int {
        Int(t >= 0 ? t / day : -((-t + day - 1) / day))
    }

    /// The start of a day index.
    @inlinable public static func start(ofDay d: Int) -> Millis { Millis(d) * day }
}
