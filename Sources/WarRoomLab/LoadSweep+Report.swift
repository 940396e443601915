import Foundation
import Reporting

extension LoadSweep {
    /// Latency targets (issue "Latency lab"): at 50% of peak with the rule file, p99 ≤ 10 µs and
    /// p99.9 ≤ 100 µs; with 1,000 rules ≥ 1M events/s; at 100,000 stores at least half the
    /// throughput at the scenario's own stores.
    static let p99Target = 10.0, p999Target = 100.0, thousandRulesTarget = 1_000_000.0

    /// The load point at 50% of peak (or the nearest above).
    public var half: LoadPoint? { load.first { abs($0.fraction - 0.5) < 1e-9 } ?? load.first { $0.fraction > 0.5 } }

    /// The knee: the first load at which the engine no longer keeps up (achieved < 99% of
    /// offered) or p99 exceeds ten times its value at the lightest load; nil when none does.
    public var knee: LoadPoint? {
        guard let light = load.first else { return nil }
        let limit = max(10 * light.p99, Self.p99Target)
        return load.first { $0.achieved < 0.99 * $0.offered || $0.p99 > limit }
    }

    /// Target verdicts as (what, figure, met).
    public var verdicts: [(what: String, figure: String, met: Bool?)] {
        var out: [(String, String, Bool?)] = []
        if let h = half {
            out.append((String(format: "p99 at %.0f%% of peak (target ≤ 10 µs)", h.fraction * 100), String(format: "%.2f µs", h.p99), h.p99 <= Self.p99Target))
            out.append((String(format: "p99.9 at %.0f%% of peak (target ≤ 100 µs)", h.fraction * 100), String(format: "%.2f µs", h.p999), h.p999 <= Self.p999Target))
        }
        if let t = byRules.first(where: { $0.rules == 1000 }) {
            out.append(("throughput with 1,000 rules (target ≥ 1M events/s)", String(format: "%.2fM events/s", t.rate / 1e6), t.rate >= Self.thousandRulesTarget))
        }
        if let skipped = storesSkipped.first(where: { $0.stores >= 100_000 }) {
            out.append((String(format: "throughput at %d stores (window state %.0f MiB: over half the memory)", skipped.stores, skipped.stateMiB), "not measured", nil))
        } else if let small = byStores.first, let large = byStores.last, large.stores >= 100_000, small.stores < large.stores {
            out.append((String(format: "throughput at %d stores vs %d (target ≥ 50%%)", large.stores, small.stores),
                        String(format: "%.0f%%", 100 * large.rate / small.rate), large.rate >= 0.5 * small.rate))
        }
        return out
    }

    /// The figures as JSON.
    public var json: JSONValue {
        func n(_ v: Double) -> JSONValue { .double((v * 1000).rounded() / 1000) }
        return .object([
            ("benchmark", .string("sweep-load")),
            ("scenario", .string(scenario)),
            ("rules", .int(Int64(rules))),
            ("stream_events", .int(Int64(streamEvents))),
            ("peak_events_per_second", .double(peak.rounded())),
            ("load", .array(load.map { p in .object([
                ("fraction", n(p.fraction)), ("offered_rate", .double(p.offered)), ("achieved_rate", .double(p.achieved)),
                ("events", .int(Int64(p.events))), ("events_late", .int(Int64(p.late))),
                ("latency_us", .object([("p50", n(p.p50)), ("p90", n(p.p90)), ("p99", n(p.p99)), ("p999", n(p.p999)), ("p9999", n(p.p9999)), ("max", n(p.max))])),
                ("alert_delay_us", .object([("p50", n(p.alertDelayP50)), ("p99", n(p.alertDelayP99))])),
            ]) })),
            ("knee_fraction", knee.map { n($0.fraction) } ?? .null),
            ("rules_scaling", .array(byRules.map { .object([("rules", .int(Int64($0.rules))), ("events_per_second", .double($0.rate.rounded()))]) })),
            ("stores_scaling", .array(byStores.map { .object([("stores", .int(Int64($0.stores))), ("events_per_second", .double($0.rate.rounded())),
                                                              ("window_state_mib", .double($0.stateMiB.rounded()))]) })),
            ("stores_skipped", .array(storesSkipped.map { .object([("stores", .int(Int64($0.stores))), ("window_state_mib", .double($0.stateMiB.rounded()))]) })),
            ("targets", .array(verdicts.map { v in .object([("what", .string(v.what)), ("figure", .string(v.figure)), ("met", v.met.map { .bool($0) } ?? .null)]) })),
        ])
    }

