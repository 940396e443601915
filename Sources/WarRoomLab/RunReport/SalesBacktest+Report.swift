import Forecasting
import Foundation
import Reporting

extension SalesBacktest {
    /// The models' scores (and the oracle's, when there is one) as a report table.
    func scoreTable(what: String) -> Report.Table {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func f3(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "—" }
        func row(_ s: Score, fitted: Bool) -> [String] {
            [s.name, pct(s.accuracy), pct(s.wape), f3(s.mase), String(format: "%+.2f%%", s.bias * 100),
             [s.pinball10, s.pinball50, s.pinball90].map(f3).joined(separator: " / "), pct(s.coverage80),
             fitted ? String(format: "%.2f s", s.fitSeconds) : "—"]
        }
        var rows = scores.map { row($0, fitted: true) }
        if let oracle { rows.append(row(oracle, fitted: false)) }
        for x in references { rows.append(row(x.score, fitted: false)) }
        return .init(header: [L("Model — {0}", what)] + ["Accuracy", "WAPE", "MASE", "Bias", "Pinball P10/P50/P90 (share of mean)", "P10–P90 coverage", "Fit + forecast"].map { L($0) },
                     rows: rows)
    }

    /// Accuracy by steps ahead, one line per model (and the oracle), with the target marked.
    func horizonChart(what: String, step: String, target: Double) -> LineChart {
        var series = scores.map { s in LineChart.Series(name: s.name, points: s.accuracyByHorizon.enumerated().map { (x: Double($0.offset + 1), y: $0.element * 100) }) }
        if let oracle { series.append(.init(name: L("oracle"), points: oracle.accuracyByHorizon.enumerated().map { (x: Double($0.offset + 1), y: $0.element * 100) })) }
        var chart = LineChart(title: L("Forecast accuracy by horizon — {0}", what), xLabel: L("{0} ahead", step), yLabel: L("accuracy = 1 − WAPE (%)"), series: series)
        chart.yFromZero = false
        chart.references = [(y: target * 100, label: L("{0} target", String(format: "%.1f%%", target * 100)))]
        return chart
    }

    /// One model's forecast from the last origin (`unit` empty when `what` names it already) against
    /// the actuals, with the P10–P90 band shaded: small multiples, one chart for each of the three
    /// largest series, so that no two bands lie over each other.
    func bandCharts(model: String, values: [[Double]], names: [String], x: @escaping (Int) -> Double, xLabel: String,
                    what: String, unit: String, xTickLabel: (@Sendable (Double) -> String)? = nil) -> [LineChart] {
        let k = origins.count - 1
        let origin = origins[k]
        guard let m = scores.firstIndex(where: { $0.name == model }) else { return [] }
        let f = forecasts[m][k]
        let lookback = min(origin, horizon)
        func recent(_ s: Int) -> Double { values[s][(origin - lookback)..<origin].reduce(0) { $0 + ($1.isFinite ? $1 : 0) } }
        return values.indices.sorted { recent($0) > recent($1) }.prefix(3).map { s in
            let actual = ((origin - min(origin, max(7, 3 * horizon / 4)))..<(origin + horizon)).filter { values[s][$0].isFinite }.map { (x: x($0), y: values[s][$0]) }
            var forecast = LineChart.Series(name: L("forecast"), points: (0..<horizon).map { (x: x(origin + $0), y: f.mean[s][$0]) })
            forecast.dashed = true
            forecast.colorIndex = 0
            var chart = LineChart(title: L("{0} forecast (dashed, P10–P90 shaded) vs actual — {1}, {2}", model, what, names[s]),
                                  xLabel: xLabel, yLabel: unit.isEmpty ? what : "\(what) (\(unit))", series: [.init(name: names[s], points: actual), forecast])
            chart.areas = [.init(label: "P10–P90", lower: (0..<horizon).map { (x: x(origin + $0), y: f.p10[s][$0]) },
                                 upper: (0..<horizon).map { (x: x(origin + $0), y: f.p90[s][$0]) }, colorOf: 0)]
            chart.height = 240
            chart.xTickLabel = xTickLabel
            chart.markers = [.init(x: x(origin), label: L("forecast origin"))]
            chart.yFromZero = false
            return chart
        }
    }
}
