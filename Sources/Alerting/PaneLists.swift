/// The panes with data of one aggregate, for every key of a rule: per key, a list of panes in
/// pane order, held in a power-of-two ring buffer taken from a shared pool.
///
/// Memory follows the data, not the keys times the window: a key that sells a few lines a week
/// holds a few panes, a busy key one per pane of its horizon. (A dense ring of every pane of the
/// horizon per key needs 20 GiB for the preset rules at 100,000 stores.) A busy key's panes are
/// found in one step (its list has no gaps, so a pane's distance from the newest is its
/// position); a sparse key's by binary search over its few panes.
///
/// A pane older than the newest written minus `span` may be dropped: readers never ask for it
/// (the span is what the rule's horizon, lateness and deferred ticks need).
///
/// A ring of the span's length (pane p in slot p mod span, found without a search) serves busy
/// keys better: a list that outgrows an eighth of the span becomes one, and while the rings of
/// all keys so far fit in `ringBudget` bytes every key starts with one (few keys: all of them
/// as fast as can be; many keys: memory after the data).
///
/// Reads and the common write (into a key's newest pane) go through `view`, a value holding one
/// pointer, so the event path does no reference counting; adding a pane goes through the class.
public final class PaneLists {
    /// Bytes of rings per aggregate given to the first keys by default.
    public static let defaultRingBudget = 32 << 20

    /// Where one key's list lives in the pool.
    struct Header {
        /// First pool slot of the key's block.
        var offset = 0
        /// The newest pane in the list (meaningless when it is empty).
        var newest: Int64 = .min
        /// Position of the first (oldest) pane in the block.
        var head: Int32 = 0
        /// Panes in the list.
        var count: Int32 = 0
        /// The block holds 1 << shift panes; -1 when the key has no block. A block of the span's
        /// length is a ring (head and count unused).
        var shift: Int32 = -1
    }

    /// What the event path reads: the headers and the pool's chunk table, both moved when they
    /// grow, and the ring's size.
    struct Shared {
        var headers: UnsafeMutablePointer<Header>
        var table: UnsafeMutablePointer<UnsafeMutablePointer<Pane>>
        let ringShift: Int32
        let ringMask: Int64
    }

    /// Identifies one key's pane, for the values of `distinct` aggregates.
    struct PaneID: Hashable {
        var key: Int32
        var pane: Int64
    }

    /// Reads (and writes into existing panes) without reference counting.
    let view: PaneListsView
    // Internal, not private, for the checks in PaneLists+Invariants.swift.
    let shared: UnsafeMutablePointer<Shared>
    private(set) var keyCount = 0
    private(set) var keyCapacity = 0
    let pool = PaneStore()
    /// Pool slots handed out so far (the high-water mark).
    private(set) var used = 0
    /// Freed blocks by size (shift).
    private(set) var free: [[Int]] = Array(repeating: [], count: 63)
    let span: Int64
    /// Keys with an index below this start with a ring.
    let ringKeys: Int
    /// The values seen in each pane, for `distinct` aggregates only.
    private(set) var distinct: [PaneID: [Double]]?

    /// Lists whose panes older than the newest minus `span` are never read; `tracksDistinct`
    /// keeps each pane's distinct values; `ringBudget` bytes of rings are given to the first keys.
    init(span: Int64, tracksDistinct: Bool, ringBudget: Int = defaultRingBudget) {
        precondition(span >= 8 && span & (span - 1) == 0, "a pane list's span is a power of two, at least 8")
        self.span = span
        ringKeys = ringBudget / (Int(span) * MemoryLayout<Pane>.stride)
        shared = .allocate(capacity: 1)
        shared.initialize(to: Shared(headers: .allocate(capacity: 0), table: pool.table,
                                     ringShift: Int32(span.trailingZeroBitCount), ringMask: span - 1))
        view = PaneListsView(shared: shared)
        distinct = tracksDistinct ? [:] : nil
    }

    deinit {
        shared.pointee.headers.deallocate()
        shared.deallocate()
    }

    /// Bytes of pool handed out to lists (freed blocks included: they are reused, not returned).
    var bytes: Int { used * MemoryLayout<Pane>.stride }

    /// Adds an empty list for a new key.
    func appendKey() {
        if keyCount == keyCapacity { growHeaders(to: max(16, 2 * keyCapacity)) }
        (shared.pointee.headers + keyCount).initialize(to: Header())
        keyCount += 1
    }

