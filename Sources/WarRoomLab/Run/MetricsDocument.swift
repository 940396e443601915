import Reporting
import RunStore
import WarRoomCore

/// The contents of `metrics.json` (schema version 2: the names of `JSONNaming`; version 1 had
/// `schema` and unit-less names such as `alerts.fired`).
///
/// Every figure except those under `timing`-like keys (`simulation.*_seconds`,
/// `simulation.events_per_second`, `simulation.peak_rss_mib`, `run.id`, `run.started_at`) is a
/// pure function of the scenario and seed.
public struct MetricsDocument {
    /// Schema version of the document.
    public static let schema: Int64 = 2
    /// The JSON.
    public var json: JSONValue
    /// The figures `warroom run` prints, as they stand in `json`.
    public var figures: RunFigures

    static func make(info: RunInfo, scenario: Scenario, layout: WorldLayout, analysis a: RunAnalysis, timing: RunTiming,
                     alerts: AlertRunReport?, models: ModelOutcome) -> MetricsDocument {
        let stream = a.collector.stream
        let totals = a.liveTotals
        let live = scenario.calendar.liveDays
        let storeDays = Double(layout.stores.count * live)
        let meanNetworkChurn = a.networkChurn7d.dropFirst(7).reduce(0, +) / Double(max(1, a.networkChurn7d.count - 7))
        func r(_ v: Double, _ digits: Double = 1e6) -> JSONValue { .double((v * digits).rounded() / digits) }
        let eventsPerSecond = timing.liveSimulationSeconds > 0 ? Double(stream.events) / timing.liveSimulationSeconds : 0

        let byKind: [(String, JSONValue)] = EventKind.allCases.map { ($0.description, .int(Int64(stream.byKind[Int($0.rawValue)]))) }
        let shocks: [JSONValue] = a.shocks.map { s in
            .object([
                ("name", .string(s.truth.name)),
                ("city", .string(s.cityName)),
                ("onset_ms", .int(s.truth.onset)),
                ("onset_day", .int(Int64(SimTime.dayIndex(s.truth.onset)))),
                ("stores", .int(Int64(s.truth.stores.count))),
                ("first_signal_ms", s.firstSignal.map { .int($0) } ?? .null),
                ("first_signal_delay_ms", s.firstSignal.map { .int($0 - s.truth.onset) } ?? .null),
                ("churn_7d_before_share", r(s.churnBefore)),
                ("churn_7d_peak_share", r(s.churnPeak)),
                ("churn_7d_peak_day", .int(Int64(s.churnPeakDay))),
                ("churn_7d_other_cities_mean", r(s.othersMean)),
            ])
        }
        var alertsJSON: JSONValue = .null
        if let alerts { alertsJSON = alertMetrics(alerts) }
        let json = JSONValue.object([
            ("schema_version", .int(schema)),
            ("kind", .string("run")),
            ("run", .object([
                ("id", .string(info.id)),
                ("scenario", .string(scenario.name)),
                ("scenario_path", .string(info.scenarioPath)),
                ("scenario_hash", .string(info.scenarioHash)),
                ("seed", .int(Int64(bitPattern: info.seed))),
                ("event_digest", .string(stream.digest.hex)),
                ("events", .int(Int64(stream.events))),
                ("started_at", .string(info.startedAt)),
                ("history_days", .int(Int64(scenario.calendar.historyDays))),
                ("live_days", .int(Int64(live))),
                ("first_live_day", .string(scenario.calendar.start.description)),
                ("recorded_events", .bool(info.recordedEvents)),
            ])),
            ("simulation", .object([
                ("wall_seconds", r(timing.simulationSeconds, 1000)),
                ("live_wall_seconds", r(timing.liveSimulationSeconds, 1000)),
                ("events_per_second", r(eventsPerSecond, 1)),
                ("run_wall_seconds", r(timing.wallSeconds, 1000)),
                ("record_seconds", timing.recordSeconds.map { r($0, 1000) } ?? .null),
                ("peak_rss_mib", timing.peakResidentMiB.map { r($0, 10) } ?? .null),
            ])),
            ("world", .object([
                ("regions", .int(Int64(layout.regions.count))),
                ("cities", .int(Int64(layout.cities.count))),
                ("stores", .int(Int64(layout.stores.count))),
                ("reps", .int(Int64(layout.reps.count))),
                ("live_start_customers", .int(Int64(a.customersAtStart))),
                ("live_end_customers", .int(Int64(a.customersAtEnd))),
            ])),
            ("events_by_kind", .object(byKind)),
            ("sales", .object([
                ("live_lines", .int(totals.lines)),
                ("live_amount_cny", r(totals.amountCNY, 100)),
                ("lines_per_store_day", r(Double(totals.lines) / storeDays, 100)),
            ])),
            ("churn", .object([
                ("live_lost_accounts", .int(Int64(a.lostLive))),
                ("network_7d_rate_mean", r(meanNetworkChurn)),
            ])),
            ("shocks", .array(shocks)),
            ("alerts", alertsJSON),
        ] + modelMetrics(models) + [
            ("truth_check", .object([
                ("stockout_lost_walk_in_lines", .int(a.collector.lostLines)),
                ("live_lines_observed_over_expected_ratio", r(Double(totals.lines) / max(totals.expectedLines, 1))),
                ("live_amount_observed_over_expected_ratio", r(totals.amountCNY / max(totals.expectedAmountCNY, 1))),
                ("live_lost_accounts_observed_over_expected_ratio", r(Double(a.lostLive) / max(a.collector.expectedLost, 1))),
            ])),
        ])
        var figures = RunFigures(events: stream.events, eventDigest: stream.digest.hex, eventsPerSecond: Figure.rounded(eventsPerSecond, scale: 1),
                                 runWallSeconds: Figure.rounded(timing.wallSeconds, scale: 1000),
                                 peakResidentMiB: timing.peakResidentMiB.map { Figure.rounded($0, scale: 10) })
        if let x = alerts?.analysis {
            figures.alerts = RunFigures.Alerts(fired: x.byRule.reduce(0) { $0 + $1.fired }, escalated: x.byRule.reduce(0) { $0 + $1.escalated },
                                               precision: x.precision.map { Figure.rounded($0) }, recall: x.recall.map { Figure.rounded($0) })
            if let stage = alerts?.stage, stage.delivered {
                let age = stage.dataAge
                figures.alerts?.delivery = RunFigures.Delivery(dataAgeMedianMs: Int64(age.valueAtPercentile(50)), dataAgeP99Ms: Int64(age.valueAtPercentile(99)),
                                                               lateEvents: x.lateEvents, firstOutAfterOnsetMs: x.detections.first?.emissionDelay)
            }
        }
        if case .evaluated(let e) = models { figures.models = ModelFigures(e) }
        return MetricsDocument(json: json, figures: figures)
    }

