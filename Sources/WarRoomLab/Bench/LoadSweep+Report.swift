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
            out += Self.floorVerdicts(share: String(format: "%.0f%%", h.fraction * 100), p99: h.p99, machine: h.machine,
                                      serviceP99: h.serviceP99, serviceP999: h.serviceP999)
        }
        if let t = byRules.first(where: { $0.rules == 1000 }) {
            out.append((L("throughput with 1,000 rules (target ≥ 1M events/s)"), L("{0}M events/s", String(format: "%.2f", t.rate / 1e6)), t.rate >= Self.thousandRulesTarget))
        }
        if let skipped = storesSkipped.first(where: { $0.stores >= 100_000 }) {
            out.append((L("throughput at {0} stores (window state up to {1} MiB: over half the memory)", String(skipped.stores), String(format: "%.0f", skipped.stateMiB)),
                        L("not measured"), nil))
        } else if let small = byStores.first, let large = byStores.last, large.stores >= 100_000, small.stores < large.stores {
            out.append((L("throughput at {0} stores vs {1} (target ≥ 50%)", String(large.stores), String(small.stores)),
                        String(format: "%.0f%%", 100 * large.rate / small.rate), large.rate >= 0.5 * small.rate))
        }
        return out
    }

    /// The figures as JSON.
    public var json: JSONValue {
        func n(_ v: Double) -> JSONValue { .double((v * 1000).rounded() / 1000) }
        let machine: JSONValue = machineAtHalf?.json ?? .null
        let dominated = stallDominated
        let loads: [JSONValue] = load.indices.map { i in
            let p = load[i]
            let latency: JSONValue = .object([("p50", n(p.p50)), ("p90", n(p.p90)), ("p99", n(p.p99)), ("p999", n(p.p999)), ("p9999", n(p.p9999)), ("max", n(p.max))])
            return .object([
                ("fraction", n(p.fraction)), ("offered_events_per_second", .double(p.offered)), ("achieved_events_per_second", .double(p.achieved)),
                ("events", .int(Int64(p.events))), ("late_events", .int(Int64(p.late))), ("latency_us", latency),
                ("each_run_p99_us", .array(p.p99Runs.map(n))),
                ("alert_delay_us", .object([("p50", n(p.alertDelayP50)), ("p99", n(p.alertDelayP99))])),
                ("machine", p.machine?.json ?? .null), ("stall_dominated", .bool(dominated[i])),
                ("service_us", .object([("p99", .number(p.serviceP99)), ("p999", .number(p.serviceP999))])),
                ("tail_over_floor_ratio", .number(Self.floorRatio(p99: p.p99, machine: p.machine).map { ($0 * 1000).rounded() / 1000 })),
            ])
        }
        return .object([
            ("benchmark", .string("sweep-load")),
            ("scenario", .string(scenario)),
            ("rules", .int(Int64(rules))),
            ("stream_events", .int(Int64(streamEvents))),
            ("peak_events_per_second", .double(peak.rounded())),
            ("load", .array(loads)),
            ("knee_fraction", knee.map { n($0.fraction) } ?? .null),
            ("rules_scaling", .array(byRules.map { .object([("rules", .int(Int64($0.rules))), ("events_per_second", .double($0.rate.rounded()))]) })),
            ("stores_scaling", .array(byStores.map { .object([("stores", .int(Int64($0.stores))), ("events_per_second", .double($0.rate.rounded())),
                                                              ("window_state_mib", .double($0.stateMiB.rounded())),
                                                              ("key_evaluations_per_event", .double(($0.evaluationsPerEvent * 1000).rounded() / 1000))]) })),
            ("stores_skipped", .array(storesSkipped.map { .object([("stores", .int(Int64($0.stores))), ("window_state_mib", .double($0.stateMiB.rounded()))]) })),
            ("machine_at_half", machine),
            ("targets", Self.verdictsJSON(verdicts)),
        ])
    }

    /// Whether the machine rather than the load decided each point's tail: the machine's stalls
    /// measured right after it, replayed alone against its schedule, give at least half its p99;
    /// or its p99 is more than 10% above that of a higher load, which more load alone cannot do.
    public var stallDominated: [Bool] {
        load.indices.map { i in
            let p = load[i]
            let byStalls = p.machine.map { $0.p99AtService >= 0.5 * p.p99 } ?? false
            return byStalls || load[(i + 1)...].contains { $0.p99 * 1.1 < p.p99 }
        }
    }

    /// The warning set next to the load chart when some of its points are drawn hollow; nil when
    /// none is.
    func loadChartWarning() -> String? {
        let flagged = load.indices.filter { stallDominated[$0] }
        guard !flagged.isEmpty else { return nil }
        let points = flagged.map { i -> String in
            let p = load[i], share = String(format: "%.0f%%", p.fraction * 100)
            guard let m = p.machine else { return L("{0} (p99 {1} µs)", share, String(format: "%.2f", p.p99)) }
            return L("{0} (p99 {1} µs, stalls alone {2} µs)", share, String(format: "%.2f", p.p99), String(format: "%.2f", m.p99AtService))
        }
        return L("Hollow points: this machine's stalls, not the load, decided the tail at {0} — replayed alone against that load's schedule they give at least half its p99, or its p99 is above that of a higher load, which more load alone cannot do. Read those points as the machine's moment, not the engine's curve.",
                 points.joined(separator: L(", ")))
    }

    /// The loads with enough events to be drawn (`minimumDrawnEvents`).
    var drawnLoads: [Int] { load.indices.filter { load[$0].events >= Self.minimumDrawnEvents } }

    /// What the chart leaves out, said beside it: loads too short to be drawn (nil when none is).
    func undrawnNote() -> String? {
        let left = load.indices.filter { load[$0].events < Self.minimumDrawnEvents }
        guard !left.isEmpty else { return nil }
        return L("Not drawn, fewer than 200,000 events each (too few to say anything about the tail): {0}; they are in the table.",
                 left.map { L("{0} ({1} events)", String(format: "%.0f%%", load[$0].fraction * 100), Format.count(load[$0].events)) }.joined(separator: L(", ")))
    }

    /// Latency percentiles against offered load (log latency axis), beside the p99 floor this
    /// machine's stalls give at each load; the tail of the points the stalls dominated drawn
    /// hollow. Nil when no load has enough events to be drawn.
    func loadChart() -> LineChart? {
        let drawn = drawnLoads
        guard !drawn.isEmpty else { return nil }
        let xs = drawn.map { load[$0].fraction * 100 }
        let hollow = Set(drawn.indices.filter { stallDominated[drawn[$0]] })
        func series(_ name: String, _ ys: [Double]) -> LineChart.Series {
            var s = LineChart.Series(name: name, points: Array(zip(xs, ys)).map { (x: $0.0, y: $0.1) })
            s.dots = true
            if name != "p50" { s.hollow = hollow }
            return s
        }
        var lines = [series("p50", drawn.map { load[$0].p50 }), series("p99", drawn.map { load[$0].p99 }),
                     series("p99.9", drawn.map { load[$0].p999 }), series("max", drawn.map { load[$0].max })]
        let floors = drawn.compactMap { i in load[i].machine.map { (x: load[i].fraction * 100, y: $0.p99AtService) } }
        if !floors.isEmpty {
            var floor = LineChart.Series(name: L("p99 floor: this machine's stalls alone"), points: floors)
            floor.dashed = true
            floor.colorIndex = 1
            lines.append(floor)
        }
        var c = LineChart(title: L("Event latency against offered load (open loop, {0} rules)", String(rules)),
                          xLabel: L("offered load, % of peak ({0} events/s)", Self.rate(peak)), yLabel: L("latency, µs (log)"), series: lines)
        c.yScale = .log
        if let k = knee { c.markers = [LineChart.Marker(x: k.fraction * 100, label: L("knee"))] }
        return c
    }

    /// The latency distribution at 50% of peak, on the usual 1/(1 − p) axis.
    func percentileChart() -> LineChart? {
        guard let h = half, !h.distribution.isEmpty else { return nil }
        let share = String(format: "%.0f%%", h.fraction * 100)
        return PercentilePlot.chart(title: L("Latency by percentile at {0} of peak", share), yLabel: L("latency, µs (log)"),
                                    series: [(L("{0} of peak", share), h.distribution.map { ($0.percentile, $0.micros) })],
                                    references: [(Self.p99Target, "10 µs"), (Self.p999Target, "100 µs")])
    }

    /// A throughput curve.
    func throughputChart(title: String, xLabel: String, points: [(Double, Double)], logX: Bool, reference: (Double, String)?) -> LineChart {
        var s = LineChart.Series(name: L("events/s"), points: points.map { (x: $0.0, y: $0.1) })
        s.dots = true
        var c = LineChart(title: title, xLabel: xLabel, yLabel: L("events per second"), series: [s])
        if logX { c.xScale = .log }
        if let reference { c.references = [reference] }
        return c
    }

    static func rate(_ v: Double) -> String { v >= 1e6 ? String(format: "%.2fM", v / 1e6) : String(format: "%.0fk", v / 1e3) }

    /// What the engine's event utilisation against the highest one the machine's stalls allow
    /// for p99 ≤ 10 µs says about whose the tail is.
    static func utilisationVerdict(allowed: Double, engine: Double) -> String {
        engine <= allowed
            ? L("Within it: the rest of the engine's p99 is its own — the events that take longer than its mean.")
            : L("Over it: at that moment no engine doing the same share of its work per event could have met the target on this machine.")
    }

    /// The report: summary, charts and tables.
    public func report() -> Report {
        var figures = [Report.Figure(label: L("peak, {0} rules", String(rules)), value: L("{0} events/s", Self.rate(peak)),
                                     note: L("closed loop, median of {0}", String(options.repeats)))]
        for v in verdicts {
            figures.append(Report.Figure(label: v.what, value: v.figure, note: v.met.map { $0 ? L("met") : L("not met") } ?? ""))
        }
        if let m = machineAtHalf, let h = half {
            figures.append(Report.Figure(label: L("p99 this machine's stalls alone impose at {0} of peak", String(format: "%.0f%%", h.fraction * 100)),
                                         value: String(format: "%.2f µs", m.p99AtService),
                                         note: L("at the engine's mean of {0} µs per event; {1} µs with no work at all", String(format: "%.2f", m.service), String(format: "%.2f", m.p99))))
            if let u = m.utilisationForBound {
                let e = m.eventUtilisation
                figures.append(Report.Figure(label: L("highest event utilisation with p99 ≤ 10 µs on this machine (any engine)"), value: String(format: "%.0f%%", u * 100),
                                             note: L("this engine's events at {0} of peak: {1}", String(format: "%.0f%%", h.fraction * 100), String(format: "%.0f%%", e * 100))))
            }
        }
        let kneeText: String
        if let k = knee, let i = load.firstIndex(where: { $0.fraction == k.fraction }) {
            let before = i > 0 ? L("; the last load it sustains with p99 under that bound is {0} ({1} events/s)",
                                   String(format: "%.0f%%", load[i - 1].fraction * 100), Self.rate(load[i - 1].offered)) : ""
            let what = k.achieved < 0.99 * k.offered ? L("no longer keeps up with the offered rate")
                : L("has a p99 of {0} µs, over ten times its light-load value", String(format: "%.1f", k.p99))
            kneeText = L("The knee of the curve is at {0} of peak ({1} events/s offered): there the engine {2}{3}.",
                         String(format: "%.0f%%", k.fraction * 100), Self.rate(k.offered), what, before)
        } else {
            kneeText = L("No knee within the loads measured: the engine kept up and its p99 stayed within ten times its light-load value.")
        }
        let method = L("Open loop: each event has an intended send time (start + i / rate); its latency runs from that time to the end of its processing, so a stall is charged to every event that should have been processed during it (no coordinated omission). Due ticks are evaluated while the engine waits for the next event; the alert delay is the time from a tick falling due to its alert being emitted. Each load offers {0} s of warm-up (not recorded) then up to {1} s, on one core, from the scenario's live stream held in memory ({2} events, {3} rules).",
                       "\(options.warmup)", "\(options.seconds)", String(streamEvents), String(rules))
            + " " + L("Each load is run {0} times; the figures are the run with the median p99 (the p99 of every run is in metrics.json).", String(max(1, options.repeats)))
        let loadTable = Report.Table(
            header: ["load", "offered /s", "achieved /s", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "p99.99 µs", "max µs", "late", "alert delay p50 ms"].map { L($0) },
            rows: load.map { p in
                [String(format: "%.0f%%", p.fraction * 100), Self.rate(p.offered), Self.rate(p.achieved), String(format: "%.2f", p.p50),
                 String(format: "%.2f", p.p90), String(format: "%.2f", p.p99), String(format: "%.1f", p.p999), String(format: "%.1f", p.p9999),
                 String(format: "%.1f", p.max), String(format: "%.1f%%", 100 * Double(p.late) / Double(max(1, p.events))),
                 String(format: "%.2f", p.alertDelayP50 / 1000)]
            })
        var latencyBlocks: [Report.Block] = [.paragraph(kneeText)]
        if let chart = loadChart() { latencyBlocks.append(.chart(title: "latency-vs-load.svg", svg: chart.svg())) }
        for note in [loadChartWarning(), undrawnNote()] { if let note { latencyBlocks.append(.paragraph(note)) } }
        if let pc = percentileChart() { latencyBlocks.append(.chart(title: "latency-percentiles.svg", svg: pc.svg())) }
        if let m = machineAtHalf, let h = half {
            latencyBlocks.append(.paragraph(L("The engine's or the machine's? Right after the {0} load a thread reading memory at random (as much as the engine's window state) saw {1} stalls a second, {2}% of its time (median {3} µs, longest {4} µs): the kernel and the hypervisor taking the core away. The same schedule replayed against those stalls gives p99 {5} µs and p99.9 {6} µs for an engine that spends exactly its mean of {7} µs on every event and nothing else, and p99 {8} µs for one that spends no time at all; the engine measured p99 {9} µs and p99.9 {10} µs.",
                String(format: "%.0f%%", h.fraction * 100), String(format: "%.0f", m.stallsPerSecond), String(format: "%.2f", 100 * m.stalledShare),
                String(format: "%.1f", m.stallP50), String(format: "%.0f", m.stallMax), String(format: "%.2f", m.p99AtService), String(format: "%.1f", m.p999AtService),
                String(format: "%.2f", m.service), String(format: "%.2f", m.p99), String(format: "%.2f", h.p99), String(format: "%.1f", h.p999))))
            if let u = m.utilisationForBound {
                let e = m.eventUtilisation
                latencyBlocks.append(.paragraph(L("A faster engine alone would not escape them: the queue that builds behind a stall of length S drains in S·u/(1 − u), u being the share of the time events keep the engine busy, whatever its speed; and a faster engine offered half of its own peak gets proportionally more events, so its u stays the same. Replayed for an engine of any speed, these stalls allow p99 ≤ 10 µs up to u = {0}; this engine's events kept it busy {1} of the time at {2} of peak (its due ticks it evaluates while idle, outside u).",
                    String(format: "%.0f%%", u * 100), String(format: "%.0f%%", e * 100), String(format: "%.0f%%", h.fraction * 100))
                    + " " + Self.utilisationVerdict(allowed: u, engine: e)))
            }
        }
        latencyBlocks += [.table(loadTable), .paragraph(method)]
        let rulesChart = rulesThroughputChart(reference: (Self.thousandRulesTarget, L("1M events/s")))
        let storesChart = storesThroughputChart(reference: byStores.first.map { (0.5 * $0.rate, L("half of {0} stores", String($0.stores))) })
        let scaling: [Report.Block] = [
            .paragraph(L("Rules beyond the file's own are generated variants (the same signals with thresholds moved 1% per copy); rules that measure the same signal share its state. Closed loop, history replayed untimed, median of {0}.",
                         String(options.repeats))),
            .chart(title: "throughput-vs-rules.svg", svg: rulesChart.svg()),
            .table(Report.Table(header: [L("rules"), L("events/s")], rows: byRules.map { ["\($0.rules)", Self.rate($0.rate)] })),
            .paragraph(L("Key cardinality: the first {0} live days with the world's stores, cities, regions and reps replicated; each event goes to one replica (by its customer, or its position), so the event rate and mix stay the same while the keys grow. Every point starts from an empty engine (no history); the first half of the days warms it (keys created, memory touched) and the second half is timed, median of {1}.",
                         String(options.cardinalityDays), String(options.repeats))),
            .chart(title: "throughput-vs-stores.svg", svg: storesChart.svg()),
            .table(Report.Table(header: [L("stores"), L("events/s"), L("window state, MiB"), L("key evaluations per event")],
                                rows: byStores.map { ["\($0.stores)", Self.rate($0.rate), String(format: "%.0f", $0.stateMiB), String(format: "%.2f", $0.evaluationsPerEvent)] }
                                    + storesSkipped.map { ["\($0.stores)", L("skipped"), L("up to {0} (over half the memory)", String(format: "%.0f", $0.stateMiB)), ""] })),
            .paragraph(L("A key is evaluated at the ticks where its window content changes or a timer falls due; rules with a lag or baseline evaluate a busy key at every tick. Spread over more stores, the same events make many sparse keys, each with its own ticks to evaluate: the evaluations per event, not the events, set the throughput at high cardinality.")),
        ]
        return Report(title: L("Alert engine latency and scaling — {0}", scenario),
                      subtitle: L("warroom bench sweep-load, release build, one core"),
                      figures: figures,
                      sections: [Report.Section(title: L("Latency against offered load"), blocks: latencyBlocks),
                                 Report.Section(title: L("Scaling"), blocks: scaling)])
    }

    /// Throughput against the number of rules (log axis).
    func rulesThroughputChart(reference: (Double, String)?) -> LineChart {
        throughputChart(title: L("Throughput against the number of rules"), xLabel: L("rules (log)"),
                        points: byRules.map { (Double($0.rules), $0.rate) }, logX: true, reference: reference)
    }

    /// Throughput against the number of stores (log axis).
    func storesThroughputChart(reference: (Double, String)?) -> LineChart {
        throughputChart(title: L("Throughput against the number of stores (keys)"), xLabel: L("stores (log)"),
                        points: byStores.map { (Double($0.stores), $0.rate) }, logX: true, reference: reference)
    }

    /// The report folder's files: index.html, summary.md, metrics.json, the CSVs, the SVGs and
    /// the .hgrm of the 50% point; text and charts in `language`, metrics.json in English.
    public func files(language: Language = .en) -> [(name: String, contents: Data)] {
        Language.$current.withValue(language) { reportFiles() } + dataFiles()
    }

    /// Writes the report folder, `<out>/latency-<scenario>/`, whole or not at all; returns it.
    ///
    /// - Parameters:
    ///   - outDirectory: the folder under which the report folder is written.
    ///   - language: the report's language (nil: the scenario's, else the locale's).
    public func writeReport(outDirectory: String, language: Language?) throws -> URL {
        let folder = URL(fileURLWithPath: outDirectory).appendingPathComponent("latency-" + SafeName.component(scenario))
        try ReportFolder.write(files(language: Language.choose(language, scenario: scenarioLanguage)), to: folder)
        return folder
    }

    private func reportFiles() -> [(name: String, contents: Data)] {
        let r = report()
        var out: [(String, Data)] = [
            ("index.html", Data(HTMLReport.render(r).utf8)),
            ("summary.md", Data(MarkdownReport.render(r).utf8)),
            ("throughput-vs-rules.svg", Data(rulesThroughputChart(reference: nil).svg().utf8)),
            ("throughput-vs-stores.svg", Data(storesThroughputChart(reference: nil).svg().utf8)),
        ]
        if let chart = loadChart() { out.append(("latency-vs-load.svg", Data(chart.svg().utf8))) }
        if let pc = percentileChart() { out.append(("latency-percentiles.svg", Data(pc.svg().utf8))) }
        return out
    }

    private func dataFiles() -> [(name: String, contents: Data)] {
        func csv(_ header: [String], _ rows: [[String]]) -> Data {
            Data(([header] + rows).map { $0.map(CSVWriter.field).joined(separator: ",") }.map { $0 + "\n" }.joined().utf8)
        }
        let num = CSVWriter.number
        var out: [(String, Data)] = [
            ("metrics.json", Data(JSONDocument.make("bench_sweep_load", json).rendered().utf8)),
            ("latency-vs-load.csv", csv(["fraction_of_peak", "offered_rate", "achieved_rate", "events", "events_late", "p50_us", "p90_us", "p99_us", "p999_us", "p9999_us", "max_us", "alert_delay_p50_us", "alert_delay_p99_us"],
                                        load.map { p in [num(p.fraction), num(p.offered), num(p.achieved), "\(p.events)", "\(p.late)", num(p.p50), num(p.p90), num(p.p99), num(p.p999), num(p.p9999), num(p.max), num(p.alertDelayP50), num(p.alertDelayP99)] })),
            ("throughput-vs-rules.csv", csv(["rules", "events_per_second"], byRules.map { ["\($0.rules)", num($0.rate.rounded())] })),
            ("throughput-vs-stores.csv", csv(["stores", "events_per_second", "window_state_mib", "key_evaluations_per_event"],
                                             byStores.map { ["\($0.stores)", num($0.rate.rounded()), num($0.stateMiB.rounded()), num(($0.evaluationsPerEvent * 1000).rounded() / 1000)] })),
        ]
        if let h = half {
            out.append(("latency-percentiles.csv", csv(["percentile", "latency_us"], h.distribution.map { [num($0.percentile), num($0.micros)] })))
        }
        if !hgrmAtHalf.isEmpty { out.append(("latency-at-half-peak.hgrm", Data(hgrmAtHalf.utf8))) }
        return out
    }
}