    /// Makes room for `n` keys' headers, and touches the memory of the rings the first of
    /// them will get, so that keys met on the event path find it ready.
    func reserve(keys n: Int) {
        if used == 0 {
            pool.touch(from: 0, upTo: min(n, ringKeys) * Int(span))
            shared.pointee.table = pool.table
        }
        growHeaders(to: n)
    }

    /// Touches a page of the pool ahead of what is handed out (up to two rings' worth, at least
    /// 64 KiB), for idle moments: the next ring or block made on the event path then finds its
    /// memory backed. Returns whether there was a page to touch.
    func prefault() -> Bool {
        let ahead = max(2 * Int(span), 65_536 / MemoryLayout<Pane>.stride)
        guard pool.prefault(from: used, upTo: used + ahead, pages: 1) else { return false }
        shared.pointee.table = pool.table
        return true
    }

    private func growHeaders(to n: Int) {
        guard n > keyCapacity else { return }
        let grown = UnsafeMutablePointer<Header>.allocate(capacity: n)
        grown.moveInitialize(from: shared.pointee.headers, count: keyCount)
        shared.pointee.headers.deallocate()
        shared.pointee.headers = grown
        keyCapacity = n
    }

    /// Empties a key's list and gives its block back.
    func reset(_ key: Int32) {
        let h = shared.pointee.headers[Int(key)]
        guard h.shift >= 0 else { return }
        if distinct != nil {
            let isRing = h.shift == shared.pointee.ringShift
            for i in 0..<(isRing ? Int(span) : Int(h.count)) {
                let pane = isRing ? shared.pointee.table.pane(h.offset + i) : view.entry(h, i)
                distinct![PaneID(key: key, pane: pane.pointee.id)] = nil
            }
        }
        free[Int(h.shift)].append(h.offset)
        shared.pointee.headers[Int(key)] = Header()
    }

    /// The distinct values of a pane.
    func distinctValues(_ key: Int32, _ p: Int64) -> [Double] { distinct?[PaneID(key: key, pane: p)] ?? [] }

    /// Records a value in a pane's distinct values.
    func insertDistinct(_ v: Double, key: Int32, pane p: Int64) {
        let id = PaneID(key: key, pane: p)
        if distinct![id, default: []].contains(v) { return }
        distinct![id, default: []].append(v)
    }

    /// Pane `p` of a key, created empty (and `isNew` true) when it held no data.
    func write(_ key: Int32, _ p: Int64) -> (pane: UnsafeMutablePointer<Pane>, isNew: Bool) {
        if let pane = view.existing(key, p) { return (pane, false) }
        return (insert(key, p), true)
    }

    /// Adds an empty pane `p` (not in the list yet) at its place.
    func insert(_ key: Int32, _ p: Int64) -> UnsafeMutablePointer<Pane> {
        var h = shared.pointee.headers[Int(key)]
        if h.shift == shared.pointee.ringShift {
            // A ring: the pane one span older in the slot is never read again.
            let pane = shared.pointee.table.pane(h.offset + Int(p & shared.pointee.ringMask))
            if distinct != nil { distinct![PaneID(key: key, pane: pane.pointee.id)] = nil }
            pane.pointee = Pane()
            pane.pointee.id = p
            if p > h.newest { shared.pointee.headers[Int(key)].newest = p }
            return pane
        }
        if h.shift < 0 && Int(key) < ringKeys {
            shared.pointee.headers[Int(key)] = makeRing(h)
            return insert(key, p)
        }
        if h.shift < 0 {
            h = Header(offset: allocate(shift: 2).offset, newest: p, head: 0, count: 0, shift: 2)
        } else if h.count == 1 << h.shift {
            h = dropExpired(key, h, newest: max(p, h.newest))
            if h.count == 1 << h.shift {
                if h.shift + 3 >= shared.pointee.ringShift {
                    shared.pointee.headers[Int(key)] = makeRing(h)
                    return insert(key, p)
                }
                h = grow(h)
            }
        }
        if h.count == 0 || p > h.newest { h.newest = p }
        // Usually the newest; a late event's pane moves the newer ones up by one.
        var i = Int(h.count)
        while i > 0 && view.entry(h, i - 1).pointee.id > p {
            view.entry(h, i).pointee = view.entry(h, i - 1).pointee
            i -= 1
        }
        h.count += 1
        shared.pointee.headers[Int(key)] = h
        let pane = view.entry(h, i)
        pane.pointee = Pane()
        pane.pointee.id = p
        return pane
    }

