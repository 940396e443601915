import Forecasting
import Foundation
import Reporting
import RunStore
import WarRoomCore

/// The statistics and report of a finished sweep: per outcome, each variant's mean with a 95%
/// confidence interval, and its paired difference to the baseline (the first variant) over the
/// same seeds, beside the interval an unpaired design would have given.
enum SweepReport {
    /// Mean, standard deviation, count and the 95% half-width t·s/√n of finite values.
    struct Estimate {
        var n: Int, mean: Double, sd: Double, halfWidth: Double
        init(_ xs: [Double]) {
            let v = xs.filter(\.isFinite)
            n = v.count
            mean = n > 0 ? v.reduce(0, +) / Double(n) : .nan
            let m = mean
            sd = n > 1 ? (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)).squareRoot() : .nan
            halfWidth = n > 1 ? StudentT.quantile(0.975, degreesOfFreedom: n - 1) * sd / Double(n).squareRoot() : .nan
        }
    }

    /// One variant against the baseline on one outcome.
    struct Comparison {
        var variant: String
        var estimate: Estimate
        /// Paired differences (variant − baseline) over the seeds both have.
        var paired: Estimate
        /// The half-width an unpaired comparison would have had (Welch).
        var unpairedHalfWidth: Double
    }

    static func comparisons(plan: Sweep.Plan, table: [String: [String: Double]], outcome: String) -> [Comparison] {
        let base = plan.variants[0].name
        func values(_ v: String) -> [Double] { plan.seeds.map { table["\(v)\u{0}\($0)"]?[outcome] ?? .nan } }
        let b = values(base)
        return plan.variants.map { variant in
            let x = values(variant.name)
            let diffs = zip(x, b).map { $0 - $1 }
            let e = Estimate(x), eb = Estimate(b)
            var unpaired = Double.nan
            if e.n > 1 && eb.n > 1 {
                let a = e.sd * e.sd / Double(e.n), c = eb.sd * eb.sd / Double(eb.n)
                let df = (a + c) * (a + c) / (a * a / Double(e.n - 1) + c * c / Double(eb.n - 1))
                unpaired = a + c > 0 ? StudentT.quantile(0.975, degreesOfFreedom: max(1, Int(df.rounded(.down)))) * (a + c).squareRoot() : 0
            }
            return Comparison(variant: variant.name, estimate: e, paired: Estimate(diffs), unpairedHalfWidth: unpaired)
        }
    }

    /// What a written sweep report holds for the command's summary.
    struct Written {
        /// The report folder.
        var folder: URL
        /// Per variant, each outcome's mean and its 95% interval, and the mean paired difference
        /// to the baseline and its interval (`ci95_mean`, `paired_difference_mean`, `paired_ci95_mean`).
        var byVariant: JSONValue
        /// The price of delay (verdict and data ages), when some variant delivers late.
        var priceOfDelay: JSONValue?
    }

    /// Checks completeness, computes everything and writes `<out>/<name>-sweep/` atomically.
    static func write(plan: Sweep.Plan, runs: [SweepRun], outDirectory: String, databasePath: String? = nil, language: Language = .en) throws -> Written {
        // Only the report's text is translated: metrics.json and the CSVs use no phrase.
        try Language.$current.withValue(language) {
            try writeInLanguage(plan: plan, runs: runs, outDirectory: outDirectory, databasePath: databasePath)
        }
    }

    private static func writeInLanguage(plan: Sweep.Plan, runs: [SweepRun], outDirectory: String, databasePath: String?) throws -> Written {
        var table: [String: [String: Double]] = [:], digests: [String: String] = [:]
        for r in runs {
            let key = "\(r.variant)\u{0}\(r.seed)"
            if let d = digests[key], d != r.digest {
                throw LabError("two results for variant \(r.variant), seed \(r.seed) disagree (digests \(d.prefix(8))… and \(r.digest.prefix(8))…)")
            }
            digests[key] = r.digest
            table[key] = r.values
        }
        let missing = plan.tasks.filter { table["\(plan.variants[$0.variant].name)\u{0}\(plan.seeds[$0.seed])"] == nil }
        guard missing.isEmpty else {
            let list = missing.prefix(5).map { "\(plan.variants[$0.variant].name)/seed \(plan.seeds[$0.seed])" }.joined(separator: ", ")
            throw LabError("the sweep is incomplete: \(missing.count) of \(plan.tasks.count) replications missing (\(list)\(missing.count > 5 ? ", …" : "")); run the missing shards, or sweep --resume",
                           exitCode: LabError.invalidInput)
        }
        func r(_ v: Double, _ digits: Double = 1e6) -> JSONValue { v.isFinite ? .double((v * digits).rounded() / digits) : .null }
        var outcomeJSON: [(String, JSONValue)] = [], rows: [[String]] = [], forest: [ForestPlot.Row] = []
        var estimates: [RunStore.SweepEstimateRow] = []
        var summaryCSV = "outcome,variant,n,mean,ci_low,ci_high,paired_difference,paired_ci_low,paired_ci_high,unpaired_ci_half_width\n"
        // Every outcome's comparisons, computed once: the tables, the JSON and the price of delay read them.
        let compared = Dictionary(uniqueKeysWithValues: SweepRun.outcomes.map { ($0.key, comparisons(plan: plan, table: table, outcome: $0.key)) })
        for o in SweepRun.outcomes {
            let cs = compared[o.key]!
            outcomeJSON.append((o.key, .object([("label", .string(o.label)), ("unit", .string(o.unit)), ("by_variant", .object(cs.map { c in
                (c.variant, .object([
                    ("replications", .int(Int64(c.estimate.n))), ("mean", r(c.estimate.mean)), ("ci95", .array([r(c.estimate.mean - c.estimate.halfWidth), r(c.estimate.mean + c.estimate.halfWidth)])),
                    ("paired_difference", r(c.paired.mean)),
                    ("paired_ci95", .array([r(c.paired.mean - c.paired.halfWidth), r(c.paired.mean + c.paired.halfWidth)])),
                    ("paired_ci95_half_width", r(c.paired.halfWidth)), ("unpaired_ci95_half_width", r(c.unpairedHalfWidth)),
                ]))
            }))])))
            let base = cs[0].estimate.mean
            for c in cs {
                estimates.append(.init(outcome: o.key, variant: c.variant, n: c.estimate.n, mean: c.estimate.mean,
                                       ciLow: c.estimate.mean - c.estimate.halfWidth, ciHigh: c.estimate.mean + c.estimate.halfWidth,
                                       pairedDifference: c.paired.mean, pairedLow: c.paired.mean - c.paired.halfWidth,
                                       pairedHigh: c.paired.mean + c.paired.halfWidth, unpairedHalfWidth: c.unpairedHalfWidth))
                summaryCSV += [o.key, c.variant, String(c.estimate.n), CSVWriter.number(c.estimate.mean), CSVWriter.number(c.estimate.mean - c.estimate.halfWidth),
                               CSVWriter.number(c.estimate.mean + c.estimate.halfWidth), CSVWriter.number(c.paired.mean),
                               CSVWriter.number(c.paired.mean - c.paired.halfWidth), CSVWriter.number(c.paired.mean + c.paired.halfWidth),
                               CSVWriter.number(c.unpairedHalfWidth)].joined(separator: ",") + "\n"
                rows.append([L(o.label), c.variant, format(c.estimate.mean, o.unit) + " ± " + format(c.estimate.halfWidth, o.unit),
                             c.variant == cs[0].variant ? L("baseline") : format(c.paired.mean, o.unit, signed: true) + " ± " + format(c.paired.halfWidth, o.unit),
                             c.variant == cs[0].variant || !c.unpairedHalfWidth.isFinite ? "—" : "± " + format(c.unpairedHalfWidth, o.unit)])
                if c.variant != cs[0].variant && base.isFinite && base != 0 && c.paired.mean.isFinite {
                    forest.append(.init(label: "\(L(o.label)): \(c.variant)", estimate: 100 * c.paired.mean / abs(base),
                                        low: 100 * (c.paired.mean - c.paired.halfWidth) / abs(base), high: 100 * (c.paired.mean + c.paired.halfWidth) / abs(base)))
                }
            }
        }
        let seedsJSON: [JSONValue] = plan.seeds.map { .int(Int64(bitPattern: $0)) }
        let variantsJSON: [JSONValue] = plan.variants.map { v in
            .object([("name", .string(v.name)), ("description", .string(v.description)), ("playbook", .bool(v.applyActions)),
                     ("overrides", .array(v.overrides.map { .string($0) }))])
        }
        let delay = priceOfDelay(plan: plan, compared: compared)
        var metricsFields: [(String, JSONValue)] = [
            ("schema_version", .int(JSONDocument.versions["sweep_metrics"]!)), ("kind", .string("sweep_metrics")), ("scenario", .string(plan.scenario.name)), ("scenario_hash", .string(plan.scenarioHash)),
            ("baseline", .string(plan.variants[0].name)), ("variants", .array(variantsJSON)), ("seeds", .array(seedsJSON)),
            ("by_outcome", .object(outcomeJSON)),
        ]
        if let delay { metricsFields.append(("price_of_delay", delay.json)) }
        let metrics = JSONValue.object(metricsFields)
        // The same figures by variant, for the command's summary.
        let byVariant = JSONValue.object(plan.variants.indices.map { i in
            (plan.variants[i].name, .object(SweepRun.outcomes.map { o in
                let c = compared[o.key]![i]
                return (o.key, .object([("mean", r(c.estimate.mean)), ("ci95_mean", .array([r(c.estimate.mean - c.estimate.halfWidth), r(c.estimate.mean + c.estimate.halfWidth)])),
                                        ("paired_difference_mean", r(c.paired.mean)),
                                        ("paired_ci95_mean", .array([r(c.paired.mean - c.paired.halfWidth), r(c.paired.mean + c.paired.halfWidth)]))]))
            }))
        })
        var resultsCSV = "variant,seed,digest," + SweepRun.outcomes.map(\.key).joined(separator: ",") + "\n"
        for t in plan.tasks {
            let v = plan.variants[t.variant].name, seed = plan.seeds[t.seed]
            let values = table["\(v)\u{0}\(seed)"]!
            resultsCSV += "\(v),\(seed),\(digests["\(v)\u{0}\(seed)"]!)," + SweepRun.outcomes.map { CSVWriter.number(values[$0.key] ?? .nan) }.joined(separator: ",") + "\n"
        }
        let twins = counterfactualTwins(plan: plan, table: table)
        let plot = ForestPlot(title: L("Paired difference to {0}, % of the baseline mean (95% CI)", plan.variants[0].name),
                              xLabel: L("difference (% of baseline)"), rows: forest)
        let report = Report(
            title: L("WarRoom sweep — {0}", plan.scenario.name),
            subtitle: L("{0} variants × {1} seeds, common random numbers", String(plan.variants.count), String(plan.seeds.count)),
            figures: [
                Report.Figure(label: L("Replications"), value: String(plan.tasks.count),
                              note: L("{0} variants × {1} seeds", String(plan.variants.count), String(plan.seeds.count))),
                Report.Figure(label: L("Baseline"), value: plan.variants[0].name, note: L("differences are variant − baseline, seed by seed")),
            ],
            sections: [
                .init(title: L("What-if comparison"), blocks: [
                    .paragraph(L("Every variant ran on the same seeds. Because each random draw is keyed by (seed, entity, day), a variant and the baseline on one seed share every draw the variant does not change, so the seed-by-seed (paired) differences cancel most of the noise: compare the paired ± with the unpaired one, the interval the same runs would give with independent seeds. Intervals are 95%, Student's t.")),
                    .chart(title: plot.title, svg: plot.svg()),
                    .table(.init(header: ["Outcome", "Variant", "Mean ± 95% CI", "Paired difference ± 95% CI", "Unpaired ± (for comparison)"].map { L($0) }, rows: rows)),
                ]),
            ] + (delay.map { [$0.section] } ?? []) + [
                .init(title: L("Counterfactual twins"), blocks: twins),
                .init(title: L("Variants"), blocks: [
                    .table(.init(header: ["Variant", "What it changes", "Playbook", "Overrides"].map { L($0) }, rows: plan.variants.map {
                        [$0.name, $0.description, $0.applyActions ? L("on") : L("off"), $0.overrides.isEmpty ? "—" : $0.overrides.joined(separator: "; ")]
                    })),
                    .paragraph(L("Seeds: {0}. Scenario SHA-256: {1}.", plan.seeds.map(String.init).joined(separator: ", "), plan.scenarioHash)),
                ]),
            ])
        let folder = URL(fileURLWithPath: outDirectory).appendingPathComponent("\(plan.scenario.name)-sweep")
        do {
            try ReportFolder.write([
                (name: "index.html", contents: Data(HTMLReport.render(report).utf8)),
                (name: "summary.md", contents: Data(MarkdownReport.render(report).utf8)),
                (name: "metrics.json", contents: Data(metrics.rendered().utf8)),
                (name: "results.csv", contents: Data(resultsCSV.utf8)),
                (name: "summary.csv", contents: Data(summaryCSV.utf8)),
            ], to: folder)
        } catch { throw LabError("\(error)") }
        if let databasePath {
            do {
                try FileManager.default.createDirectory(at: URL(fileURLWithPath: databasePath).deletingLastPathComponent(), withIntermediateDirectories: true)
                let store = try RunStore(path: databasePath, verify: true)
                let rows = plan.tasks.map { t -> RunStore.SweepResultRow in
                    let v = plan.variants[t.variant].name, seed = plan.seeds[t.seed], key = "\(v)\u{0}\(seed)"
                    return .init(variant: v, seed: seed, digest: digests[key]!, outcomes: SweepRun.outcomes.map { ($0.key, table[key]![$0.key] ?? .nan) })
                }
                try store.recordSweep(scenario: plan.scenario.name, scenarioHash: plan.scenarioHash, baseline: plan.variants[0].name,
                                      variants: plan.variants.count, seeds: plan.seeds.count, reportPath: folder.path,
                                      metricsJSON: metrics.rendered(), results: rows, estimates: estimates)
            } catch { throw LabError("run store \(databasePath): \(error)") }
        }
        return Written(folder: folder, byVariant: byVariant, priceOfDelay: delay?.json)
    }

    /// The playbook's true effect — each run against its twin on the same seed without actions —
    /// beside what a before/after comparison inside the run would have concluded.
    static func counterfactualTwins(plan: Sweep.Plan, table: [String: [String: Double]]) -> [Report.Block] {
        guard let off = plan.variants.first(where: { !$0.applyActions }), plan.variants[0].applyActions else {
            return [.paragraph(L("No variant turns the playbook off (`playbook: off`), so the sweep has no counterfactual twins."))]
        }
        let on = plan.variants[0]
        func values(_ v: String, _ key: String) -> [Double] { plan.seeds.map { table["\(v)\u{0}\($0)"]?[key] ?? .nan } }
        let after = values(on.name, "shock_city_acquisition_cost_cny"), before = values(on.name, "shock_city_acquisition_cost_before_cny")
        let twin = values(off.name, "shock_city_acquisition_cost_cny")
        let trueEffect = Estimate(zip(after, twin).map { $0 - $1 }), naive = Estimate(zip(after, before).map { $0 - $1 })
        let base = Estimate(twin).mean, baseBefore = Estimate(before).mean
        var rows: [[String]] = []
        for o in SweepRun.outcomes where o.key != "shock_city_acquisition_cost_before_cny" {
            let e = Estimate(zip(values(on.name, o.key), values(off.name, o.key)).map { $0 - $1 })
            rows.append([L(o.label), format(e.mean, o.unit, signed: true) + " ± " + format(e.halfWidth, o.unit)])
        }
        return [
            .paragraph(L("Each {0} run has a twin: the same seed with the playbook off ({1}). Their difference is the playbook's true effect — what no field experiment can observe. On the shocked city's acquisition cost per new account after the onset: {2} ± {3} ({4} of the no-playbook cost). A before/after comparison inside the {0} runs (after the onset against before it) would have concluded {5} ± {6} ({7}), mixing the playbook's effect with the shock's.",
                         on.name, off.name, format(trueEffect.mean, "CNY", signed: true), format(trueEffect.halfWidth, "CNY"),
                         String(format: "%+.0f%%", 100 * trueEffect.mean / base), format(naive.mean, "CNY", signed: true), format(naive.halfWidth, "CNY"),
                         String(format: "%+.0f%%", 100 * naive.mean / baseBefore))),
            .table(.init(header: [L("Outcome"), L("{0} − {1}, paired ± 95% CI", on.name, off.name)], rows: rows)),
        ]
    }

    static func format(_ v: Double, _ unit: String, signed: Bool = false) -> String {
        guard v.isFinite else { return "—" }
        switch unit {
        case "share": return String(format: signed ? "%+.2f pp" : "%.2f%%", v * 100)
        case "CNY":
            // Thousands grouped: 330,046 ¥ ± 46,488 ¥.
            let whole = Int(v.rounded())
            return (signed && whole >= 0 ? "+" : "") + Format.count(whole) + " ¥"
        case "hours": return String(format: signed ? "%+.1f h" : "%.1f h", v)
        default: return String(format: signed ? "%+.1f" : "%.1f", v)
        }
    }
}
