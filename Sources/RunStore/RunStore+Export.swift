import CSQLite3

/// The tables `warroom export` writes for a run (a fixed list: table names and queries are never
/// built from input): the lookups, the observed panels, the truth, the events, rules, alerts and
/// actions.
public enum RunTable: String, Sendable, CaseIterable {
    /// The world's regions (lookup).
    case regions = "regions"
    /// The world's cities and their region (lookup).
    case cities = "cities"
    /// The world's stores: city, region and rep (lookup).
    case stores = "stores"
    /// Event kind codes and names (lookup, the same for every run).
    case eventKinds = "event_kinds"
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
    /// The rules of the run.
    case rules = "rules"
    /// Alerts and escalations.
    case alerts = "alerts"
    /// Actions triggered by alerts.
    case actions = "actions"
    /// The observed store × day sales as a forecasting panel (`unique_id`, `ds`, `y` in yuan): the
    /// long format `warroom backtest --data` and statsforecast read.
    case salesPanel = "sales_panel"

    /// The export's query: `?1` is the run, `?2` the first live day as days since 1970-01-01.
    ///
    /// Beside every day index a `date`, and beside every event time in milliseconds its calendar
    /// time (`YYYY-MM-DDTHH:MM:SS.sss`, the scenario's calendar, no time zone); kinds by name;
    /// NULL, not −1, for "no store, account or rep"; an action's parameters as a JSON object and
    /// its effect as one multiplier per rate.
    var exportSQL: String {
        let date = { (day: String) in "date((?2 + \(day)) * 86400, 'unixepoch')" }
        let time = { (ms: String) in "strftime('%Y-%m-%dT%H:%M:%f', (?2 * 86400000 + \(ms)) / 1000.0, 'unixepoch')" }
        switch self {
        case .regions: return "SELECT region, name FROM regions WHERE run = ?1 ORDER BY region"
        case .cities: return "SELECT city, name, region FROM cities WHERE run = ?1 ORDER BY city"
        case .stores: return "SELECT store, city, region, rep FROM stores WHERE run = ?1 ORDER BY store"
        case .eventKinds: return "SELECT kind AS code, name FROM event_kinds WHERE ?1 = ?1 ORDER BY kind"
        case .storeDaySales:
            return "SELECT store, day, \(date("day")) AS date, lines, units, amount_fen, account_lines FROM store_day_sales WHERE run = ?1 ORDER BY store, day"
        case .customers:
            return """
                SELECT customer, store, won_day, \(date("won_day")) AS won_date, lost_day, CASE WHEN lost_day IS NULL THEN NULL ELSE \(date("lost_day")) END AS lost_date
                FROM customers WHERE run = ?1 ORDER BY customer
                """
        case .customerSnapshots:
            return """
                SELECT day, \(date("day")) AS date, customer, store, tenure_days, days_since_order, orders_28d, amount_28d_fen, amount_prev_28d_fen,
                    days_since_visit, calls_28d, positive_calls_28d, competitor_signals_7d, calls_total, positive_calls_total
                FROM customer_snapshots WHERE run = ?1 ORDER BY day, customer
                """
        case .truthStoreDay:
            return """
                SELECT store, day, \(date("day")) AS date, expected_lines, expected_amount, lost_lines, shock_factor
                FROM truth_store_day WHERE run = ?1 ORDER BY store, day
                """
        case .truthCustomerDay:
            return "SELECT customer, day, \(date("day")) AS date, churn_probability, reached FROM truth_customer_day WHERE run = ?1 ORDER BY customer, day"
        case .truthShocks:
            return """
                SELECT name, city, onset_ms, \(time("onset_ms")) AS onset, full_effect_ms, \(time("full_effect_ms")) AS full_effect,
                    end_ms, \(time("end_ms")) AS "end", stores
                FROM truth_shocks WHERE run = ?1 ORDER BY onset_ms, name
                """
        case .events:
            return """
                SELECT e.seq, e.time_ms, \(time("e.time_ms")) AS time, k.name AS kind, NULLIF(e.store, -1) AS store, e.city, e.region,
                    NULLIF(e.customer, -1) AS customer, NULLIF(e.rep, -1) AS rep, e.sku, e.quantity, e.amount_fen, e.attr
                FROM events e LEFT JOIN event_kinds k ON k.kind = e.kind WHERE e.run = ?1 ORDER BY e.seq
                """
        case .rules: return "SELECT rule, id, description, scope, tier, every_ms FROM rules WHERE run = ?1 ORDER BY rule"
        case .alerts:
            return """
                SELECT seq, time_ms, \(time("time_ms")) AS time, rule, rule_id, scope, key, kind, tier, route, value, compared, reference,
                    emit_latency_ns, rep_message, manager_message, hq_message
                FROM alerts WHERE run = ?1 ORDER BY seq
                """
        case .actions:
            return """
                SELECT alert_seq, action, parameters_json AS parameters, place, start_ms, \(time("start_ms")) AS start, end_ms, \(time("end_ms")) AS "end",
                    churn_multiplier, traffic_multiplier, acquisition_multiplier, effect, applied
                FROM actions WHERE run = ?1 ORDER BY alert_seq, action
                """
        case .salesPanel:
            return """
                SELECT c.name || '-' || d.store AS unique_id, \(date("d.day")) AS ds, d.amount_fen / 100.0 AS y
                FROM store_day_sales d JOIN stores s ON s.run = d.run AND s.store = d.store JOIN cities c ON c.run = d.run AND c.city = s.city
                WHERE d.run = ?1 ORDER BY d.store, d.day
                """
        }
    }
}

extension RunStore {
    /// A value of an exported row.
    public enum ExportValue: Sendable, Equatable {
        case null, int(Int64), double(Double), text(String)
    }

    /// The number of rows a run has in a table (for checks and summaries; every run has all the
    /// event kinds, and a sales panel row per store-day).
    public func count(_ table: RunTable, run: Int64) throws -> Int {
        let sql = switch table {
        case .eventKinds: "SELECT COUNT(*) FROM event_kinds WHERE ? = ?1"
        case .salesPanel: "SELECT COUNT(*) FROM store_day_sales WHERE run = ?"
        default: "SELECT COUNT(*) FROM \(table.rawValue) WHERE run = ?"
        }
        let s = try db.prepare(sql)
        s.bind(1, run)
        defer { s.reset() }
        _ = try s.next()
        return Int(s.int(0))
    }

    /// Every row of one of a run's tables as `warroom export` writes it (`RunTable.exportSQL`), in
    /// key order, with the column names.
    ///
    /// - Parameter liveStartDay: the first live day as days since 1970-01-01, for the dates and
    ///   calendar times beside day indices and event times.
    public func export(_ table: RunTable, run: Int64, liveStartDay: Int, header: ([String]) throws -> Void,
                       row: ([ExportValue]) throws -> Void) throws {
        let s = try db.prepare(table.exportSQL)
        s.bind(1, run)
        s.bind(2, liveStartDay)
        defer { s.reset() }
        let columns = Array(0..<s.columnCount)
        try header(columns.map { s.columnName($0) })
        while try s.next() {
            try row(columns.map { c in
                if s.isNull(c) { return .null }
                if s.isInteger(c) { return .int(s.int(c)) }
                if s.isReal(c) { return .double(s.double(c)) }
                return .text(s.text(c) ?? "")
            })
        }
    }
}
