import Dispatch

/// Runs `body` for every index in `0..<count` on all cores and returns the results in index
/// order, so the output does not depend on the number of threads or their timing.
///
/// ```swift
/// let fits = parallelMap(series.count) { i in fit(series[i]) }
/// ```
public func parallelMap<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    if count <= 0 { return [] }
    let slots = Slots<T>(count)
    DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, body(i)) }
    return slots.values()
}

/// One write-once slot per index; each index is written by exactly one thread.
private final class Slots<T>: @unchecked Sendable {
    private var storage: [T?]
    init(_ count: Int) { storage = [T?](repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { storage.withUnsafeMutableBufferPointer { $0[i] = value } }
    func values() -> [T] { storage.map { $0! } }
}