    /// Latency percentiles against offered load (log latency axis).
    func loadChart() -> LineChart {
        let xs = load.map { $0.fraction * 100 }
        func series(_ name: String, _ ys: [Double]) -> LineChart.Series {
            var s = LineChart.Series(name: name, points: Array(zip(xs, ys)).map { (x: $0.0, y: $0.1) })
            s.dots = true
            return s
        }
        var c = LineChart(title: "Event latency against offered load (open loop, \(rules) rules)", xLabel: "offered load, % of peak (\(Self.rate(peak)) events/s)",
                          yLabel: "latency, µs (log)", series: [
                              series("p50", load.map(\.p50)), series("p99", load.map(\.p99)),
                              series("p99.9", load.map(\.p999)), series("max", load.map(\.max)),
                          ])
        c.yScale = .log
        c.references = [(Self.p99Target, "p99 target 10 µs"), (Self.p999Target, "p99.9 target 100 µs")]
        if let k = knee { c.markers = [LineChart.Marker(x: k.fraction * 100, label: "knee")] }
        return c
    }

    /// The latency distribution at 50% of peak, on the usual 1/(1 − p) axis.
    func percentileChart() -> LineChart? {
        guard let h = half, !h.distribution.isEmpty else { return nil }
        return PercentilePlot.chart(title: "Latency by percentile at \(String(format: "%.0f", h.fraction * 100))% of peak", yLabel: "latency, µs (log)",
                                    series: [(String(format: "%.0f%% of peak", h.fraction * 100), h.distribution.map { ($0.percentile, $0.micros) })],
                                    references: [(Self.p99Target, "10 µs"), (Self.p999Target, "100 µs")])
    }

    /// A throughput curve.
    func throughputChart(title: String, xLabel: String, points: [(Double, Double)], logX: Bool, reference: (Double, String)?) -> LineChart {
        var s = LineChart.Series(name: "events/s", points: points.map { (x: $0.0, y: $0.1) })
        s.dots = true
        var c = LineChart(title: title, xLabel: xLabel, yLabel: "events per second", series: [s])
        if logX { c.xScale = .log }
        if let reference { c.references = [reference] }
        return c
    }

    static func rate(_ v: Double) -> String { v >= 1e6 ? String(format: "%.2fM", v / 1e6) : String(format: "%.0fk", v / 1e3) }

    /// The report: summary, charts and tables.
    public func report() -> Report {
        var figures = [Report.Figure(label: "peak, \(rules) rules", value: "\(Self.rate(peak)) events/s", note: "closed loop, median of \(options.repeats)")]
        for v in verdicts {
            figures.append(Report.Figure(label: v.what, value: v.figure, note: v.met.map { $0 ? "met" : "not met" } ?? ""))
        }
        let kneeText: String
        if let k = knee, let i = load.firstIndex(where: { $0.fraction == k.fraction }) {
            let before = i > 0 ? String(format: "; the last load it sustains with p99 under that bound is %.0f%% (%@ events/s)", load[i - 1].fraction * 100, Self.rate(load[i - 1].offered)) : ""
            kneeText = String(format: "The knee of the curve is at %.0f%% of peak (%@ events/s offered): there the engine %@%@.",
                              k.fraction * 100, Self.rate(k.offered),
                              k.achieved < 0.99 * k.offered ? "no longer keeps up with the offered rate" : String(format: "has a p99 of %.1f µs, over ten times its light-load value", k.p99),
                              before)
        } else {
            kneeText = "No knee within the loads measured: the engine kept up and its p99 stayed within ten times its light-load value."
        }
        let method = """
        Open loop: each event has an intended send time (start + i / rate); its latency runs from that time to the end of its \
        processing, so a stall is charged to every event that should have been processed during it (no coordinated omission). \
        Due ticks are evaluated while the engine waits for the next event; the alert delay is the time from a tick falling due to \
        its alert being emitted. Each load offers \(options.warmup) s of warm-up (not recorded) then up to \(options.seconds) s, \
        on one core, from the scenario's live stream held in memory (\(streamEvents) events, \(rules) rules).
        """
        let loadTable = Report.Table(
            header: ["load", "offered /s", "achieved /s", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "p99.99 µs", "max µs", "late", "alert delay p50 ms"],
            rows: load.map { p in
                [String(format: "%.0f%%", p.fraction * 100), Self.rate(p.offered), Self.rate(p.achieved), String(format: "%.2f", p.p50),
                 String(format: "%.2f", p.p90), String(format: "%.2f", p.p99), String(format: "%.1f", p.p999), String(format: "%.1f", p.p9999),
                 String(format: "%.1f", p.max), String(format: "%.1f%%", 100 * Double(p.late) / Double(max(1, p.events))),
                 String(format: "%.2f", p.alertDelayP50 / 1000)]
            })
        var latencyBlocks: [Report.Block] = [.paragraph(kneeText), .chart(title: "latency-vs-load.svg", svg: loadChart().svg())]
        if let pc = percentileChart() { latencyBlocks.append(.chart(title: "latency-percentiles.svg", svg: pc.svg())) }
        latencyBlocks += [.table(loadTable), .paragraph(method)]
        let rulesChart = throughputChart(title: "Throughput against the number of rules", xLabel: "rules (log)",
                                         points: byRules.map { (Double($0.rules), $0.rate) }, logX: true, reference: (Self.thousandRulesTarget, "1M events/s"))
        let storesChart = throughputChart(title: "Throughput against the number of stores (keys)", xLabel: "stores (log)",
                                          points: byStores.map { (Double($0.stores), $0.rate) }, logX: true,
                                          reference: byStores.first.map { (0.5 * $0.rate, "half of \($0.stores) stores") })
        let scaling: [Report.Block] = [
            .paragraph("Rules beyond the file's own are generated variants (the same signals with thresholds moved 1% per copy); rules that measure the same signal share its state. Closed loop, history replayed untimed, median of \(options.repeats)."),
            .chart(title: "throughput-vs-rules.svg", svg: rulesChart.svg()),
            .table(Report.Table(header: ["rules", "events/s"], rows: byRules.map { ["\($0.rules)", Self.rate($0.rate)] })),
            .paragraph("Key cardinality: the first \(options.cardinalityDays) live days with the world's stores, cities, regions and reps replicated; each event goes to one replica (by its customer, or its position), so the event rate and mix stay the same while the keys grow. Every point starts from an empty engine (no history); the first half of the days warms it (keys created, memory touched) and the second half is timed, median of \(options.repeats)."),
            .chart(title: "throughput-vs-stores.svg", svg: storesChart.svg()),
            .table(Report.Table(header: ["stores", "events/s", "window state, MiB (ring upper bound)"],
                                rows: byStores.map { ["\($0.stores)", Self.rate($0.rate), String(format: "%.0f", $0.stateMiB)] }
                                    + storesSkipped.map { ["\($0.stores)", "skipped", String(format: "%.0f (over half the memory)", $0.stateMiB)] })),
        ]
        return Report(title: "Alert engine latency and scaling — \(scenario)",
                      subtitle: "warroom bench sweep-load, release build, one core",
                      figures: figures,
                      sections: [Report.Section(title: "Latency against offered load", blocks: latencyBlocks),
                                 Report.Section(title: "Scaling", blocks: scaling)])
    }

