import WarRoomCore

extension RunStore {
    /// Writes one simulated day's observed panels and truth in one transaction.
    public func writeDay(run: Int64, sales: [StoreDaySales], snapshots: [CustomerSnapshot],
                         storeTruth: [StoreDayTruth], customerTruth: [CustomerDayTruth]) throws {
        try db.transaction {
            if !sales.isEmpty {
                let s = try db.prepare("""
                    INSERT INTO store_day_sales (run, store, day, lines, units, amount_fen, account_lines) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                for r in sales {
                    s.bind(1, run); s.bind(2, Int(r.store)); s.bind(3, Int(r.day)); s.bind(4, Int(r.lines))
                    s.bind(5, r.units); s.bind(6, r.amount); s.bind(7, Int(r.accountLines))
                    try s.run()
                }
            }
            if !snapshots.isEmpty {
                let s = try db.prepare("""
                    INSERT INTO customer_snapshots (run, day, customer, store, tenure_days, days_since_order, orders_28d,
                        amount_28d_fen, amount_prev_28d_fen, days_since_visit, calls_28d, positive_calls_28d, competitor_signals_7d)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for r in snapshots {
                    s.bind(1, run); s.bind(2, Int(r.day)); s.bind(3, r.customer); s.bind(4, Int(r.store))
                    s.bind(5, Int(r.tenureDays)); s.bind(6, Int(r.daysSinceOrder)); s.bind(7, Int(r.orders28d))
                    s.bind(8, r.amount28d); s.bind(9, r.amountPrev28d); s.bind(10, Int(r.daysSinceVisit))
                    s.bind(11, Int(r.calls28d)); s.bind(12, Int(r.positiveCalls28d)); s.bind(13, Int(r.competitorSignals7d))
                    try s.run()
                }
            }
            if !storeTruth.isEmpty {
                let s = try db.prepare("""
                    INSERT INTO truth_store_day (run, store, day, expected_lines, expected_amount, lost_lines, shock_factor)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                for r in storeTruth {
                    s.bind(1, run); s.bind(2, Int(r.store)); s.bind(3, Int(r.day)); s.bind(4, r.expectedLines)
                    s.bind(5, r.expectedAmount); s.bind(6, Int(r.lostLines)); s.bind(7, r.shockFactor)
                    try s.run()
                }
            }
            if !customerTruth.isEmpty {
                let s = try db.prepare("""
                    INSERT INTO truth_customer_day (run, customer, day, churn_probability, reached) VALUES (?, ?, ?, ?, ?)
                    """)
                for r in customerTruth {
                    s.bind(1, run); s.bind(2, r.customer); s.bind(3, Int(r.day)); s.bind(4, r.churnProbability)
                    s.bind(5, r.reachedByCompetitor ? 1 : 0)
                    try s.run()
                }
            }
        }
    }

    /// Writes the accounts the CRM knows and the shocks' truth, once at the end of a run.
    public func writeCustomers(run: Int64, customers: [CustomerRecord], shocks: [ShockTruth]) throws {
        try db.transaction {
            let s = try db.prepare("INSERT INTO customers (run, customer, store, won_day, lost_day) VALUES (?, ?, ?, ?, ?)")
            for c in customers {
                s.bind(1, run); s.bind(2, c.customer); s.bind(3, Int(c.store)); s.bind(4, Int(c.wonDay))
                s.bind(5, c.lostDay.map { Int64($0) })
                try s.run()
            }
            let t = try db.prepare("""
                INSERT INTO truth_shocks (run, name, city, onset_ms, full_effect_ms, end_ms, stores) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for shock in shocks {
                t.bind(1, run); t.bind(2, shock.name); t.bind(3, Int(shock.city)); t.bind(4, shock.onset)
                t.bind(5, shock.fullEffect); t.bind(6, shock.end); t.bind(7, shock.stores.count)
                try t.run()
            }
        }
    }

    /// The observed store × day sales panel of a run, ordered by store then day.
    public func salesPanel(run: Int64) throws -> [StoreDaySales] {
        let s = try db.prepare("""
            SELECT store, day, lines, units, amount_fen, account_lines FROM store_day_sales WHERE run = ? ORDER BY store, day
            """)
        s.bind(1, run)
        defer { s.reset() }
        var out: [StoreDaySales] = []
        while try s.next() {
            out.append(StoreDaySales(store: Int32(s.int(0)), day: Int32(s.int(1)), lines: Int32(s.int(2)), units: s.int(3),
                                     amount: s.int(4), accountLines: Int32(s.int(5))))
        }
        return out
    }

    /// The number of rows a run has in a table (for checks and summaries).
    public func count(_ table: RunTable, run: Int64) throws -> Int {
        let s = try db.prepare("SELECT COUNT(*) FROM \(table.rawValue) WHERE run = ?")
        s.bind(1, run)
        defer { s.reset() }
        _ = try s.next()
        return Int(s.int(0))
    }

    /// The events recorded for a run, in stream order.
    public func events(run: Int64) throws -> [Event] {
        let s = try db.prepare("""
            SELECT time_ms, kind, store, city, region, customer, rep, sku, quantity, amount_fen, attr
            FROM events WHERE run = ? ORDER BY seq
            """)
        s.bind(1, run)
        defer { s.reset() }
        var out: [Event] = []
        while try s.next() {
            out.append(Event(time: s.int(0), kind: EventKind(rawValue: UInt8(s.int(1))) ?? .sale, store: Int32(s.int(2)),
                             city: Int16(s.int(3)), region: Int16(s.int(4)), customer: s.int(5), rep: Int32(s.int(6)),
                             sku: Int32(s.int(7)), quantity: Int32(s.int(8)), amount: s.int(9), attr: UInt32(s.int(10))))
        }
        return out
    }
}

/// The tables that hold a run's rows (a fixed list: table names are never built from input).
public enum RunTable: String, Sendable, CaseIterable {
    /// Observed store × day sales.
    case storeDaySales = "store_day_sales"
    /// CRM accounts.
    case customers = "customers"
    /// Weekly customer snapshots.
    case customerSnapshots = "customer_snapshots"
    /// True expected store × day sales.
    case truthStoreDay = "truth_store_day"
    /// True customer churn probabilities.
    case truthCustomerDay = "truth_customer_day"
    /// Shock onsets and footprints.
    case truthShocks = "truth_shocks"
    /// The recorded event log.
    case events = "events"
}
