import Alerting
import Foundation
import Reporting
import WarRoomCore

/// Builds a run's report (index.html, summary.md, metrics.json) from its analysis.
enum RunReportBuilder {
    /// The report, its times and chart axes in the scenario's calendar.
    static func build(info: RunInfo, scenario: Scenario, layout: WorldLayout, analysis a: RunAnalysis,
                      metrics: MetricsDocument, timing: RunTiming, alerts: AlertRunReport?, models: ModelOutcome) -> Report {
        Format.$liveStart.withValue(scenario.calendar.start) {
            buildInCalendar(info: info, scenario: scenario, layout: layout, analysis: a, metrics: metrics, timing: timing, alerts: alerts, models: models)
        }
    }

    private static func buildInCalendar(info: RunInfo, scenario: Scenario, layout: WorldLayout, analysis a: RunAnalysis,
                                        metrics: MetricsDocument, timing: RunTiming, alerts: AlertRunReport?, models: ModelOutcome) -> Report {
        let stream = a.collector.stream
        let totals = a.liveTotals
        let live = scenario.calendar.liveDays
        let first = a.collector.firstDay
        let eventsPerSecond = timing.liveSimulationSeconds > 0 ? Double(stream.events) / timing.liveSimulationSeconds : 0

        var figures = [
            Report.Figure(label: L("Live events"), value: Format.count(stream.events), note: L("{0} live days, {1} stores", String(live), Format.count(layout.stores.count))),
            Report.Figure(label: L("Live sales"), value: Format.money(totals.amountCNY),
                          note: L("{0} lines per store-day", String(format: "%.0f", Double(totals.lines) / Double(layout.stores.count * live)))),
            Report.Figure(label: L("Accounts"), value: "\(Format.count(a.customersAtStart)) → \(Format.count(a.customersAtEnd))",
                          note: L("{0} lost in the live window", Format.count(a.lostLive))),
        ]
        for s in a.shocks {
            figures.append(Report.Figure(label: L("7-day churn, {0}", s.cityName),
                                         value: String(format: "%.1f%% → %.1f%%", s.churnBefore * 100, s.churnPeak * 100),
                                         note: L("before {0} → peak (live day {1}); other cities {2}", s.truth.name, String(s.churnPeakDay),
                                                 String(format: "%.1f%%", s.othersMean * 100))))
        }

        // Sales by region, daily, whole horizon.
        let regionSeries = layout.regions.enumerated().map { r, name in
            LineChart.Series(name: name, points: a.collector.regionAmount[r].enumerated().map {
                (x: Double($0.offset + first), y: Double($0.element) / 100)
            })
        }
        let calendarSpan = L("date ({0} to {1})", Format.day(first), Format.day(live - 1))
        let liveSpan = L("date ({0} to {1})", Format.day(0), Format.day(live - 1))
        var salesChart = LineChart(title: L("Daily sales by region"), xLabel: calendarSpan, yLabel: L("sales (CNY per day)"), series: regionSeries)
        salesChart.xTickLabel = Format.dayTick
        salesChart.markers = a.shocks.map { .init(x: Double($0.truth.onset) / Double(SimTime.day), label: $0.truth.name) }
        salesChart.bands = [.init(x0: 0, x1: Double(live), label: L("live window"))]

        // 7-day churn by city over the live window.
        var churnSeries: [LineChart.Series] = []
        let shocked = Set(a.shocks.map { Int($0.truth.city) })
        for c in layout.cities.indices where shocked.contains(c) {
            churnSeries.append(.init(name: layout.cities[c].name, points: a.cityChurn7d[c].enumerated().map { (x: Double($0.offset), y: $0.element * 100) }))
        }
        churnSeries.append(.init(name: L("whole network"), points: a.networkChurn7d.enumerated().map { (x: Double($0.offset), y: $0.element * 100) }))
        var churnChart = LineChart(title: L("7-day customer churn rate"), xLabel: liveSpan, yLabel: L("accounts lost in 7 days (%)"),
                                   series: churnSeries)
        churnChart.xTickLabel = Format.dayTick
        churnChart.markers = a.shocks.map { .init(x: Double($0.truth.onset) / Double(SimTime.day), label: L("onset: {0}", $0.truth.name)) }
        churnChart.references = [(y: 5.2, label: L("5.2% alert threshold (business case)"))]

        // The shocked city's daily sales against the same weekday a year earlier (364 days).
        var yoyCharts: [Report.Block] = []
        for s in a.shocks {
            let c = Int(s.truth.city)
            var thisYear: [(x: Double, y: Double)] = [], lastYear: [(x: Double, y: Double)] = []
            for d in 0..<live where d - 364 >= first {
                thisYear.append((x: Double(d), y: Double(a.collector.cityAmount[c][d - first]) / 100))
                lastYear.append((x: Double(d), y: Double(a.collector.cityAmount[c][d - 364 - first]) / 100))
            }
            if thisYear.isEmpty { continue }
            var chart = LineChart(title: L("{0}: daily sales against the same day 364 days earlier", s.cityName), xLabel: liveSpan,
                                  yLabel: L("sales (CNY per day)"),
                                  series: [.init(name: L("this year"), points: thisYear), .init(name: L("364 days earlier"), points: lastYear)])
            chart.xTickLabel = Format.dayTick
            chart.markers = [.init(x: Double(s.truth.onset) / Double(SimTime.day), label: L("onset"))]
            chart.bands = [.init(x0: Double(s.truth.onset) / Double(SimTime.day), x1: Double(s.truth.fullEffect) / Double(SimTime.day), label: L("ramp"))]
            yoyCharts.append(.chart(title: chart.title, svg: chart.svg()))
        }

        // Each shock on a timeline: the city's competitor signals per day, with the true onset, the
        // ramp to full effect, the first signal after onset and the churn peak.
        var timelines: [Report.Block] = []
        for sv in a.shocks {
            var perDay = [Double](repeating: 0, count: live)
            for t in stream.competitorSignalTimes[Int(sv.truth.city)] where t >= 0 && t < SimTime.start(ofDay: live) {
                perDay[SimTime.dayIndex(t)] += 1
            }
            let day = { (t: Millis) in Double(t) / Double(SimTime.day) }
            var chart = LineChart(title: L("{0} on a timeline: competitor signals in {1}", sv.truth.name, sv.cityName), xLabel: liveSpan,
                                  yLabel: L("competitor signals per day"),
                                  series: [.init(name: L("signals in {0}", sv.cityName), points: perDay.enumerated().map { (x: Double($0.offset) + 0.5, y: $0.element) })])
            chart.xTickLabel = Format.dayTick
            chart.bands = [.init(x0: day(sv.truth.onset), x1: day(sv.truth.fullEffect), label: L("ramp to full effect")),
                           .init(x0: day(sv.truth.fullEffect), x1: min(day(sv.truth.end), Double(live)), label: L("full effect"))]
            chart.markers = [.init(x: day(sv.truth.onset), label: L("true onset"))]
            if let first = sv.firstSignal { chart.markers.append(.init(x: day(first), label: L("first signal"))) }
            chart.markers.append(.init(x: Double(sv.churnPeakDay) + 1, label: L("churn peak")))
            timelines.append(.chart(title: chart.title, svg: chart.svg()))
        }

        let kinds = BarChart(title: L("Live events by kind"), unit: L("events"),
                             bars: EventKind.allCases.map { (label: L($0.description), value: Double(stream.byKind[Int($0.rawValue)])) })

        let shockRows = a.shocks.map { s -> [String] in
            [s.truth.name, s.cityName, clock(s.truth.onset), clock(s.truth.fullEffect), clock(s.truth.end),
             String(s.truth.stores.count), s.firstSignal.map { L("{0} min", String(format: "%.1f", Double($0 - s.truth.onset) / 60_000)) } ?? L("none"),
             String(format: "%.1f%%", s.churnBefore * 100), L("{0} (day {1})", String(format: "%.1f%%", s.churnPeak * 100), String(s.churnPeakDay))]
        }
        let cityRows = layout.cities.indices.map { c -> [String] in
            let rates = a.cityChurn7d[c].dropFirst(7)
            let mean = rates.reduce(0, +) / Double(max(rates.count, 1))
            let liveAmount = a.collector.cityAmount[c][(-first)...].reduce(0.0) { $0 + Double($1) }
            return [layout.cities[c].name, layout.regions[Int(layout.cities[c].region)], String(layout.cities[c].stores.count),
                    Format.money(liveAmount / 100), String(format: "%.2f%%", mean * 100),
                    String(format: "%.2f%%", (rates.max() ?? 0) * 100)]
        }
        let check = metrics.json
        func ratio(_ key: String) -> String {
            if case let .double(v)? = check[path: "truth_check.\(key)"] { return String(format: "%.4f", v) }
            return L("n/a")
        }

        var alertSection: [Report.Section] = []
        if let alerts {
            let (f, section) = alertsSection(alerts, layout: layout, analysis: a, live: live)
            figures.insert(contentsOf: f, at: min(4, figures.count))
            alertSection = [section]
        }

        var modelSection: [Report.Section] = []
        switch models {
        case .evaluated(let e):
            figures.insert(contentsOf: e.figures, at: min(4, figures.count))
            modelSection = [e.section]
        case .skipped(let reason):
            modelSection = [.init(title: L("Forecasts and churn model"), blocks: [.paragraph(L("No model backtest for this run: {0}", reason))])]
        }

        let sections: [Report.Section] = [summarySection(analysis: a, alerts: alerts, liveSalesCNY: totals.amountCNY)] + alertSection + modelSection + [
            .init(title: L("Sales"), blocks: [
                .paragraph(L("Observed POS sales (walk-in lines and account orders) per region and day over the history and the live window. The history runs the same process as the live window at daily resolution, so its year-ago figures are directly comparable.")),
                .chart(title: salesChart.title, svg: salesChart.svg()),
            ] + yoyCharts),
            .init(title: L("Customers and the competitor shock"), blocks: timelines + [
                .paragraph(L("7-day churn rate = accounts lost in the last 7 days over accounts active 7 days earlier, from the CRM's account records (observable). The dashed line is the business case's 5.2% alert threshold.")),
                .chart(title: churnChart.title, svg: churnChart.svg()),
                .table(.init(header: ["Shock", "City", "True onset", "Full effect", "End", "Stores", "First signal after onset",
                                      "7-day churn before", "Peak 7-day churn"].map { L($0) }, rows: shockRows)),
                .table(.init(header: ["City", "Region", "Stores", "Live sales", "Mean 7-day churn", "Max 7-day churn"].map { L($0) }, rows: cityRows)),
            ]),
            .init(title: L("Event stream"), blocks: [
                .chart(title: kinds.title, svg: kinds.svg()),
                .paragraph(L("Event digest (same scenario and seed ⇒ same digest): {0}", stream.digest.hex)),
            ]),
            .init(title: L("Simulator check against the truth log"), blocks: [
                .paragraph(L("Evaluation alone reads the truth log. Observed over expected should be close to 1 (Poisson noise only; stock-outs lower the observed lines a little).")),
                .table(.init(header: [L("Quantity (live window)"), L("Observed / expected")], rows: [
                    [L("Sale lines"), ratio("live_lines_observed_over_expected_ratio")],
                    [L("Sales amount"), ratio("live_amount_observed_over_expected_ratio")],
                    [L("Accounts lost"), ratio("live_lost_accounts_observed_over_expected_ratio")],
                ])),
            ]),
            .init(title: L("Run"), blocks: [
                .table(.init(header: [L("Field"), L("Value")], rows: [
                    [L("Event digest"), stream.digest.hex],
                    [L("Simulation speed"), L("{0} M events/s", String(format: "%.1f", eventsPerSecond / 1e6)) + " (" + L("live window, one core (wall time varies)") + ")"],
                    [L("Run id"), info.id], [L("Scenario"), "\(scenario.name) (\(info.scenarioPath))"], [L("Scenario SHA-256"), info.scenarioHash],
                    [L("Seed"), String(info.seed)], [L("Started"), info.startedAt],
                    [L("Calendar"), L("{0} history days, {1} live days from {2}", String(scenario.calendar.historyDays), String(live),
                                      Format.date(scenario.calendar.start.description))],
                    [L("Simulation wall time"), L("{0} s (live window {1} s)", String(format: "%.2f", timing.simulationSeconds),
                                                  String(format: "%.2f", timing.liveSimulationSeconds))],
                    [L("Whole run wall time"), String(format: "%.2f s", timing.wallSeconds)],
                    [L("Peak RSS"), timing.peakResidentMiB.map { String(format: "%.0f MiB", $0) } ?? L("n/a")],
                ])),
            ]),
        ]
        return Report(title: L("WarRoom run — {0}, seed {1}", scenario.name, String(info.seed)),
                      subtitle: scenario.description.trimmingCharacters(in: .whitespacesAndNewlines), figures: figures, sections: sections)
    }

