import WarRoomCore

/// Figures gathered from the observable event stream as it flows: the digest, counts by kind,
/// and the first competitor signal of each city (what a watcher of the stream could know).
public struct StreamStatistics {
    /// Digest of the live stream.
    public private(set) var digest = EventDigest()
    /// Events by kind.
    public private(set) var byKind = [Int](repeating: 0, count: EventKind.allCases.count)
    /// Live sales amount in fen (a Double: a long run's total may exceed Int64).
    public private(set) var salesAmount = 0.0
    /// Time of the first competitor signal at or after each time asked for, by city.
    public private(set) var competitorSignalTimes: [[Millis]]
    /// Events seen.
    public var events: Int { digest.count }

    /// Creates empty statistics for a world with `cities` cities.
    public init(cities: Int) {
        competitorSignalTimes = Array(repeating: [], count: cities)
    }

    /// Folds in one day's events (in time order).
    public mutating func add(_ events: [Event]) {
        for e in events {
            digest.add(e)
            byKind[Int(e.kind.rawValue)] += 1
            switch e.kind {
            case .sale: salesAmount += Double(e.amount)
            case .competitorSignal: competitorSignalTimes[Int(e.city)].append(e.time)
            default: break
            }
        }
    }

    /// The first competitor signal in `city` at or after `time`.
    public func firstSignal(city: Int, atOrAfter time: Millis) -> Millis? {
        competitorSignalTimes[city].first { $0 >= time }
    }
}
