import Foundation
import Reporting
import WarRoomCore

/// Builds a run's report (index.html, summary.md, metrics.json) from its analysis.
enum RunReportBuilder {
    static func build(info: RunInfo, scenario: Scenario, layout: WorldLayout, analysis a: RunAnalysis,
                      metrics: MetricsDocument, timing: RunTiming, alerts: AlertRunReport?, models: ModelOutcome) -> Report {
        let stream = a.collector.stream
        let totals = a.liveTotals
        let live = scenario.calendar.liveDays
        let first = a.collector.firstDay
        let eventsPerSecond = timing.liveSimulationSeconds > 0 ? Double(stream.events) / timing.liveSimulationSeconds : 0

        var figures = [
            Report.Figure(label: "Live events", value: grouped(stream.events), note: "\(live) live days, \(layout.stores.count) stores"),
            Report.Figure(label: "Simulation speed", value: String(format: "%.1f M events/s", eventsPerSecond / 1e6),
                          note: "live window, one core (wall time varies)"),
            Report.Figure(label: "Live sales", value: String(format: "¥%.2f M", totals.amountCNY / 1e6),
                          note: String(format: "%.0f lines per store-day", Double(totals.lines) / Double(layout.stores.count * live))),
            Report.Figure(label: "Accounts", value: "\(grouped(a.customersAtStart)) → \(grouped(a.customersAtEnd))",
                          note: "\(grouped(a.lostLive)) lost in the live window"),
        ]
        for s in a.shocks {
            figures.append(Report.Figure(label: "7-day churn, \(s.cityName)",
                                         value: String(format: "%.1f%% → %.1f%%", s.churnBefore * 100, s.churnPeak * 100),
                                         note: "before \(s.truth.name) → peak (live day \(s.churnPeakDay)); "
                                             + String(format: "other cities %.1f%%", s.othersMean * 100)))
        }
        figures.append(Report.Figure(label: "Event digest", value: String(stream.digest.hex.prefix(12)) + "…",
                                     note: "same scenario and seed ⇒ same digest"))

        // Sales by region, daily, whole horizon.
        let regionSeries = layout.regions.enumerated().map { r, name in
            LineChart.Series(name: name, points: a.collector.regionAmount[r].enumerated().map {
                (x: Double($0.offset + first), y: Double($0.element) / 100)
            })
        }
        var salesChart = LineChart(title: "Daily sales by region", xLabel: "day (0 = first live day; history is negative)",
                                   yLabel: "sales (CNY per day)", series: regionSeries)
        salesChart.markers = a.shocks.map { .init(x: Double($0.truth.onset) / Double(SimTime.day), label: $0.truth.name) }
        salesChart.bands = [.init(x0: 0, x1: Double(live), label: "live window")]

        // 7-day churn by city over the live window.
        var churnSeries: [LineChart.Series] = []
        let shocked = Set(a.shocks.map { Int($0.truth.city) })
        for c in layout.cities.indices where shocked.contains(c) {
            churnSeries.append(.init(name: layout.cities[c].name, points: a.cityChurn7d[c].enumerated().map { (x: Double($0.offset), y: $0.element * 100) }))
        }
        churnSeries.append(.init(name: "whole network", points: a.networkChurn7d.enumerated().map { (x: Double($0.offset), y: $0.element * 100) }))
        var churnChart = LineChart(title: "7-day customer churn rate", xLabel: "live day", yLabel: "accounts lost in 7 days (%)",
                                   series: churnSeries)
        churnChart.markers = a.shocks.map { .init(x: Double($0.truth.onset) / Double(SimTime.day), label: "onset: \($0.truth.name)") }
        churnChart.references = [(y: 5.2, label: "5.2% alert threshold (business case)")]

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
            var chart = LineChart(title: "\(s.cityName): daily sales against the same day 364 days earlier", xLabel: "live day",
                                  yLabel: "sales (CNY per day)",
                                  series: [.init(name: "this year", points: thisYear), .init(name: "364 days earlier", points: lastYear)])
            chart.markers = [.init(x: Double(s.truth.onset) / Double(SimTime.day), label: "onset")]
            chart.bands = [.init(x0: Double(s.truth.onset) / Double(SimTime.day), x1: Double(s.truth.fullEffect) / Double(SimTime.day), label: "ramp")]
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
            var chart = LineChart(title: "\(sv.truth.name) on a timeline: competitor signals in \(sv.cityName)", xLabel: "live day",
                                  yLabel: "competitor signals per day",
                                  series: [.init(name: "signals in \(sv.cityName)", points: perDay.enumerated().map { (x: Double($0.offset) + 0.5, y: $0.element) })])
            chart.bands = [.init(x0: day(sv.truth.onset), x1: day(sv.truth.fullEffect), label: "ramp to full effect"),
                           .init(x0: day(sv.truth.fullEffect), x1: min(day(sv.truth.end), Double(live)), label: "full effect")]
            chart.markers = [.init(x: day(sv.truth.onset), label: "true onset")]
            if let first = sv.firstSignal { chart.markers.append(.init(x: day(first), label: "first signal")) }
            chart.markers.append(.init(x: Double(sv.churnPeakDay) + 1, label: "churn peak"))
            timelines.append(.chart(title: chart.title, svg: chart.svg()))
        }