    /// The report folder's files: index.html, summary.md, metrics.json, the CSVs, the SVGs and
    /// the .hgrm of the 50% point.
    public func files() -> [(name: String, contents: Data)] {
        let r = report()
        func csv(_ header: [String], _ rows: [[String]]) -> Data {
            Data(([header] + rows).map { $0.map(CSVWriter.field).joined(separator: ",") }.map { $0 + "\n" }.joined().utf8)
        }
        let num = CSVWriter.number
        var out: [(String, Data)] = [
            ("index.html", Data(HTMLReport.render(r).utf8)),
            ("summary.md", Data(MarkdownReport.render(r).utf8)),
            ("metrics.json", Data(json.rendered().utf8)),
            ("latency-vs-load.csv", csv(["fraction_of_peak", "offered_rate", "achieved_rate", "events", "events_late", "p50_us", "p90_us", "p99_us", "p999_us", "p9999_us", "max_us", "alert_delay_p50_us", "alert_delay_p99_us"],
                                        load.map { p in [num(p.fraction), num(p.offered), num(p.achieved), "\(p.events)", "\(p.late)", num(p.p50), num(p.p90), num(p.p99), num(p.p999), num(p.p9999), num(p.max), num(p.alertDelayP50), num(p.alertDelayP99)] })),
            ("throughput-vs-rules.csv", csv(["rules", "events_per_second"], byRules.map { ["\($0.rules)", num($0.rate.rounded())] })),
            ("throughput-vs-stores.csv", csv(["stores", "events_per_second", "window_state_mib"], byStores.map { ["\($0.stores)", num($0.rate.rounded()), num($0.stateMiB.rounded())] })),
            ("latency-vs-load.svg", Data(loadChart().svg().utf8)),
            ("throughput-vs-rules.svg", Data(throughputChart(title: "Throughput against the number of rules", xLabel: "rules (log)", points: byRules.map { (Double($0.rules), $0.rate) }, logX: true, reference: nil).svg().utf8)),
            ("throughput-vs-stores.svg", Data(throughputChart(title: "Throughput against the number of stores (keys)", xLabel: "stores (log)", points: byStores.map { (Double($0.stores), $0.rate) }, logX: true, reference: nil).svg().utf8)),
        ]
        if let pc = percentileChart() { out.append(("latency-percentiles.svg", Data(pc.svg().utf8))) }
        if let h = half {
            out.append(("latency-percentiles.csv", csv(["percentile", "latency_us"], h.distribution.map { [num($0.percentile), num($0.micros)] })))
        }
        if !hgrmAtHalf.isEmpty { out.append(("latency-at-half-peak.hgrm", Data(hgrmAtHalf.utf8))) }
        return out
    }
}