    /// The alerts' headline figures and section: timeline by tier, heat map of the alerted
    /// signal, counts by rule, each shock's first alert with its three-tier package.
    static func alertsSection(_ r: AlertRunReport, layout: WorldLayout, analysis a: RunAnalysis, live: Int) -> ([Report.Figure], Report.Section) {
        let x = r.analysis
        let fired = x.byRule.reduce(0) { $0 + $1.fired }, escalated = x.byRule.reduce(0) { $0 + $1.escalated }
        var figures = [Report.Figure(label: L("Alerts"), value: L("{0} fired", Format.count(fired)),
                                     note: L(escalated == 1 ? "{0} escalation; {1} rules" : "{0} escalations; {1} rules", Format.count(escalated),
                                             String(r.stage.ruleSet.rules.count)))]
        for d in x.detections {
            let value = d.latency.map { String(format: "%.1f h", Double($0) / Double(SimTime.hour)) } ?? L("not detected")
            figures.append(Report.Figure(label: L("Detection latency, {0}", d.shock.name), value: value,
                                         note: d.firstAlert.map { L("first alert: {0} at {1}", $0.ruleID, clock($0.time)) } ?? L("no detector alert in the footprint")))
        }
        figures.append(Report.Figure(label: L("Detector precision / recall"),
                                     value: (x.precision.map { String(format: "%.0f%%", $0 * 100) } ?? L("n/a")) + " / " + (x.recall.map { String(format: "%.0f%%", $0 * 100) } ?? L("n/a")),
                                     note: L("alerts of churn and competitor rules in a shock's footprint")))

        var blocks: [Report.Block] = [
            .paragraph(L("The alert engine ran the rule file on the live stream (the history replayed as daily store summaries first, so year-over-year and baseline rules have their past). Each dot is the number of alerts one tier received on one day, on a log scale (a day without any is left out); the shaded span is each shock from true onset to its end.")),
        ]
        // Counts per tier and day: reps get hundreds a day, HQ a few, so one log axis shows all three.
        var perDay = [[Int]](repeating: [Int](repeating: 0, count: live), count: 3)
        for alert in x.alerts { perDay[alert.tier.rawValue][min(live - 1, max(0, Int(alert.time / SimTime.day)))] += 1 }
        let tiers = [L("rep"), L("regional manager"), L("HQ")]
        // Live days as dates (the calendar is set by `build`).
        let liveSpan = L("date ({0} to {1})", Format.day(0), Format.day(live - 1))
        var timeline = LineChart(title: L("Alerts by tier and day"), xLabel: liveSpan, yLabel: L("alerts per day (log)"), series: (0..<3).map { tier in
            var s = LineChart.Series(name: tiers[tier], points: (0..<live).filter { perDay[tier][$0] > 0 }.map { (x: Double($0) + 0.5, y: Double(perDay[tier][$0])) })
            s.dots = true
            s.line = false
            return s
        })
        timeline.yScale = .log
        timeline.xTickLabel = Format.dayTick
        timeline.bands = x.detections.map { .init(x0: Double($0.shock.onset) / Double(SimTime.day), x1: Double($0.shock.end) / Double(SimTime.day), label: $0.shock.name) }
        blocks.append(.chart(title: timeline.title, svg: timeline.svg()))

        // The alerted signal: 7-day churn by city and day, with city churn alerts marked.
        let rules = r.stage.ruleSet.rules
        let onsetColumn = x.detections.first.map { Double($0.shock.onset) / Double(SimTime.day) }
        // The command sandbox view: sales change (7 days against the same 7 days a year earlier)
        // by city and day, with the sales alerts of each city's stores circled.
        if let change = salesChange(a, layout: layout, live: live) {
            var sales = Heatmap(title: L("Sales change by city and day (7 days against the same 7 days 364 days earlier), sales alerts circled"),
                                rows: layout.cities.map(\.name), columns: live, values: change, unit: L("sales change (%)"), xLabel: liveSpan)
            sales.xTickLabel = Format.dayTick
            sales.diverging = true
            sales.marks = x.alerts.filter { $0.kind == .fired && isSalesRule(rules[$0.rule]) }.compactMap { alert in
                let city: Int
                switch rules[alert.rule].scope {
                case .store where layout.stores.indices.contains(Int(alert.key)): city = Int(layout.stores[Int(alert.key)].city)
                case .city: city = Int(alert.key)
                default: return nil
                }
                return (row: city, column: min(live - 1, Int(alert.time / SimTime.day)), label: L("{0} at {1}", alert.ruleID, clock(alert.time)))
            }
            sales.markerColumn = onsetColumn
            blocks.append(.chart(title: sales.title, svg: sales.svg()))
        }
        // The alerted signal: 7-day churn by city and day, with city churn alerts marked.
        var heat = Heatmap(title: L("7-day churn rate by city and day, city churn alerts circled"), rows: layout.cities.map(\.name), columns: live,
                           values: a.cityChurn7d.map { $0.map { Optional($0 * 100) } }, unit: L("7-day churn (%)"), xLabel: liveSpan)
        heat.xTickLabel = Format.dayTick
        heat.marks = x.alerts.filter { $0.kind == .fired && rules[$0.rule].scope == .city && AlertAnalysis.isDetector(rules[$0.rule]) }
            .map { (row: Int($0.key), column: min(live - 1, Int($0.time / SimTime.day)), label: L("{0} at {1}", $0.ruleID, clock($0.time))) }
        heat.markerColumn = onsetColumn
        blocks.append(.chart(title: heat.title, svg: heat.svg()))

        // End-to-end reaction time against the business case's bounds: data older than 15 minutes
        // makes decisions fail; the regional heat map refreshes every 3.8 s.
        var reaction: [[String]] = []
        for d in x.detections {
            let signal = a.shocks.first { $0.truth.name == d.shock.name }?.firstSignal
            func hours(_ ms: Millis) -> String { String(format: "%+.2f h", Double(ms) / Double(SimTime.hour)) }
            let signalText = signal.map { "\(clock($0)) (\(hours($0 - d.shock.onset)))" } ?? L("none")
            // The first alert out: with delayed delivery, the one whose data arrived first.
            let first = d.firstEmitted
            let alertText = first.map { "\(clock($0.time)) (\(hours($0.time - d.shock.onset)), \($0.ruleID))" } ?? L("none")
            let dataDelay = first.map { hours($0.emittedAt - $0.time) } ?? L("n/a")
            var signalToAlert: Millis?
            if let signal, let alert = first { signalToAlert = alert.emittedAt - signal }
            let emit = first.map { String(format: "%.1f µs", Double($0.latencyNanoseconds) / 1000) } ?? L("n/a")
            let verdict = signalToAlert.map { $0 <= 15 * SimTime.minute ? L("signal to alert within 15 min: met") : L("signal to alert {0} > 15 min: not met", hours($0)) } ?? L("not detected")
            let refresh = first.map { $0.latencyNanoseconds <= 3_800_000_000 ? L("emitted within 3.8 s: met") : L("emitted after 3.8 s: not met") } ?? ""
            reaction.append([d.shock.name, clock(d.shock.onset), signalText, alertText, dataDelay, emit, verdict + (refresh.isEmpty ? "" : L("; ") + refresh)])
        }
        blocks.append(.paragraph(L("Reaction time per shock: true onset (truth log) → first event carrying its signal (a competitor signal in the city) → first detector alert out (its tick, event time) → data delay (from the tick to the arrival of the data that closed it: 0 when events arrive the instant they happen) → alert emitted (wall time from the arrival of the event that closed the tick). The business case's bounds: data more than 15 minutes old makes decisions fail; the regional heat map refreshes every 3.8 s.")))
        blocks.append(.table(.init(header: ["Shock", "True onset", "First signal", "First alert", "Data delay", "Emitted after", "Verdict"].map { L($0) }, rows: reaction)))
        if r.stage.delivered { blocks += deliveryBlocks(r.stage) }
        // Wall-clock latency: every live event's processing (alerts it triggers included) and
        // every alert's emission after its tick fell due, on the usual 1/(1 − p) axis.
        let emitted = x.emitLatenciesMicros
        let processing = r.stage.processing
        if processing.totalCount > 0 {
            func us(_ p: Double) -> Double { Double(processing.valueAtPercentile(p)) / 1000 }
            var series: [(name: String, points: [(percentile: Double, value: Double)])] = [
                (L("event processing ({0} events)", Format.count(Int(processing.totalCount))), processing.percentilePoints()),
            ]
            var text = L("Event processing time (wall clock, from the engine taking an event to the end of its processing, the ticks it makes due and their alerts included; DESIGN.md's processing latency): p50 {0} µs, p99 {1} µs, p99.9 {2} µs, max {3} µs. ",
                         String(format: "%.2f", us(50)), String(format: "%.2f", us(99)), String(format: "%.1f", us(99.9)),
                         String(format: "%.0f", Double(processing.max) / 1000))
            if let worst = emitted.last {
                series.append((L("alert emission ({0} alerts)", Format.count(emitted.count)), PercentilePlot.points(sorted: emitted)))
                let p50 = emitted[emitted.count / 2], p99 = emitted[min(emitted.count - 1, Int(0.99 * Double(emitted.count)))]
                text += L("Alert emission (from its tick falling due — the arrival of the event whose watermark passed it — to the alert): p50 {0} µs, p99 {1} µs, max {2} µs; ",
                          String(format: "%.1f", p50), String(format: "%.1f", p99), String(format: "%.1f", worst))
                    + (worst <= 3_800_000 ? L("all within the 3.8 s refresh: met.") : L("some after the 3.8 s refresh: not met."))
            }
            text += L(" The events are handed to the engine a simulated day at a time (closed loop); the engine's latency under a fixed offered load, and where it breaks, is measured by warroom bench sweep-load.")
            let plot = PercentilePlot.chart(title: L("Event processing and alert emission latency by percentile (this run)"), yLabel: L("µs (log)"), series: series,
                                            references: [(10, "10 µs"), (3_800_000, L("3.8 s heat-map refresh"))])
            blocks.append(.paragraph(text))
            blocks.append(.chart(title: plot.title, svg: plot.svg()))
        }
        if let curve = r.loadCurve, !curve.points.isEmpty {
            blocks += loadCurveBlocks(curve, rules: r.stage.ruleSet.rules.count)
        }
        blocks.append(.table(.init(header: ["Rule", "Fired", "Escalated", "In a shock footprint", "Shock detector"].map { L($0) },
                                   rows: x.byRule.map { [$0.id, String($0.fired), String($0.escalated), String($0.matching), $0.detector ? L("yes") : ""] })))
        for d in x.detections {
            guard let first = d.firstAlert,
                  let record = (r.firstRecords + r.stage.records).first(where: { $0.time == first.time && $0.ruleID == first.ruleID && $0.key == first.key })
            else { continue }
            blocks.append(.paragraph(L("{0}: first detected by {1} at {2}, {3} h after the true onset. First alert of each detector rule: {4}.",
                                       d.shock.name, first.ruleID, clock(first.time), String(format: "%.1f", Double(d.latency ?? 0) / Double(SimTime.hour)),
                                       d.firstByRule.map { "\($0.rule) +" + String(format: "%.1f h", Double($0.time - d.shock.onset) / Double(SimTime.hour)) }
                                           .joined(separator: L(", "))))) 
            blocks.append(.table(.init(header: [L("Tier"), L("Message")], rows: [
                [L("Rep"), record.repMessage], [L("Regional manager"), record.managerMessage], [L("HQ"), record.hqMessage]])))
        }
        let actionCounts = r.stage.actionsByName
        blocks.append(.paragraph(L(r.stage.applyActions ? "Actions triggered: {0} ({1} applied to the simulated world): {2}."
                                                        : "Actions triggered: {0} ({1} applied to the simulated world; this run used --no-actions): {2}.",
                                   String(r.stage.actionsTriggered), String(r.stage.actionsApplied),
                                   actionCounts.keys.sorted().map { "\($0) \(actionCounts[$0]!)" }.joined(separator: L(", ")))))
        return (figures, .init(title: L("Alerts"), blocks: blocks))
    }

