/// A binary min-heap of (tick, key) evaluation requests, ordered by tick, then key: the
/// overflow of a `TickQueue` (requests outside its buckets' range).
struct TickHeap {
    /// The heap in array order: each item is not less than its parent at (i − 1) / 2.
    /// Settable within the module only so that the tests can break it on purpose
    /// (`_checkInvariants`, TickHeap+Invariants.swift).
    var items: [(tick: Int64, key: Int32)] = []

    /// Whether no request is held.
    var isEmpty: Bool { items.isEmpty }
    /// The least request, nil when empty.
    var top: (tick: Int64, key: Int32)? { items.first }

    /// The heap's order: by tick, then by key.
    @inline(__always)
    static func less(_ a: (tick: Int64, key: Int32), _ b: (tick: Int64, key: Int32)) -> Bool {
        a.tick < b.tick || (a.tick == b.tick && a.key < b.key)
    }

    /// Adds a request.
    mutating func push(_ tick: Int64, _ key: Int32) {
        let item = (tick: tick, key: key)
        items.append(item)
        // Sift the hole up, moving parents down, then drop the item in.
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.less(item, items[parent]) else { break }
            items[i] = items[parent]
            i = parent
        }
        items[i] = item
    }

    /// Removes and returns the least request, nil when empty.
    mutating func pop() -> (tick: Int64, key: Int32)? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        let n = items.count
        if n > 0 {
            // Sift the hole down from the root, moving the smaller child up, then drop `last` in.
            var i = 0
            while true {
                let l = 2 * i + 1
                if l >= n { break }
                let r = l + 1
                let m = r < n && Self.less(items[r], items[l]) ? r : l
                guard Self.less(items[m], last) else { break }
                items[i] = items[m]
                i = m
            }
            items[i] = last
        }
        return first
    }
}
