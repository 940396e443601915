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
                        amount_28d_fen, amount_prev_28d_fen, days_since_visit, calls_28d, positive_calls_28d, competitor_signals_7d,
                        calls_total, positive_calls_total)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for r in snapshots {
                    s.bind(1, run); s.bind(2, Int(r.day)); s.bind(3, r.customer); s.bind(4, Int(r.store))
                    s.bind(5, Int(r.tenureDays)); s.bind(6, Int(r.daysSinceOrder)); s.bind(7, Int(r.orders28d))
                    s.bind(8, r.amount28d); s.bind(9, r.amountPrev28d); s.bind(10, Int(r.daysSinceVisit))
                    s.bind(11, Int(r.calls28d)); s.bind(12, Int(r.positiveCalls28d)); s.bind(13, Int(r.competitorSignals7d))
                    s.bind(14, Int(r.callsTotal)); s.bind(15, Int(r.positiveCallsTotal))
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


/// An alert as the run store keeps it: the engine's figures and the three tiers' messages.
public struct AlertRecord: Sendable, Equatable {
    /// Order of the alert in the run.
    public var seq: Int64
    /// Event time of the tick.
    public var time: Millis
    /// Index of the rule in the run's rule set.
    public var rule: Int
    /// The rule's id.
    public var ruleID: String
    /// The rule's scope.
    public var scope: String
    /// The key (store, city, region, rep or customer id).
    public var key: Int64
    /// `fired` or `escalated`.
    public var kind: String
    /// The tier told.
    public var tier: String
    /// Where the alert was sent (the rule's route; escalations go to the next tier's queue).
    public var route: String
    /// The measured value.
    public var value: Double?
    /// The compared quantity.
    public var compared: Double?
    /// The lagged value or baseline mean.
    public var reference: Double?
    /// Wall-clock nanoseconds from the arrival of the event that closed the tick to the alert.
    public var latencyNanoseconds: Int64
    /// Event time of the evidence that closed the tick (nil for alerts of the stream's end).
    public var evidenceTime: Millis?
    /// When the alert came out in simulated time: the arrival of that evidence (its own time
    /// with instant delivery).
    public var emittedTime: Millis?
    /// The rep's task card.
    public var repMessage: String
    /// The regional manager's figure against its threshold.
    public var managerMessage: String
    /// HQ's root-cause suggestion.
    public var hqMessage: String

    /// Creates a record.
    public init(seq: Int64, time: Millis, rule: Int, ruleID: String, scope: String, key: Int64, kind: String, tier: String,
                route: String, value: Double?, compared: Double?, reference: Double?, latencyNanoseconds: Int64,
                repMessage: String, managerMessage: String, hqMessage: String) {
        self.seq = seq; self.time = time; self.rule = rule; self.ruleID = ruleID; self.scope = scope; self.key = key
        self.kind = kind; self.tier = tier; self.route = route; self.value = value; self.compared = compared; self.reference = reference
        self.latencyNanoseconds = latencyNanoseconds
        self.repMessage = repMessage; self.managerMessage = managerMessage; self.hqMessage = hqMessage
    }

    /// The record with its evidence and emission times.
    public func with(evidenceTime: Millis?, emittedTime: Millis?) -> AlertRecord {
        var r = self
        r.evidenceTime = evidenceTime
        r.emittedTime = emittedTime
        return r
    }
}

/// An action triggered by an alert, with the effect applied to the world (if any).
public struct ActionRecord: Sendable, Equatable {
    /// The alert that triggered it.
    public var alertSeq: Int64
    /// The action's name.
    public var action: String
    /// Its parameters, as `key=value` pairs.
    public var parameters: String
    /// Where it acted, as the run store writes it (e.g. `city:Hangzhou`).
    public var place: String
    /// Where it acted, as a value (not stored: the run store keeps `place`).
    public var target: Place
    /// Start of the effect, event time.
    public var start: Millis
    /// End of the effect.
    public var end: Millis
    /// The effect, e.g. `churn×0.55 acquisition×1.25`, or `none` when the scenario models none.
    public var effect: String
    /// Whether the effect was applied to the simulated world (false with --no-actions).
    public var applied: Bool
    /// The parameters as a JSON object (`{"videos":"2000"}`).
    public var parametersJSON: String
    /// The effect's multipliers of the churn hazard, of store traffic and of lead acquisition;
    /// nil where the action leaves that rate alone.
    public var churnMultiplier: Double?, trafficMultiplier: Double?, acquisitionMultiplier: Double?

    /// Creates a record.
    public init(alertSeq: Int64, action: String, parameters: String, place: String, target: Place, start: Millis, end: Millis,
                effect: String, applied: Bool, parametersJSON: String = "{}", churnMultiplier: Double? = nil, trafficMultiplier: Double? = nil,
                acquisitionMultiplier: Double? = nil) {
        self.alertSeq = alertSeq; self.action = action; self.parameters = parameters; self.place = place; self.target = target
        self.start = start; self.end = end; self.effect = effect; self.applied = applied
        self.parametersJSON = parametersJSON
        self.churnMultiplier = churnMultiplier; self.trafficMultiplier = trafficMultiplier; self.acquisitionMultiplier = acquisitionMultiplier
    }
}

extension RunStore {
    /// Records the run's rules.
    public func writeRules(run: Int64, rules: [(id: String, description: String, scope: String, tier: String, every: Millis)]) throws {
        try db.transaction {
            let s = try db.prepare("INSERT INTO rules (run, rule, id, description, scope, tier, every_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")
            for (i, r) in rules.enumerated() {
                s.bind(1, run); s.bind(2, i); s.bind(3, r.id); s.bind(4, r.description); s.bind(5, r.scope); s.bind(6, r.tier)
                s.bind(7, r.every)
                try s.run()
            }
        }
    }

    /// Records alerts and their actions in one transaction.
    public func writeAlerts(run: Int64, alerts: [AlertRecord], actions: [ActionRecord]) throws {
        if alerts.isEmpty && actions.isEmpty { return }
        try db.transaction {
            let s = try db.prepare("""
                INSERT INTO alerts (run, seq, time_ms, rule, rule_id, scope, key, kind, tier, route, value, compared, reference,
                    emit_latency_ns, rep_message, manager_message, hq_message, evidence_ms, emitted_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for a in alerts {
                s.bind(1, run); s.bind(2, a.seq); s.bind(3, a.time); s.bind(4, a.rule); s.bind(5, a.ruleID); s.bind(6, a.scope)
                s.bind(7, a.key); s.bind(8, a.kind); s.bind(9, a.tier); s.bind(10, a.route); s.bind(11, a.value)
                s.bind(12, a.compared); s.bind(13, a.reference); s.bind(14, a.latencyNanoseconds); s.bind(15, a.repMessage)
                s.bind(16, a.managerMessage); s.bind(17, a.hqMessage); s.bind(18, a.evidenceTime); s.bind(19, a.emittedTime)
                try s.run()
            }
            let t = try db.prepare("""
                INSERT INTO actions (run, alert_seq, action, parameters, place, start_ms, end_ms, effect, applied,
                    parameters_json, churn_multiplier, traffic_multiplier, acquisition_multiplier)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for a in actions {
                t.bind(1, run); t.bind(2, a.alertSeq); t.bind(3, a.action); t.bind(4, a.parameters); t.bind(5, a.place)
                t.bind(6, a.start); t.bind(7, a.end); t.bind(8, a.effect); t.bind(9, a.applied ? 1 : 0)
                t.bind(10, a.parametersJSON); t.bind(11, a.churnMultiplier); t.bind(12, a.trafficMultiplier); t.bind(13, a.acquisitionMultiplier)
                try t.run()
            }
        }
    }

    /// A run's alerts in order.
    public func alerts(run: Int64) throws -> [AlertRecord] {
        try alerts(where: "run = ?") { $0.bind(1, run) }
    }

    /// The first of a run's alerts with this time, rule and key (a report's three-tier package).
    public func alert(run: Int64, time: Millis, ruleID: String, key: Int64) throws -> AlertRecord? {
        try alerts(where: "run = ? AND time_ms = ? AND rule_id = ? AND key = ?") {
            $0.bind(1, run); $0.bind(2, time); $0.bind(3, ruleID); $0.bind(4, key)
        }.first
    }

    /// Every stored alert's emission latency (ns), in the order the alerts were raised.
    public func alertLatencies(run: Int64) throws -> [Int64] {
        let s = try db.prepare("SELECT emit_latency_ns FROM alerts WHERE run = ? ORDER BY seq")
        s.bind(1, run)
        defer { s.reset() }
        var out: [Int64] = []
        while try s.next() { out.append(s.int(0)) }
        return out
    }

    private func alerts(where condition: String, bind: (Statement) -> Void) throws -> [AlertRecord] {
        let s = try db.prepare("""
            SELECT seq, time_ms, rule, rule_id, scope, key, kind, tier, route, value, compared, reference, emit_latency_ns,
                   rep_message, manager_message, hq_message FROM alerts WHERE \(condition) ORDER BY seq
            """)
        bind(s)
        defer { s.reset() }
        var out: [AlertRecord] = []
        while try s.next() {
            out.append(AlertRecord(seq: s.int(0), time: s.int(1), rule: Int(s.int(2)), ruleID: s.text(3) ?? "", scope: s.text(4) ?? "",
                                   key: s.int(5), kind: s.text(6) ?? "", tier: s.text(7) ?? "", route: s.text(8) ?? "",
                                   value: s.isNull(9) ? nil : s.double(9), compared: s.isNull(10) ? nil : s.double(10),
                                   reference: s.isNull(11) ? nil : s.double(11), latencyNanoseconds: s.int(12),
                                   repMessage: s.text(13) ?? "", managerMessage: s.text(14) ?? "", hqMessage: s.text(15) ?? ""))
        }
        return out
    }
}