    /// The engine's latency against offered load on the run's first live days: what it says,
    /// the chart of the latency lab and its table.
    static func loadCurveBlocks(_ curve: RunLoadCurve, rules: Int) -> [Report.Block] {
        let sweep = curve.sweep(rules: rules)
        var text = L("Latency against offered load, open loop (each event timed from its intended send time): this run's first live days ({0} events) given to a fresh engine warmed with the last {1} days of history, the first half untimed (as an engine that has been running), the second half offered at {2} of its closed-loop rate on the same events ({3} events/s).",
                     Format.count(curve.sampleEvents), String(RunLoadCurve.historyDays),
                     curve.points.map { String(format: "%.0f%%", $0.fraction * 100) }.joined(separator: L(", ")), LoadSweep.rate(curve.peak))
        if let half = curve.points.first(where: { abs($0.fraction - 0.5) < 1e-9 }) {
            let verdicts = LoadSweep.floorVerdicts(share: "50%", p99: half.p99, machine: half.machine, serviceP99: half.serviceP99, serviceP999: half.serviceP999)
            text += L(" At half of it: p99 {0} µs, p99.9 {1} µs.", String(format: "%.2f", half.p99), String(format: "%.1f", half.p999)) + " "
                + verdicts.map { L("{0}: {1}, {2}", $0.what, $0.figure, $0.met.map { $0 ? L("met") : L("not met") } ?? L("not measured")) }.joined(separator: L("; ")) + "."
            if let m = curve.machineAtHalf {
                text += L(" The machine's share: right after that load a thread reading memory at random saw {0} stalls a second ({1}% of its time, median {2} µs); replayed against them, the same schedule gives p99 {3} µs to an engine that spends exactly its mean of {4} µs on every event, and {5} µs to one that spends nothing.",
                          String(format: "%.0f", m.stallsPerSecond), String(format: "%.1f", m.stalledShare * 100), String(format: "%.1f", m.stallP50),
                          String(format: "%.2f", m.p99AtService), String(format: "%.2f", m.service), String(format: "%.2f", m.p99))
                if let u = m.utilisationForBound {
                    let e = m.eventUtilisation
                    text += L(" Whatever its speed, an engine keeps p99 within 10 µs on those stalls only while its events keep it busy at most {0} of the time; this one's kept it busy {1}.",
                              String(format: "%.0f%%", u * 100), String(format: "%.0f%%", e * 100))
                        + " " + LoadSweep.utilisationVerdict(allowed: u, engine: e)
                }
            }
        }
        text += L(" warroom bench sweep-load measures the same curve on the whole stream, longer and at more loads.")
        let table = Report.Table(header: ["load", "offered /s", "achieved /s", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "max µs", "late"].map { L($0) },
                                 rows: curve.points.map { p in
                                     [String(format: "%.0f%%", p.fraction * 100), LoadSweep.rate(p.offered), LoadSweep.rate(p.achieved),
                                      String(format: "%.2f", p.p50), String(format: "%.2f", p.p90), String(format: "%.2f", p.p99),
                                      String(format: "%.1f", p.p999), String(format: "%.1f", p.max),
                                      String(format: "%.1f%%", 100 * Double(p.late) / Double(max(1, p.events)))]
                                 })
        let chart: [Report.Block] = sweep.loadChart().map { [.chart(title: $0.title, svg: $0.svg())] } ?? []
        let notes = [sweep.loadChartWarning(), sweep.undrawnNote()].compactMap { $0 }.map { Report.Block.paragraph($0) }
        return [.paragraph(text)] + chart + notes + [.table(table)]
    }