    /// Drops the panes no reader asks for any more (older than the newest minus the span).
    private func dropExpired(_ key: Int32, _ header: Header, newest: Int64) -> Header {
        var h = header
        while h.count > 0 {
            let oldest = view.entry(h, 0).pointee.id
            guard oldest <= newest - span else { break }
            if distinct != nil { distinct![PaneID(key: key, pane: oldest)] = nil }
            h.head = (h.head + 1) & ((1 << h.shift) - 1)
            h.count -= 1
        }
        return h
    }

    /// Moves a full list into a block twice its size.
    private func grow(_ h: Header) -> Header {
        let moved = Header(offset: allocate(shift: Int(h.shift) + 1).offset, newest: h.newest, head: 0, count: h.count, shift: h.shift + 1)
        for i in 0..<Int(h.count) { view.entry(moved, i).pointee = view.entry(h, i).pointee }
        free[Int(h.shift)].append(h.offset)
        return moved
    }

    /// Moves a list (maybe without a block yet) into a ring of the span's length.
    private func makeRing(_ h: Header) -> Header {
        let (offset, fresh) = allocate(shift: Int(shared.pointee.ringShift))
        let ring = Header(offset: offset, newest: h.newest, head: 0, count: 0, shift: shared.pointee.ringShift)
        let table = shared.pointee.table
        if fresh {
            // Fresh pool memory is zero, and a zero pane is empty; but its pages are the
            // kernel's to find on first touch, a fault each that would otherwise fall on events
            // one by one as the ring fills over its horizon. Touch them now.
            pool.touch(from: ring.offset, upTo: ring.offset + Int(span))
            shared.pointee.table = pool.table
        } else {
            for i in 0..<Int(span) { table.pane(ring.offset + i).pointee = Pane() }
        }
        guard h.shift >= 0 else { return ring }
        for i in 0..<Int(h.count) {
            let pane = view.entry(h, i).pointee
            table.pane(ring.offset + Int(pane.id & shared.pointee.ringMask)).pointee = pane
        }
        free[Int(h.shift)].append(h.offset)
        return ring
    }

    /// A block of 1 << shift pool slots: a freed one, or fresh (zero) memory.
    private func allocate(shift: Int) -> (offset: Int, fresh: Bool) {
        if let offset = free[shift].popLast() { return (offset, false) }
        let offset = used
        used += 1 << shift
        if pool.capacity < used {
            pool.ensureCapacity(used)
            shared.pointee.table = pool.table
        }
        return (offset, true)
    }
}

/// Read access to pane lists through one pointer: what the engine's event path and evaluations
/// use, free of reference counting.
struct PaneListsView {
    let shared: UnsafeMutablePointer<PaneLists.Shared>

    /// The i-th pane (0 = oldest) of a list.
    @inline(__always)
    func entry(_ h: PaneLists.Header, _ i: Int) -> UnsafeMutablePointer<Pane> {
        shared.pointee.table.pane(h.offset + ((Int(h.head) + i) & ((1 << Int(h.shift)) - 1)))
    }

