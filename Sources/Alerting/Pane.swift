import WarRoomCore

/// The partial aggregate of one key's events in one pane ((p − 1)·every, p·every].
struct Pane {
    var id: Int64 = .min
    var count: Int64 = 0
    var sum = 0.0
    var min = Double.infinity
    var max = -Double.infinity
    var lastTime: Millis = .min
    var lastSeq: Int64 = .min
    var last = 0.0

    @inline(__always)
    mutating func add(_ v: Double, time: Millis, seq: Int64) {
        count += 1
        sum += v
        if v < min { min = v }
        if v > max { max = v }
        takeLast(v, time: time, seq: seq)
    }

    /// Folds another pane in (for a range of panes).
    @inline(__always)
    mutating func merge(_ p: Pane) {
        guard p.count > 0 else { return }
        count += p.count
        sum += p.sum
        if p.min < min { min = p.min }
        if p.max > max { max = p.max }
        takeLast(p.last, time: p.lastTime, seq: p.lastSeq)
    }

    /// Keeps the value of the latest event: by time, then by arrival.
    @inline(__always)
    private mutating func takeLast(_ v: Double, time: Millis, seq: Int64) {
        if time > lastTime || (time == lastTime && seq > lastSeq) {
            lastTime = time
            lastSeq = seq
            last = v
        }
    }
}

/// Folds panes of a range into one aggregate value.
struct RangeAggregate {
    /// The range's events folded like one big pane.
    var total = Pane()
    var distinct = Set<Double>()

    @inline(__always)
    mutating func add(_ p: Pane) { total.merge(p) }

    /// The aggregate's value: count and sum of nothing are 0, the others are undefined.
    func value(_ f: Aggregate.Function) -> Double? {
        let count = total.count
        switch f {
        case .count: return Double(count)
        case .sum: return total.sum
        case .avg: return count > 0 ? total.sum / Double(count) : nil
        case .min: return count > 0 ? total.min : nil
        case .max: return count > 0 ? total.max : nil
        case .last: return count > 0 ? total.last : nil
        case .distinct: return Double(distinct.count)
        }
    }
}

/// Flat storage of panes (key × ring slot) behind a raw pointer: the engine's hot loops read
/// and write panes without array copies, retains or bounds checks (slots are computed in range).
final class PaneStore {
    private(set) var base: UnsafeMutablePointer<Pane>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 256
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Appends `n` empty panes.
    func append(_ n: Int) {
        if count + n > capacity {
            var newCapacity = capacity
            while newCapacity < count + n { newCapacity *= 2 }
            let grown = UnsafeMutablePointer<Pane>.allocate(capacity: newCapacity)
            grown.moveInitialize(from: base, count: count)
            base.deallocate()
            base = grown
            capacity = newCapacity
        }
        (base + count).initialize(repeating: Pane(), count: n)
        count += n
    }
}
