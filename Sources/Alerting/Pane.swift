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

/// Storage of panes (key × ring slot) in fixed chunks behind raw pointers: the engine's hot
/// loops read and write panes without array copies, retains or bounds checks (slots are computed
/// in range), and growing never copies panes (a copy of a large store would stall the stream).
final class PaneStore {
    static let chunkShift = 14
    static let chunkSize = 1 << chunkShift
    static let chunkMask = chunkSize - 1

    /// The chunks' base pointers.
    private(set) var table: UnsafeMutablePointer<UnsafeMutablePointer<Pane>>
    private var tableCapacity = 16
    private var chunks = 0
    private(set) var count = 0

    init() {
        table = .allocate(capacity: tableCapacity)
    }

    deinit {
        for i in 0..<chunks {
            table[i].deinitialize(count: Self.chunkSize)
            table[i].deallocate()
        }
        table.deallocate()
    }

    /// Appends `n` empty panes.
    func append(_ n: Int) {
        while count + n > chunks * Self.chunkSize {
            if chunks == tableCapacity {
                let grown = UnsafeMutablePointer<UnsafeMutablePointer<Pane>>.allocate(capacity: tableCapacity * 2)
                grown.moveInitialize(from: table, count: chunks)
                table.deallocate()
                table = grown
                tableCapacity *= 2
            }
            let chunk = UnsafeMutablePointer<Pane>.allocate(capacity: Self.chunkSize)
            chunk.initialize(repeating: Pane(), count: Self.chunkSize)
            (table + chunks).initialize(to: chunk)
            chunks += 1
        }
        count += n
    }
}

extension UnsafeMutablePointer where Pointee == UnsafeMutablePointer<Pane> {
    /// The pane at a slot of a chunk table.
    @inline(__always)
    func pane(_ slot: Int) -> UnsafeMutablePointer<Pane> {
        self[slot >> PaneStore.chunkShift] + (slot & PaneStore.chunkMask)
    }
}
