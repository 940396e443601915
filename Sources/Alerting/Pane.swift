#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WarRoomCore

/// The partial aggregate of one key's events in one pane ((p − 1)·every, p·every].
///
/// All-zero memory is an empty pane: the pane number is stored as `p ^ Int64.min`, so a zero
/// tag reads as `id == .min` (no pane). A ring can then take fresh pages from the kernel, which
/// come zeroed on first touch, without writing them first.
struct Pane {
    private var tag: Int64 = 0
    /// The pane number p.
    var id: Int64 {
        @inline(__always) get { tag ^ .min }
        @inline(__always) set { tag = newValue ^ .min }
    }
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

/// Storage of panes in fixed chunks behind raw pointers: the engine's hot loops read and write
/// panes without array copies, retains or bounds checks (slots are computed in range), and
/// growing never copies panes (a copy of a large store would stall the stream).
///
/// Chunks are anonymous memory mappings, zeroed by the kernel page by page as they are first
/// touched, and a zero pane is an empty one: taking a chunk costs no initialisation (writing a
/// whole 1 MiB chunk when one key needs it would stall that event for about 300 µs).
final class PaneStore {
    static let chunkShift = 14
    static let chunkSize = 1 << chunkShift
    static let chunkMask = chunkSize - 1
    private static let chunkBytes = chunkSize * MemoryLayout<Pane>.stride

    /// The chunks' base pointers.
    private(set) var table: UnsafeMutablePointer<UnsafeMutablePointer<Pane>>
    private var tableCapacity = 16
    private var chunks = 0

    init() {
        table = .allocate(capacity: tableCapacity)
    }

    deinit {
        for i in 0..<chunks { munmap(UnsafeMutableRawPointer(table[i]), Self.chunkBytes) }
        table.deallocate()
    }

    /// Panes the store holds.
    var capacity: Int { chunks * Self.chunkSize }

    /// Makes slots `lo..<n` addressable and has the kernel back their pages now (a write to
    /// each page that starts in the range), so that first use on the event path costs no page
    /// fault (about 1.5 µs each). Only for slots never written: it writes empty panes.
    func touch(from lo: Int, upTo n: Int) {
        ensureCapacity(n)
        var s = (lo + Self.panesPerPage - 1) / Self.panesPerPage * Self.panesPerPage
        while s < n { table.pane(s).pointee = Pane(); s += Self.panesPerPage }
        if lo <= touched { touched = max(touched, n) }
    }

    /// Panes per 4 KiB page.
    static let panesPerPage = max(1, 4096 / MemoryLayout<Pane>.stride)

    /// The end of the slots known to be backed (touched in one stretch from the start).
    private(set) var touched = 0

    /// Touches at most `pages` pages of slots never written, from `from` (the first slot not
    /// handed out) up to `n`: work for idle moments, so that memory handed out later faults no
    /// page on the event path. Returns whether it touched any.
    func prefault(from: Int, upTo n: Int, pages: Int) -> Bool {
        let lo = max(touched, from)
        guard lo < n else { return false }
        let hi = min(n, (lo / Self.panesPerPage + pages) * Self.panesPerPage)
        touch(from: lo, upTo: hi)
        touched = hi
        return true
    }

    /// Makes slots `0..<n` addressable (all empty until written).
    func ensureCapacity(_ n: Int) {
        while n > chunks * Self.chunkSize {
            if chunks == tableCapacity {
                let grown = UnsafeMutablePointer<UnsafeMutablePointer<Pane>>.allocate(capacity: tableCapacity * 2)
                grown.moveInitialize(from: table, count: chunks)
                table.deallocate()
                table = grown
                tableCapacity *= 2
            }
            guard let raw = mmap(nil, Self.chunkBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                  raw != MAP_FAILED else {
                fatalError("alert engine: out of memory for \(Self.chunkBytes) bytes of window state")
            }
            (table + chunks).initialize(to: raw.bindMemory(to: Pane.self, capacity: Self.chunkSize))
            chunks += 1
        }
    }
}

extension UnsafeMutablePointer where Pointee == UnsafeMutablePointer<Pane> {
    /// The pane at a slot of a chunk table.
    @inline(__always)
    func pane(_ slot: Int) -> UnsafeMutablePointer<Pane> {
        self[slot >> PaneStore.chunkShift] + (slot & PaneStore.chunkMask)
    }
}