    /// The first position in `from..<to` whose pane is at or after `p` (`to` when none is).
    @inline(__always)
    private func lowerBound(_ h: PaneLists.Header, _ p: Int64, from: Int = 0, to: Int) -> Int {
        var lo = from, hi = to
        while lo < hi {
            let mid = (lo + hi) >> 1
            if entry(h, mid).pointee.id < p { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Whether a key's panes are in a ring (else in a list, or none yet).
    @inline(__always)
    func isRing(_ key: Int32) -> Bool { shared.pointee.headers[Int(key)].shift == shared.pointee.ringShift }

    /// Pane `p` in a ring's slot, nil when the slot holds another pane.
    @inline(__always)
    private func ringPane(_ h: PaneLists.Header, _ p: Int64) -> UnsafeMutablePointer<Pane>? {
        let pane = shared.pointee.table.pane(h.offset + Int(p & shared.pointee.ringMask))
        return pane.pointee.id == p ? pane : nil
    }

    /// Pane `p` of a key, nil when it holds no data.
    @inline(__always)
    func find(_ key: Int32, _ p: Int64) -> UnsafeMutablePointer<Pane>? {
        let h = shared.pointee.headers[Int(key)]
        return h.shift == shared.pointee.ringShift ? ringPane(h, p) : find(in: h, p)
    }

    /// Pane `p` of a list (not a ring), nil when it holds no data.
    @inline(never)
    private func find(in h: PaneLists.Header, _ p: Int64) -> UnsafeMutablePointer<Pane>? {
        let n = Int(h.count)
        guard n > 0, p <= h.newest else { return nil }
        // Readers mostly ask for the pane entering a window or the one leaving it: the newest
        // or one before the oldest.
        let oldest = entry(h, 0)
        if p <= oldest.pointee.id { return p == oldest.pointee.id ? oldest : nil }
        // Ids rise by at least one per position, so `p` is at or after position n − 1 − d, and
        // exactly there when the list has no gap after it (a busy key).
        let guess = n - 1 - Int(min(h.newest - p, Int64(n - 1)))
        let at = entry(h, guess)
        if at.pointee.id == p { return at }
        let i = lowerBound(h, p, from: guess + 1, to: n)
        guard i < n else { return nil }
        let found = entry(h, i)
        return found.pointee.id == p ? found : nil
    }

    /// Pane `p` of a key if it holds data: the newest pane in one step.
    @inline(__always)
    func existing(_ key: Int32, _ p: Int64) -> UnsafeMutablePointer<Pane>? {
        let h = shared.pointee.headers[Int(key)]
        if h.shift == shared.pointee.ringShift { return ringPane(h, p) }
        guard h.count > 0, p <= h.newest else { return nil }
        if p == h.newest { return entry(h, Int(h.count) - 1) }
        return find(in: h, p)
    }

    /// Count and sum of a pane (0 when it holds no data).
    @inline(__always)
    func countAndSum(_ key: Int32, _ p: Int64) -> (Double, Double) {
        countAndSum(in: header(key), p)
    }

    /// A key's header, for several reads of its panes in a row (while nothing is written).
    @inline(__always)
    func header(_ key: Int32) -> PaneLists.Header { shared.pointee.headers[Int(key)] }

    /// Count and sum of pane `p` of the key whose header is `h` (0 when it holds no data).
    @inline(__always)
    func countAndSum(in h: PaneLists.Header, _ p: Int64) -> (Double, Double) {
        let found = h.shift == shared.pointee.ringShift ? ringPane(h, p) : find(in: h, p)
        guard let pane = found else { return (0, 0) }
        return (Double(pane.pointee.count), pane.pointee.sum)
    }

    /// Calls `body` with each pane with data in [lo, hi], oldest first.
    @inline(__always)
    func forEach(_ key: Int32, from lo: Int64, to hi: Int64, _ body: (UnsafeMutablePointer<Pane>) -> Void) {
        let h = shared.pointee.headers[Int(key)]
        if h.shift == shared.pointee.ringShift {
            var p = lo
            while p <= hi { if let pane = ringPane(h, p) { body(pane) }; p += 1 }
            return
        }
        let n = Int(h.count)
        guard n > 0, lo <= h.newest else { return }
        var i = lowerBound(h, lo, to: n)
        while i < n {
            let pane = entry(h, i)
            if pane.pointee.id > hi { break }
            body(pane)
            i += 1
        }
    }

    /// The oldest pane with data in [lo, hi] (in a ring, only up to one span after lo: a ring
    /// is searched slot by slot).
    func oldest(_ key: Int32, from lo: Int64, to hi: Int64) -> UnsafeMutablePointer<Pane>? {
        let h = shared.pointee.headers[Int(key)]
        if h.shift == shared.pointee.ringShift {
            var p = lo
            let top = min(hi, lo + shared.pointee.ringMask)
            while p <= top { if let pane = ringPane(h, p) { return pane }; p += 1 }
            return nil
        }
        let i = lowerBound(h, lo, to: Int(h.count))
        guard i < Int(h.count) else { return nil }
        let pane = entry(h, i)
        return pane.pointee.id <= hi ? pane : nil
    }

    /// The newest pane with data in [lo, hi].
    func newest(_ key: Int32, from lo: Int64, to hi: Int64) -> UnsafeMutablePointer<Pane>? {
        let h = shared.pointee.headers[Int(key)]
        if h.shift == shared.pointee.ringShift {
            var p = hi
            while p >= lo { if let pane = ringPane(h, p) { return pane }; p -= 1 }
            return nil
        }
        let i = lowerBound(h, hi + 1, to: Int(h.count)) - 1
        guard i >= 0 else { return nil }
        let pane = entry(h, i)
        return pane.pointee.id >= lo ? pane : nil
    }
}
