import WarRoomCore

/// Writes a run's event log into the store in batched multi-row inserts, one transaction a batch.
public final class EventRecorder {
    private let store: RunStore
    private let run: Int64
    private let wide: Statement
    private let single: Statement
    /// Events written so far (also the next sequence number).
    public private(set) var written: Int64 = 0

    static let rowsPerStatement = 64
    static let columns: Int32 = 13

    /// Prepares a recorder for a run.
    public init(store: RunStore, run: Int64) throws {
        self.store = store
        self.run = run
        let row = "(" + Array(repeating: "?", count: Int(Self.columns)).joined(separator: ",") + ")"
        let head = "INSERT INTO events (run, seq, time_ms, kind, store, city, region, customer, rep, sku, quantity, amount_fen, attr) VALUES "
        wide = try store.db.prepare(head + Array(repeating: row, count: Self.rowsPerStatement).joined(separator: ","))
        single = try store.db.prepare(head + row)
    }

    /// Appends events (already in stream order) in one transaction.
    public func record(_ events: [Event]) throws {
        if events.isEmpty { return }
        try store.db.transaction {
            var i = 0
            let n = events.count
            let width = Self.rowsPerStatement
            while i + width <= n {
                for r in 0..<width { bind(wide, row: Int32(r), events[i + r]) }
                try wide.run()
                i += width
            }
            while i < n {
                bind(single, row: 0, events[i])
                try single.run()
                i += 1
            }
        }
    }

    @inline(__always)
    private func bind(_ s: Statement, row: Int32, _ e: Event) {
        let b = row * Self.columns
        s.bind(b + 1, run); s.bind(b + 2, written); s.bind(b + 3, e.time); s.bind(b + 4, Int64(e.kind.rawValue))
        s.bind(b + 5, Int64(e.store)); s.bind(b + 6, Int64(e.city)); s.bind(b + 7, Int64(e.region)); s.bind(b + 8, e.customer)
        s.bind(b + 9, Int64(e.rep)); s.bind(b + 10, Int64(e.sku)); s.bind(b + 11, Int64(e.quantity)); s.bind(b + 12, e.amount)
        s.bind(b + 13, Int64(e.attr))
        written += 1
    }
}