    /// Writes index.html, summary.md and metrics.json as one folder, atomically.
    static func write(report: Report, metrics: MetricsDocument, extra: [(name: String, contents: Data)] = [], to folder: URL) throws {
        do {
            try ReportFolder.write([
                (name: "index.html", contents: Data(HTMLReport.render(report).utf8)),
                (name: "summary.md", contents: Data(MarkdownReport.render(report).utf8)),
                (name: "metrics.json", contents: Data(metrics.json.rendered().utf8)),
            ] + extra, to: folder, optional: ["latency.hgrm", "latency.hlog"])
        } catch let error as ReportFolder.WriteError {
            var e = LabError(error.description)
            e.outOfSpace = error.outOfSpace
            throw e
        } catch {
            throw LabError("\(error)")
        }
    }

    /// An event time in the scenario's calendar (`2026-03-06 10:00`), as `Format.time` writes it.
    static func clock(_ t: Millis) -> String { Format.time(t) }

    /// Whether a rule watches sales (its measures count sale lines only) at store or city level.
    static func isSalesRule(_ rule: Rule) -> Bool {
        guard rule.scope == .store || rule.scope == .city else { return false }
        if case .absence = rule.signal { return false }
        let sale = UInt32(1) << UInt32(EventKind.sale.rawValue)
        return !rule.aggregates.isEmpty && rule.aggregates.allSatisfy { $0.filter.kinds == sale }
    }

    /// Each city's sales of the 7 days to each live day against the same 7 days 364 days
    /// earlier, in percent; nil when the history is shorter than a year and a week.
    static func salesChange(_ a: RunAnalysis, layout: WorldLayout, live: Int) -> [[Double?]]? {
        let first = a.collector.firstDay
        guard first <= -370 else { return nil }
        return layout.cities.indices.map { c in
            let amounts = a.collector.cityAmount[c]
            func week(_ end: Int) -> Double { (end - 6...end).reduce(0.0) { $0 + Double(amounts[$1 - first]) } }
            return (0..<live).map { d in
                let before = week(d - 364)
                return before > 0 ? (week(d) / before - 1) * 100 : nil
            }
        }
    }
}