    /// The model backtest's parts of metrics.json: `forecast`, `forecast_lines`, `churn_model`
    /// and `model_verdicts` (or `models_skipped` with the reason).
    static func modelMetrics(_ models: ModelOutcome) -> [(String, JSONValue)] {
        switch models {
        case .skipped(let reason): return [("models_skipped", .string(reason))]
        case .evaluated(let e):
            return e.json.map { key, value in
                switch key {
                case "churn": return ("churn_model", value)
                case "verdicts": return ("model_verdicts", value)
                default: return (key, value)
                }
            }
        }
    }

    /// The `alerts` object of metrics.json.
    static func alertMetrics(_ alerts: AlertRunReport) -> JSONValue {
        let x = alerts.analysis
        func r(_ v: Double, _ digits: Double = 1e6) -> JSONValue { .double((v * digits).rounded() / digits) }
        let fired = x.byRule.reduce(0) { $0 + $1.fired }
        let escalated = x.byRule.reduce(0) { $0 + $1.escalated }
        let byRule: [(String, JSONValue)] = x.byRule.map { ($0.id, JSONValue.int(Int64($0.fired))) }
        let byTier: [(String, JSONValue)] = x.byTier.map { ($0.tier, JSONValue.int(Int64($0.count))) }
        let latency: [(String, JSONValue)] = x.detections.map { d in (d.shock.name, d.latency.map { JSONValue.int($0) } ?? .null) }
        let detections: [JSONValue] = x.detections.map { d in
            let firstRule: JSONValue = d.firstAlert.map { .string($0.ruleID) } ?? .null
            let firstTime: JSONValue = d.firstAlert.map { .int($0.time) } ?? .null
            let lat: JSONValue = d.latency.map { .int($0) } ?? .null
            let emit: JSONValue = d.firstAlert.map { .double(Double($0.latencyNanoseconds) / 1000) } ?? .null
            // With delayed delivery the first alert out is the one whose data arrived first.
            let out: JSONValue = d.firstEmitted.map { .int($0.emittedAt) } ?? .null
            let dataDelay: JSONValue = d.firstEmitted.map { .int($0.emittedAt - $0.time) } ?? .null
            let emissionDelay: JSONValue = d.emissionDelay.map { .int($0) } ?? .null
            let perRule: [(String, JSONValue)] = d.firstByRule.map { ($0.rule, JSONValue.int($0.time - d.shock.onset)) }
            return .object([("shock", .string(d.shock.name)), ("onset_ms", .int(d.shock.onset)), ("first_rule", firstRule),
                            ("first_alert_ms", firstTime), ("latency_ms", lat), ("latency_ms_by_rule", .object(perRule)),
                            ("emit_latency_us", emit), ("first_out_ms", out), ("first_out_data_delay_ms", dataDelay),
                            ("first_out_after_onset_ms", emissionDelay)])
        }
        var pairs: [(String, JSONValue)] = []
        pairs.append(("rules", .int(Int64(alerts.stage.ruleSet.rules.count))))
        pairs.append(("alerts", .int(Int64(fired + escalated))))
        pairs.append(("fired_alerts", .int(Int64(fired))))
        pairs.append(("escalated_alerts", .int(Int64(escalated))))
        pairs.append(("alerts_by_rule", .object(byRule)))
        pairs.append(("alerts_by_tier", .object(byTier)))
        pairs.append(("late_events", .int(Int64(x.lateEvents))))
        pairs.append(("detection_latency_ms_by_shock", .object(latency)))
        pairs.append(("detections", .array(detections)))
        pairs.append(("precision", x.precision.map { r($0) } ?? .null))
        pairs.append(("recall", x.recall.map { r($0) } ?? .null))
        pairs.append(("triggered_actions", .int(Int64(alerts.stage.actionsTriggered))))
        pairs.append(("applied_actions", .int(Int64(alerts.stage.actionsApplied))))
        pairs.append(("engine_seconds", r(alerts.stage.engineSeconds, 1000)))
        let emitted = x.emitLatenciesMicros
        func at(_ p: Double) -> JSONValue { emitted.isEmpty ? .null : r(emitted[min(emitted.count - 1, Int(p * Double(emitted.count)))], 1000) }
        pairs.append(("emit_latency_us", .object([("p50", at(0.5)), ("p99", at(0.99)), ("max", emitted.last.map { r($0, 1000) } ?? .null)])))
        let h = alerts.stage.processing
        func processing(_ p: Double) -> JSONValue { h.totalCount > 0 ? r(Double(h.valueAtPercentile(p)) / 1000, 1000) : .null }
        pairs.append(("processing_latency_us", .object([("p50", processing(50)), ("p99", processing(99)), ("p999", processing(99.9)),
                                                        ("max", h.totalCount > 0 ? r(Double(h.max) / 1000, 1000) : .null)])))
        if let curve = alerts.loadCurve { pairs.append(("load_curve", curve.json)) }
        if alerts.stage.delivered { pairs.append(("delivery", deliveryMetrics(alerts.stage))) }
        return .object(pairs)
    }