        let kinds = BarChart(title: "Live events by kind", unit: "events",
                             bars: EventKind.allCases.map { (label: $0.description, value: Double(stream.byKind[Int($0.rawValue)])) })

        let shockRows = a.shocks.map { s -> [String] in
            [s.truth.name, s.cityName, clock(s.truth.onset), clock(s.truth.fullEffect), clock(s.truth.end),
             String(s.truth.stores.count), s.firstSignal.map { String(format: "%.1f min", Double($0 - s.truth.onset) / 60_000) } ?? "none",
             String(format: "%.1f%%", s.churnBefore * 100), String(format: "%.1f%% (day %d)", s.churnPeak * 100, s.churnPeakDay)]
        }
        let cityRows = layout.cities.indices.map { c -> [String] in
            let rates = a.cityChurn7d[c].dropFirst(7)
            let mean = rates.reduce(0, +) / Double(max(rates.count, 1))
            let liveAmount = a.collector.cityAmount[c][(-first)...].reduce(0.0) { $0 + Double($1) }
            return [layout.cities[c].name, layout.regions[Int(layout.cities[c].region)], String(layout.cities[c].stores.count),
                    String(format: "¥%.2f M", liveAmount / 1e8), String(format: "%.2f%%", mean * 100),
                    String(format: "%.2f%%", (rates.max() ?? 0) * 100)]
        }
        let check = metrics.json
        func ratio(_ key: String) -> String {
            if case let .double(v)? = check[path: "truth_check.\(key)"] { return String(format: "%.4f", v) }
            return "n/a"
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
            modelSection = [.init(title: "Forecasts and churn model", blocks: [.paragraph("No model backtest for this run: \(reason)")])]
        }

