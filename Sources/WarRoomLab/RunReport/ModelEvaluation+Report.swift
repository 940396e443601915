import Forecasting
import Foundation
import Reporting

extension ModelEvaluation {
    /// Headline figures: the verdicts on the forecast and churn targets.
    var figures: [Report.Figure] {
        var out: [Report.Figure] = []
        for (b, what) in [(sales, L("sales ¥")), (volume, L("sale lines"))] {
            let p = Self.primary(of: b)
            out.append(Report.Figure(label: L("Forecast accuracy, {0}", what), value: String(format: "%.1f%%", p.accuracy * 100),
                                     note: L("target 89.6% {0}; oracle {1}; 28 days ahead", p.accuracy >= Self.accuracyTarget ? L("met") : L("not met"),
                                             String(format: "%.1f%%", (b.oracle?.accuracy ?? .nan) * 100))))
        }
        if let c = churn, let auc = c.model.auc {
            out.append(Report.Figure(label: L("Churn AUC"), value: String(format: "%.3f", auc),
                                     note: L("oracle {0} (target: within 0.005 {1}); ECE {2}", String(format: "%.3f", c.oracle?.auc ?? .nan),
                                             (c.oracle?.auc ?? 1) - auc <= Self.aucGap ? L("met") : L("not met"), String(format: "%.3f", c.model.ece ?? .nan))))
        }
        return out
    }

    /// The report section: targets, model tables, forecast bands, accuracy by horizon, calibration, ROC.
    var section: Report.Section {
        var blocks: [Report.Block] = [
            .paragraph(L("The models learn only from what was observed (store × day POS sales, the planned promotion calendar, competitor signals and weekly CRM snapshots of every account). The oracle is the forecast that knows each store-day's true expected sales, and the classifier that knows each account's true daily churn hazards over the next 30 days — the best any model could do, which only a simulator can say. Rolling origins: {0} (live days {1}), each forecasting the next {2} days from the data before it.",
                         String(originDays.count), originDays.map(String.init).joined(separator: ", "), String(sales.horizon))),
            .table(.init(header: [L("Target"), L("Verdict")], rows: verdicts.map { [$0.met ? "✔ \($0.label)" : "✘ \($0.label)", $0.text] })),
        ]
        for (b, what, values) in [(sales, L("sales (CNY)"), panel.values), (volume, L("sale lines"), lines)] {
            blocks.append(.table(b.scoreTable(what: what)))
            let horizon = b.horizonChart(what: what, step: L("days"), target: Self.accuracyTarget)
            blocks.append(.chart(title: horizon.title, svg: horizon.svg()))
            for band in b.bandCharts(model: Self.primary, values: values, names: storeNames, x: { Double($0 + self.firstDay) },
                                     xLabel: L("date"), what: what, unit: "", xTickLabel: Format.dayTick) {
                blocks.append(.chart(title: band.title, svg: band.svg()))
            }
        }
        let regionRows = panel.groupNames.indices.map { g -> [String] in
            [panel.groupNames[g]] + [sales, volume].flatMap { b in
                [String(format: "%.1f%%", Self.primary(of: b).accuracyByGroup[g] * 100), String(format: "%.1f%%", (b.oracle?.accuracyByGroup[g] ?? .nan) * 100)]
            }
        }
        blocks.append(.table(.init(header: [L("Region"), L("Sales ¥: {0}", Self.primary), L("Sales ¥: oracle"), L("Lines: {0}", Self.primary),
                                            L("Lines: oracle")], rows: regionRows)))
        if let c = churn { blocks += churnBlocks(c) } else if churnNote != nil {
            blocks.append(.paragraph(L("The live window ({0} days) is too short for a 30-day churn label; no churn backtest.", String(liveDays))))
        }
        return .init(title: L("Forecasts and churn model"), blocks: blocks)
    }

