import Forecasting
import Foundation
import Reporting

extension ModelEvaluation {
    /// Headline figures: the verdicts on the forecast and churn targets.
    var figures: [Report.Figure] {
        var out: [Report.Figure] = []
        for (b, what) in [(sales, "sales ¥"), (volume, "sale lines")] {
            let p = Self.primary(of: b)
            out.append(Report.Figure(label: "Forecast accuracy, \(what)", value: String(format: "%.1f%%", p.accuracy * 100),
                                     note: String(format: "target 89.6%% %@; oracle %.1f%%; 28 days ahead", p.accuracy >= Self.accuracyTarget ? "met" : "not met",
                                                  (b.oracle?.accuracy ?? .nan) * 100)))
        }
        if let c = churn, let auc = c.model.auc {
            out.append(Report.Figure(label: "Churn AUC", value: String(format: "%.3f", auc),
                                     note: String(format: "oracle %.3f (target: within 0.005 %@); ECE %.3f", c.oracle?.auc ?? .nan,
                                                  (c.oracle?.auc ?? 1) - auc <= Self.aucGap ? "met" : "not met", c.model.ece ?? .nan)))
        }
        return out
    }

    /// The report section: targets, model tables, forecast bands, accuracy by horizon, calibration, ROC.
    var section: Report.Section {
        var blocks: [Report.Block] = [
            .paragraph("The models learn only from what was observed (store × day POS sales, the planned promotion calendar, competitor signals and weekly CRM snapshots of every account). The oracle is the forecast that knows each store-day's true expected sales, and the classifier that knows each account's true daily churn hazards over the next 30 days — the best any model could do, which only a simulator can say. Rolling origins: \(originDays.count) (live days \(originDays.map(String.init).joined(separator: ", "))), each forecasting the next \(sales.horizon) days from the data before it."),
            .table(.init(header: ["Target", "Verdict"], rows: verdicts.map { [$0.met ? "✔ \($0.label)" : "✘ \($0.label)", $0.text] })),
        ]
        for (b, what, unit, values) in [(sales, "sales (CNY)", "CNY", panel.values), (volume, "sale lines", "lines", lines)] {
            blocks.append(.table(b.scoreTable(what: what)))
            let horizon = b.horizonChart(what: what, step: "days", target: Self.accuracyTarget)
            blocks.append(.chart(title: horizon.title, svg: horizon.svg()))
            let band = b.bandChart(model: Self.primary, values: values, names: storeNames, x: { Double($0 + self.firstDay) },
                                   xLabel: "live day", what: what, unit: unit, noun: "stores")
            blocks.append(.chart(title: band.title, svg: band.svg()))
        }
        let regionRows = panel.groupNames.indices.map { g -> [String] in
            [panel.groupNames[g]] + [sales, volume].flatMap { b in
                [String(format: "%.1f%%", Self.primary(of: b).accuracyByGroup[g] * 100), String(format: "%.1f%%", (b.oracle?.accuracyByGroup[g] ?? .nan) * 100)]
            }
        }
        blocks.append(.table(.init(header: ["Region", "Sales ¥: \(Self.primary)", "Sales ¥: oracle", "Lines: \(Self.primary)", "Lines: oracle"], rows: regionRows)))
        if let c = churn { blocks += churnBlocks(c) } else if let churnNote { blocks.append(.paragraph(churnNote)) }
        return .init(title: "Forecasts and churn model", blocks: blocks)
    }

    func churnBlocks(_ c: ChurnBacktest) -> [Report.Block] {
        func row(_ name: String, _ s: ChurnBacktest.Score) -> [String] {
            func f(_ v: Double?, _ d: Int = 3) -> String { v.map { String(format: "%.\(d)f", $0) } ?? "—" }
            return [name, f(s.auc), f(s.logLoss), f(s.brier, 4), f(s.ece, 4), f(s.topDecileLift, 2)]
        }
        var rows = [row("logistic (weekly refits)", c.model)]
        if let o = c.oracle { rows.append(row("oracle (true hazards)", o)) }
        for r in c.references where r.name == "oracle_without_frailty" {
            rows.append(row("oracle without the latent frailty", r.score))
        }
        rows.append(row("baseline: recency only", c.recencyOnly))
        rows.append(row("baseline: base rate", c.baseRate))
        var blocks: [Report.Block] = [
            .paragraph(String(format: "Churn: label “lost within the next %d days”; %d test snapshots on live days %@ (%.1f%% positive), each week scored by a model refitted on every snapshot whose label was already known (last refit: %d rows; %.2f s of fitting in all, Newton iterations %@ — warm starts need fewer).",
                              c.horizonDays, c.testRows, c.testDays.map(String.init).joined(separator: ", "), c.positiveRate * 100, c.trainingRows,
                              c.fitSeconds.reduce(0, +), c.iterations.map(String.init).joined(separator: ", "))),
            .table(.init(header: ["Classifier", "ROC AUC", "Log loss", "Brier", "ECE", "Top-decile lift"], rows: rows)),
        ]
        if let o = c.oracle?.auc, let r = c.references.first(where: { $0.name == "oracle_without_frailty" })?.score.auc, let m = c.model.auc {
            blocks.append(.paragraph(String(format: "Where the AUC gap comes from: each account's hazard carries a latent frailty (a constant factor no record shows). The oracle that knows everything but that factor reaches AUC %.3f; the model reaches %.3f — %@ — and the full oracle %.3f. The distance to the full oracle is the value of knowing the unobservable frailty.", r, m, m >= r ? "more, because call outcomes over the account's life reveal part of the frailty" : "less", o)))
        }
        var calibration = LineChart(title: "Calibration: predicted against observed 30-day loss rate (10 bins of equal count)",
                                    xLabel: "mean predicted probability", yLabel: "observed share lost",
                                    series: [.init(name: "logistic", points: c.model.reliability.map { (x: $0.predicted, y: $0.observed) })])
        calibration.series[0].dots = true
        if let o = c.oracle {
            calibration.series.append(.init(name: "oracle", points: o.reliability.map { (x: $0.predicted, y: $0.observed) }))
            calibration.series[1].dots = true
        }
        let top = max(calibration.series.flatMap { $0.points.map { max($0.x, $0.y) } }.max() ?? 1, 0.01)
        calibration.series.append(.init(name: "perfect calibration", points: [(0, 0), (top, top)]))
        calibration.series[calibration.series.count - 1].dashed = true
        var roc = LineChart(title: "ROC curve of the 30-day churn label", xLabel: "false-positive rate", yLabel: "true-positive rate",
                            series: [.init(name: "logistic", points: c.model.roc.map { (x: $0.fpr, y: $0.tpr) })])
        if let o = c.oracle { roc.series.append(.init(name: "oracle", points: o.roc.map { (x: $0.fpr, y: $0.tpr) })) }
        roc.series.append(.init(name: "chance", points: [(0, 0), (1, 1)]))
        roc.series[roc.series.count - 1].dashed = true
        blocks.append(.chart(title: calibration.title, svg: calibration.svg()))
        blocks.append(.chart(title: roc.title, svg: roc.svg()))
        let coefficientRows = zip(["intercept"] + c.featureNames, zip(c.lastFit.coefficients, c.lastFit.standardErrors)).map {
            [$0, String(format: "%+.4f", $1.0), String(format: "%.4f", $1.1), $1.1 > 0 ? String(format: "%+.1f", $1.0 / $1.1) : "—"]
        }
        blocks.append(.table(.init(header: ["Feature (last refit)", "Coefficient", "Standard error", "z"], rows: coefficientRows)))
        return blocks
    }
}