    /// The `alerts.delivery` object: how late the data came and what that changed per rule
    /// against the same rules on the same world's events delivered instantly.
    static func deliveryMetrics(_ stage: AlertingStage) -> JSONValue {
        let age = stage.dataAge
        func ms(_ p: Double) -> JSONValue { age.totalCount > 0 ? .int(Int64(age.valueAtPercentile(p))) : .null }
        let counts = stage.deliveryCounts
        let byRule: [(String, JSONValue)] = stage.deliveryComparison.map { c in
            (c.rule, .object([("late_events", .int(Int64(c.lateEvents))), ("fired_alerts", .int(Int64(c.firings))),
                              ("instant_fired_alerts", .int(Int64(c.instantFirings))), ("same_tick_alerts", .int(Int64(c.matched))),
                              ("missed_alerts", .int(Int64(c.missed))), ("extra_alerts", .int(Int64(c.extra))),
                              ("median_data_delay_ms", c.medianDelay.map { .int($0) } ?? .null)]))
        }
        return .object([
            ("allowed_lateness_ms", .int(stage.ruleSet.allowedLateness)),
            ("data_age_ms", .object([("p50", ms(50)), ("p90", ms(90)), ("p99", ms(99)), ("max", age.totalCount > 0 ? .int(Int64(age.max)) : .null)])),
            ("delivered_events", .int(Int64(age.totalCount))),
            ("after_window_events", .int(Int64(counts.afterWindow))), ("duplicated_events", .int(Int64(counts.duplicated))),
            ("held_back_events", .int(Int64(counts.heldBack))), ("outage_deferred_events", .int(Int64(counts.deferredByOutage))),
            ("by_rule", .object(byRule)),
        ])
    }
}