    func churnBlocks(_ c: ChurnBacktest) -> [Report.Block] {
        func row(_ name: String, _ s: ChurnBacktest.Score) -> [String] {
            func f(_ v: Double?, _ d: Int = 3) -> String { v.map { String(format: "%.\(d)f", $0) } ?? "—" }
            return [name, f(s.auc), f(s.logLoss), f(s.brier, 4), f(s.ece, 4), f(s.topDecileLift, 2)]
        }
        var rows = [row(L("logistic (weekly refits)"), c.model)]
        if let o = c.oracle { rows.append(row(L("oracle (true hazards)"), o)) }
        for r in c.references where r.name == "oracle_without_frailty" {
            rows.append(row(L("oracle without the latent frailty"), r.score))
        }
        rows.append(row(L("baseline: recency only"), c.recencyOnly))
        rows.append(row(L("baseline: base rate"), c.baseRate))
        var blocks: [Report.Block] = [
            .paragraph(L("Churn: label “lost within the next {0} days”; {1} test snapshots on live days {2} ({3} positive), each week scored by a model refitted on every snapshot whose label was already known (last refit: {4} rows; {5} s of fitting in all, Newton iterations {6} — warm starts need fewer).",
                         String(c.horizonDays), String(c.testRows), c.testDays.map(String.init).joined(separator: ", "),
                         String(format: "%.1f%%", c.positiveRate * 100), String(c.trainingRows),
                         String(format: "%.2f", c.fitSeconds.reduce(0, +)), c.iterations.map(String.init).joined(separator: ", "))),
            .table(.init(header: ["Classifier", "ROC AUC", "Log loss", "Brier", "ECE", "Top-decile lift"].map { L($0) }, rows: rows)),
        ]
        if let o = c.oracle?.auc, let r = c.references.first(where: { $0.name == "oracle_without_frailty" })?.score.auc, let m = c.model.auc {
            blocks.append(.paragraph(L(m >= r ? "Where the AUC gap comes from: each account's hazard carries a latent frailty (a constant factor no record shows). The oracle that knows everything but that factor reaches AUC {0}; the model reaches {1} — more, because call outcomes over the account's life reveal part of the frailty — and the full oracle {2}. The distance to the full oracle is the value of knowing the unobservable frailty."
                                          : "Where the AUC gap comes from: each account's hazard carries a latent frailty (a constant factor no record shows). The oracle that knows everything but that factor reaches AUC {0}; the model reaches {1} — less — and the full oracle {2}. The distance to the full oracle is the value of knowing the unobservable frailty.",
                                       String(format: "%.3f", r), String(format: "%.3f", m), String(format: "%.3f", o))))
        }
        var calibration = LineChart(title: L("Calibration: predicted against observed 30-day loss rate (10 bins of equal count)"),
                                    xLabel: L("mean predicted probability"), yLabel: L("observed share lost"),
                                    series: [.init(name: L("logistic"), points: c.model.reliability.map { (x: $0.predicted, y: $0.observed) })])
        calibration.series[0].dots = true
        if let o = c.oracle {
            calibration.series.append(.init(name: L("oracle"), points: o.reliability.map { (x: $0.predicted, y: $0.observed) }))
            calibration.series[1].dots = true
        }
        let top = max(calibration.series.flatMap { $0.points.map { max($0.x, $0.y) } }.max() ?? 1, 0.01)
        calibration.series.append(.init(name: L("perfect calibration"), points: [(0, 0), (top, top)]))
        calibration.series[calibration.series.count - 1].dashed = true
        var roc = LineChart(title: L("ROC curve of the 30-day churn label"), xLabel: L("false-positive rate"), yLabel: L("true-positive rate"),
                            series: [.init(name: L("logistic"), points: c.model.roc.map { (x: $0.fpr, y: $0.tpr) })])
        if let o = c.oracle { roc.series.append(.init(name: L("oracle"), points: o.roc.map { (x: $0.fpr, y: $0.tpr) })) }
        roc.series.append(.init(name: L("chance"), points: [(0, 0), (1, 1)]))
        roc.series[roc.series.count - 1].dashed = true
        blocks.append(.chart(title: calibration.title, svg: calibration.svg()))
        blocks.append(.chart(title: roc.title, svg: roc.svg()))
        // Feature names are the model's identifiers; in Chinese each gets its meaning beside it.
        let features = c.featureNames.map { name in
            name.hasPrefix("region_") ? L("region_{0}", String(name.dropFirst("region_".count))) : L(name)
        }
        let coefficientRows = zip([L("intercept")] + features, zip(c.lastFit.coefficients, c.lastFit.standardErrors)).map {
            [$0, String(format: "%+.4f", $1.0), String(format: "%.4f", $1.1), $1.1 > 0 ? String(format: "%+.1f", $1.0 / $1.1) : "—"]
        }
        blocks.append(.table(.init(header: [L("Feature (last refit)"), L("Coefficient"), L("Standard error"), "z"], rows: coefficientRows)))
        return blocks
    }
}