        let sections: [Report.Section] = alertSection + modelSection + [
            .init(title: "Sales", blocks: [
                .paragraph("Observed POS sales (walk-in lines and account orders) per region and day over the history and the live window. The history runs the same process as the live window at daily resolution, so its year-ago figures are directly comparable."),
                .chart(title: salesChart.title, svg: salesChart.svg()),
            ] + yoyCharts),
            .init(title: "Customers and the competitor shock", blocks: timelines + [
                .paragraph("7-day churn rate = accounts lost in the last 7 days over accounts active 7 days earlier, from the CRM's account records (observable). The dashed line is the business case's 5.2% alert threshold."),
                .chart(title: churnChart.title, svg: churnChart.svg()),
                .table(.init(header: ["Shock", "City", "True onset", "Full effect", "End", "Stores", "First signal after onset",
                                      "7-day churn before", "Peak 7-day churn"], rows: shockRows)),
                .table(.init(header: ["City", "Region", "Stores", "Live sales", "Mean 7-day churn", "Max 7-day churn"], rows: cityRows)),
            ]),
            .init(title: "Event stream", blocks: [
                .chart(title: kinds.title, svg: kinds.svg()),
                .paragraph("Event digest (same scenario and seed ⇒ same digest): \(stream.digest.hex)"),
            ]),
            .init(title: "Simulator check against the truth log", blocks: [
                .paragraph("Evaluation alone reads the truth log. Observed over expected should be close to 1 (Poisson noise only; stock-outs lower the observed lines a little)."),
                .table(.init(header: ["Quantity (live window)", "Observed / expected"], rows: [
                    ["Sale lines", ratio("live_lines_observed_over_expected")],
                    ["Sales amount", ratio("live_amount_observed_over_expected")],
                    ["Accounts lost", ratio("live_accounts_lost_observed_over_expected")],
                ])),
            ]),
            .init(title: "Run", blocks: [
                .table(.init(header: ["Field", "Value"], rows: [
                    ["Run id", info.id], ["Scenario", "\(scenario.name) (\(info.scenarioPath))"], ["Scenario SHA-256", info.scenarioHash],
                    ["Seed", String(info.seed)], ["Started", info.startedAt],
                    ["Calendar", "\(scenario.calendar.historyDays) history days, \(live) live days from \(scenario.calendar.start)"],
                    ["Simulation wall time", String(format: "%.2f s (live window %.2f s)", timing.simulationSeconds, timing.liveSimulationSeconds)],
                    ["Whole run wall time", String(format: "%.2f s", timing.wallSeconds)],
                    ["Peak RSS", timing.peakResidentMiB.map { String(format: "%.0f MiB", $0) } ?? "n/a"],
                ])),
            ]),
        ]
        return Report(title: "WarRoom run — \(scenario.name), seed \(info.seed)",
                      subtitle: scenario.description.trimmingCharacters(in: .whitespacesAndNewlines), figures: figures, sections: sections)
    }

    /// The alerts' headline figures and section: timeline by tier, heat map of the alerted
    /// signal, counts by rule, each shock's first alert with its three-tier package.
    static func alertsSection(_ r: AlertRunReport, layout: WorldLayout, analysis a: RunAnalysis, live: Int) -> ([Report.Figure], Report.Section) {
        let x = r.analysis
        let fired = x.byRule.reduce(0) { $0 + $1.fired }
        var figures = [Report.Figure(label: "Alerts", value: grouped(fired) + " fired",
                                     note: "\(x.byRule.reduce(0) { $0 + $1.escalated }) escalations; \(r.stage.ruleSet.rules.count) rules")]
        for d in x.detections {
            let value = d.latency.map { String(format: "%.1f h", Double($0) / Double(SimTime.hour)) } ?? "not detected"
            figures.append(Report.Figure(label: "Detection latency, \(d.shock.name)", value: value,
                                         note: d.firstAlert.map { "first alert: \($0.ruleID) at \(clock($0.time))" } ?? "no detector alert in the footprint"))
        }
        figures.append(Report.Figure(label: "Detector precision / recall",
                                     value: (x.precision.map { String(format: "%.0f%%", $0 * 100) } ?? "n/a") + " / " + (x.recall.map { String(format: "%.0f%%", $0 * 100) } ?? "n/a"),
                                     note: "alerts of churn and competitor rules in a shock's footprint"))

        var blocks: [Report.Block] = [
            .paragraph("The alert engine ran the rule file on the live stream (the history replayed as daily store summaries first, so year-over-year and baseline rules have their past). Each dot is an alert, in the lane of the tier it went to; the shaded span is each shock from true onset to its end."),
        ]
        // One dot per tier and day, its area the number of alerts.
        var perDay = [[Int]](repeating: [Int](repeating: 0, count: live), count: 3)
        for alert in x.alerts { perDay[alert.tier.rawValue][min(live - 1, max(0, Int(alert.time / SimTime.day)))] += 1 }
        var dots: [(lane: Int, x: Double, label: String, weight: Double)] = []
        for lane in 0..<3 {
            for d in 0..<live where perDay[lane][d] > 0 {
                dots.append((lane, Double(d) + 0.5, "day \(d): \(perDay[lane][d]) alert(s)", Double(perDay[lane][d])))
            }
        }
        var timeline = LaneChart(title: "Alerts by tier and day (dot area: number of alerts)", xLabel: "live day",
                                 lanes: ["rep", "regional manager", "HQ"], dots: dots, xRange: 0...Double(live))
        timeline.bands = x.detections.map { .init(x0: Double($0.shock.onset) / Double(SimTime.day), x1: Double($0.shock.end) / Double(SimTime.day), label: $0.shock.name) }
        blocks.append(.chart(title: timeline.title, svg: timeline.svg()))

        // The alerted signal: 7-day churn by city and day, with city churn alerts marked.
        var heat = Heatmap(title: "7-day churn rate by city and day, city churn alerts circled", rows: layout.cities.map(\.name), columns: live,
                           values: a.cityChurn7d.map { $0.map { Optional($0 * 100) } }, unit: "7-day churn (%)", xLabel: "live day")
        let rules = r.stage.ruleSet.rules
        heat.marks = x.alerts.filter { $0.kind == .fired && rules[$0.rule].scope == .city && AlertAnalysis.isDetector(rules[$0.rule]) }
            .map { (row: Int($0.key), column: min(live - 1, Int($0.time / SimTime.day)), label: "\($0.ruleID) at \(clock($0.time))") }
        heat.markerColumn = x.detections.first.map { Double($0.shock.onset) / Double(SimTime.day) }
        blocks.append(.chart(title: heat.title, svg: heat.svg()))

        // End-to-end reaction time against the business case's bounds: data older than 15 minutes
        // makes decisions fail; the regional heat map refreshes every 3.8 s.
        var reaction: [[String]] = []
        for d in x.detections {
            let signal = a.shocks.first { $0.truth.name == d.shock.name }?.firstSignal
            func hours(_ ms: Millis) -> String { String(format: "%+.2f h", Double(ms) / Double(SimTime.hour)) }
            let signalText = signal.map { "\(clock($0)) (\(hours($0 - d.shock.onset)))" } ?? "none"
            let alertText = d.firstAlert.map { "\(clock($0.time)) (\(hours($0.time - d.shock.onset)), \($0.ruleID))" } ?? "none"
            var signalToAlert: Millis?
            if let signal, let alert = d.firstAlert { signalToAlert = alert.time - signal }
            let emit = d.firstAlert.map { String(format: "%.1f µs", Double($0.latencyNanoseconds) / 1000) } ?? "n/a"
            let verdict = signalToAlert.map { $0 <= 15 * SimTime.minute ? "signal to alert within 15 min: met" : "signal to alert " + hours($0) + " > 15 min: not met" } ?? "not detected"
            let refresh = d.firstAlert.map { $0.latencyNanoseconds <= 3_800_000_000 ? "emitted within 3.8 s: met" : "emitted after 3.8 s: not met" } ?? ""
            reaction.append([d.shock.name, clock(d.shock.onset), signalText, alertText, emit, verdict + (refresh.isEmpty ? "" : "; " + refresh)])
        }
        blocks.append(.paragraph("Reaction time per shock: true onset (truth log) → first event carrying its signal (a competitor signal in the city) → first detector alert (event time) → alert emitted (wall time from the arrival of the event that closed the tick). The business case's bounds: data more than 15 minutes old makes decisions fail; the regional heat map refreshes every 3.8 s."))
        blocks.append(.table(.init(header: ["Shock", "True onset", "First signal", "First alert", "Emitted after", "Verdict"], rows: reaction)))
        // Wall-clock latency: every live event's processing (alerts it triggers included) and
        // every alert's emission after its tick fell due, on the usual 1/(1 − p) axis.
        let emitted = x.emitLatenciesMicros
        let processing = r.stage.processing
        if processing.totalCount > 0 {
            func us(_ p: Double) -> Double { Double(processing.valueAtPercentile(p)) / 1000 }
            var series: [(name: String, points: [(percentile: Double, value: Double)])] = [
                ("event processing (\(grouped(Int(processing.totalCount))) events)", processing.percentilePoints()),
            ]
            var text = String(format: "Event processing time (wall clock, from the engine taking an event to the end of its processing, the ticks it makes due and their alerts included; DESIGN.md's processing latency): p50 %.2f µs, p99 %.2f µs, p99.9 %.1f µs, max %.0f µs. ",
                              us(50), us(99), us(99.9), Double(processing.max) / 1000)
            if let worst = emitted.last {
                series.append(("alert emission (\(grouped(emitted.count)) alerts)", PercentilePlot.points(sorted: emitted)))
                let p50 = emitted[emitted.count / 2], p99 = emitted[min(emitted.count - 1, Int(0.99 * Double(emitted.count)))]
                text += String(format: "Alert emission (from its tick falling due — the arrival of the event whose watermark passed it — to the alert): p50 %.1f µs, p99 %.1f µs, max %.1f µs; ", p50, p99, worst)
                    + (worst <= 3_800_000 ? "all within the 3.8 s refresh: met." : "some after the 3.8 s refresh: not met.")
            }
            text += " The events are handed to the engine a simulated day at a time (closed loop); the engine's latency under a fixed offered load, and where it breaks, is measured by warroom bench sweep-load."
            let plot = PercentilePlot.chart(title: "Event processing and alert emission latency by percentile (this run)", yLabel: "µs (log)", series: series,
                                            references: [(10, "10 µs"), (3_800_000, "3.8 s heat-map refresh")])
            blocks.append(.paragraph(text))
            blocks.append(.chart(title: plot.title, svg: plot.svg()))
        }
        blocks.append(.table(.init(header: ["Rule", "Fired", "Escalated", "In a shock footprint", "Shock detector"],
                                   rows: x.byRule.map { [$0.id, String($0.fired), String($0.escalated), String($0.matching), $0.detector ? "yes" : ""] })))
        for d in x.detections {
            guard let first = d.firstAlert,
                  let record = (r.firstRecords + r.stage.records).first(where: { $0.time == first.time && $0.ruleID == first.ruleID && $0.key == first.key })
            else { continue }
            blocks.append(.paragraph("\(d.shock.name): first detected by \(first.ruleID) at \(clock(first.time)), "
                                     + String(format: "%.1f h after the true onset. ", Double(d.latency ?? 0) / Double(SimTime.hour))
                                     + "First alert of each detector rule: " + d.firstByRule.map { "\($0.rule) +" + String(format: "%.1f h", Double($0.time - d.shock.onset) / Double(SimTime.hour)) }.joined(separator: ", ") + "."))
            blocks.append(.table(.init(header: ["Tier", "Message"], rows: [
                ["Rep", record.repMessage], ["Regional manager", record.managerMessage], ["HQ", record.hqMessage]])))
        }
        let applied = r.stage.actions.filter(\.applied)
        var actionCounts: [String: Int] = [:]
        for a in r.stage.actions { actionCounts[a.action, default: 0] += 1 }
        blocks.append(.paragraph("Actions triggered: \(r.stage.actions.count) (\(applied.count) applied to the simulated world"
                                 + (r.stage.applyActions ? ")" : "; this run used --no-actions)") + ": "
                                 + actionCounts.keys.sorted().map { "\($0) \(actionCounts[$0]!)" }.joined(separator: ", ") + "."))
        return (figures, .init(title: "Alerts", blocks: blocks))
    }

    /// Writes index.html, summary.md and metrics.json as one folder, atomically.
    static func write(report: Report, metrics: MetricsDocument, extra: [(name: String, contents: Data)] = [], to folder: URL) throws {
        do {
            try ReportFolder.write([
                (name: "index.html", contents: Data(HTMLReport.render(report).utf8)),
                (name: "summary.md", contents: Data(MarkdownReport.render(report).utf8)),
                (name: "metrics.json", contents: Data(metrics.json.rendered().utf8)),
            ] + extra, to: folder)
        } catch {
            throw LabError("\(error)")
        }
    }

    /// `day 60 10:00:00.000` for an event time.
    static func clock(_ t: Millis) -> String {
        let d = SimTime.dayIndex(t)
        let ms = t - SimTime.start(ofDay: d)
        return String(format: "day %d %02d:%02d:%02d.%03d", d, Int(ms / 3_600_000), Int(ms / 60_000 % 60), Int(ms / 1000 % 60), Int(ms % 1000))
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
