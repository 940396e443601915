import Foundation
import Reporting
import WarRoomCore

extension SweepReport {
    /// The outcomes whose worsening is a loss from late data, with the sign of a loss.
    static let delayLosses: [(key: String, worseWhenHigher: Bool)] = [
        ("shock_city_accounts_lost", true), ("shock_city_revenue_cny", false), ("acquisition_cost_cny", true),
    ]

    /// The price of delay, when some variant delivers its data late: what each delay costs
    /// against the baseline, drawn against the measured median age of the data (log scale), and
    /// the verdict on the business case's claim that data more than 15 minutes old makes
    /// decisions fail. Nil unless the variants deliver their data differently (a sweep of the
    /// lateness alone, on one delivery, compares `late_events` and the delays in the main table).
    static func priceOfDelay(plan: Sweep.Plan, compared: [String: [Comparison]]) -> (section: Report.Section, verdict: String, json: JSONValue)? {
        let first = plan.variants[0].scenario.delivery.models
        guard plan.variants.contains(where: { $0.scenario.delivery.models != first }) else { return nil }
        let ages = compared["data_age_median_s"]!.map { max($0.estimate.mean, 0.001) / 60 }
        let order = plan.variants.indices.sorted { ages[$0] < ages[$1] }
        var series: [LineChart.Series] = [], areas: [LineChart.Area] = []
        var significant: [(variant: Int, outcome: String, text: String)] = []
        for (k, loss) in delayLosses.enumerated() {
            let cs = compared[loss.key]!
            let base = abs(cs[0].estimate.mean)
            guard base > 0, base.isFinite else { continue }
            let pct = order.map { i in (x: ages[i], y: 100 * cs[i].paired.mean / base, h: 100 * cs[i].paired.halfWidth / base) }.filter { $0.y.isFinite }
            let label = SweepRun.outcomes.first { $0.key == loss.key }.map { L($0.label) } ?? loss.key
            series.append(.init(name: label, points: pct.map { ($0.x, $0.y) }))
            series[series.count - 1].dots = true
            areas.append(.init(label: L("{0}: 95% interval", label), lower: pct.map { ($0.x, $0.y - ($0.h.isFinite ? $0.h : 0)) },
                               upper: pct.map { ($0.x, $0.y + ($0.h.isFinite ? $0.h : 0)) }, colorOf: k))
            for i in order where i != 0 {
                let p = cs[i].paired
                guard p.halfWidth.isFinite else { continue }
                let worse = loss.worseWhenHigher ? p.mean - p.halfWidth > 0 : p.mean + p.halfWidth < 0
                if worse {
                    let unit = SweepRun.outcomes.first { $0.key == loss.key }?.unit ?? ""
                    significant.append((i, loss.key, "\(label) \(format(p.mean, unit, signed: true)) ± \(format(p.halfWidth, unit))"))
                }
            }
        }
        var chart = LineChart(title: L("What a delay of D costs: paired difference to {0}, % of its mean (95% CI)", plan.variants[0].name),
                              xLabel: L("median age of the data on arrival, D (minutes, log scale)"), yLabel: L("difference (% of baseline)"), series: series)
        chart.xScale = .log
        chart.yFromZero = false
        chart.areas = areas
        chart.references = [(0, plan.variants[0].name)]
        let bound = LineChart.Marker(x: 15, label: L("15 min: the business case's bound"))
        chart.markers = [bound]

        let detection = compared["detection_delay_h"]!
        let points = order.map { (x: ages[$0], y: detection[$0].estimate.mean, h: detection[$0].estimate.halfWidth) }.filter { $0.y.isFinite }
        var detectionChart = LineChart(title: L("What a delay of D costs: first detector alert out after the true onset (mean, 95% CI)"),
                                       xLabel: L("median age of the data on arrival, D (minutes, log scale)"), yLabel: L("hours after the onset"),
                                       series: [.init(name: L("first detector alert out"), points: points.map { ($0.x, $0.y) })])
        detectionChart.series[0].dots = true
        detectionChart.xScale = .log
        detectionChart.markers = [bound]
        detectionChart.areas = [.init(label: L("95% interval"), lower: points.map { ($0.x, $0.y - ($0.h.isFinite ? $0.h : 0)) },
                                      upper: points.map { ($0.x, $0.y + ($0.h.isFinite ? $0.h : 0)) }, colorOf: 0)]

        let fifteen = 15.0
        let firstLoss = order.first { i in significant.contains { $0.variant == i } }
        let worst = order.last!
        let verdict: String
        func age(_ i: Int) -> String { Format.duration(Millis(ages[i] * 60_000)) }
        if let first = firstLoss {
            let what = significant.filter { $0.variant == first }.map(\.text).joined(separator: "; ")
            if ages[first] <= fifteen {
                verdict = L("The business case's 15-minute claim is too lax in this world: already {0} (median data age {1}) loses significantly against {2} ({3}).",
                            plan.variants[first].name, age(first), plan.variants[0].name, what)
            } else {
                verdict = L("The business case's 15-minute claim holds in this world: no delivery with data younger than 15 minutes loses significantly against {0}, and the loss becomes significant at {1} (median data age {2}: {3}).",
                            plan.variants[0].name, plan.variants[first].name, age(first), what)
            }
        } else {
            let d = detection[worst].paired
            verdict = L("The business case's 15-minute claim does not hold in this world: no delay tried, up to {0} (median data age {1}), makes the shocked city's accounts lost, its revenue or the acquisition cost significantly worse than {2} (paired 95% intervals include zero), although the first detector alert comes out {3} h later ({4}).",
                        plan.variants[worst].name, age(worst), plan.variants[0].name, String(format: "%+.1f", d.mean),
                        d.halfWidth.isFinite ? String(format: "± %.1f h", d.halfWidth) : "—")
        }
        let rows: [[String]] = order.map { i in
            let cells = ["detection_delay_h", "shock_city_accounts_lost", "shock_city_revenue_cny", "acquisition_cost_cny"].map { key -> String in
                let c = compared[key]![i]
                let unit = SweepRun.outcomes.first { $0.key == key }?.unit ?? ""
                let mean = format(c.estimate.mean, unit)
                return i == 0 ? mean : mean + " (" + format(c.paired.mean, unit, signed: true) + " ± " + format(c.paired.halfWidth, unit) + ")"
            }
            return [plan.variants[i].name, age(i)] + cells
        }
        let json = JSONValue.object([
            ("verdict", .string(verdict)),
            ("significant_from_variant", firstLoss.map { .string(plan.variants[$0].name) } ?? .null),
            ("data_age_median_seconds_by_variant", .object(order.map { (plan.variants[$0].name, .double((ages[$0] * 60 * 1000).rounded() / 1000)) })),
        ])
        let section = Report.Section(title: L("The price of delay"), blocks: [
            .paragraph(verdict),
            .paragraph(L("Each variant delivers the same world's events later (its sources' delivery models); the engine sees them in arrival order, and actions start when their alert is out. Columns: the variant's median data age on arrival, then each outcome's mean and, in brackets, its paired difference to the baseline with the 95% interval. A loss counts as significant when its paired interval excludes zero.")),
            .table(.init(header: ["Variant", "Median data age", "First detector alert out after onset", "Shocked city's accounts lost", "Shocked city's revenue", "Acquisition cost per new account"].map { L($0) }, rows: rows)),
            .chart(title: chart.title, svg: chart.svg()),
            .chart(title: detectionChart.title, svg: detectionChart.svg()),
        ])
        return (section, verdict, json)
    }
}
