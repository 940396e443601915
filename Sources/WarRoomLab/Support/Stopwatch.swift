import Foundation

/// A monotonic clock for measuring wall time.
public struct Stopwatch {
    private let start = DispatchTime.now().uptimeNanoseconds
    /// Starts now.
    public init() {}
    /// Seconds since start.
    public var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
