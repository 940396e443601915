import Forecasting
import Foundation
import Reporting
import WarRoomCore

/// `warroom backtest --data FILE.csv`: the sales models' rolling-origin backtest on a user's own
/// panel (long format: `unique_id`, `ds`, `y`, optional covariates). There is no oracle for real
/// data, and the report says so.
public enum DataBacktest {
    /// What to backtest and how.
    public struct Options {
        /// The panel file (CSV, long format).
        public var path: String
        /// Daily, weekly or monthly steps.
        public var frequency: PanelLoader.Frequency
        /// Seasonal period (default: the frequency's).
        public var season: Int?
        /// Steps ahead (default: 28 days, 13 weeks, 12 months).
        public var horizon: Int?
        /// Forecast origins.
        public var origins: Int
        /// Steps between origins (default: half the horizon).
        public var step: Int?
        /// What to do with dates missing inside a series.
        public var gaps: PanelLoader.Gaps
        /// Accuracy the verdict compares the best model with.
        public var targetAccuracy: Double
        /// Write a report folder under this directory.
        public var outDirectory: String?
        /// Language of the report folder's text and charts.
        public var language: Language
        /// The most memory the panel's grid may take (`--max-memory`).
        public var maxMemory = PanelLoader.defaultMaxBytes
        /// Write the cross-validation frame here (`--cv-out`): `unique_id, ds, cutoff, y` and one
        /// column per model, as statsforecast's `cross_validation` returns it.
        public var cvOut: String?

        /// Options for a file; what is not given has its default.
        public init(path: String, frequency: PanelLoader.Frequency = .daily, season: Int? = nil, horizon: Int? = nil, origins: Int = 3,
                    step: Int? = nil, gaps: PanelLoader.Gaps = .refuse, targetAccuracy: Double = 0.896, outDirectory: String? = nil,
                    language: Language = .en) {
            self.path = path
            self.frequency = frequency
            self.season = season
            self.horizon = horizon
            self.origins = origins
            self.step = step
            self.gaps = gaps
            self.targetAccuracy = targetAccuracy
            self.outDirectory = outDirectory
            self.language = language
        }
    }

    /// One model's accuracy on the backtest.
    public struct ModelAccuracy: Sendable {
        /// The model's name (`seasonal_naive`, `ets`, `regression`, `glm`).
        public var model: String
        /// 1 − WAPE over all series, origins and steps (nil when undefined).
        public var accuracy: Double?
    }

    /// What a backtest on a panel found.
    public struct Result: Sendable {
        /// Series in the panel.
        public var series: Int
        /// Time steps of the panel.
        public var steps: Int
        /// Each model's accuracy, in the order they were run (combinations left out).
        public var models: [ModelAccuracy]
        /// The best model's name and accuracy.
        public var bestModel: String, accuracy: Double?
        /// The verdict line against the accuracy target.
        public var verdict: String
        /// What the panel loader did to the data (gaps filled, rows dropped).
        public var notes: [String]
        /// Seconds taken, rounded to the millisecond.
        public var wallSeconds: Double?
        /// The report folder, when one was written.
        public var reportPath: String?
        /// The document written to the report's metrics.json.
        var document: JSONValue

        /// The result as JSON (`warroom backtest --data … --json`): the report's metrics.json
        /// and, when written, the report folder's path.
        public var json: JSONValue {
            guard let reportPath, case .object(let fields) = document else { return document }
            return .object(fields + [("report", .string(reportPath))])
        }
    }

    /// The default horizon of a frequency.
    static func defaultHorizon(_ f: PanelLoader.Frequency) -> Int {
        switch f { case .daily: 28; case .weekly: 13; case .monthly: 12 }
    }

    /// Loads a panel file or fails with the input error's message (exit status 65).
    static func loadPanel(path: String, frequency: PanelLoader.Frequency, season: Int?, gaps: PanelLoader.Gaps, minimumLength: Int,
                          maxBytes: Int) throws -> PanelLoader.Loaded {
        do {
            return try PanelLoader(frequency: frequency, season: season, gaps: gaps, minimumLength: minimumLength, maxBytes: maxBytes).load(path: path)
        } catch let error as InputError {
            throw LabError(error)
        }
    }

    /// Runs the backtest (and writes the report folder when asked).
    public static func run(_ o: Options) throws -> Result {
        let wall = Stopwatch()
        let frequency = o.frequency
        let horizon = o.horizon ?? defaultHorizon(frequency)
        let season = o.season ?? frequency.defaultSeason
        guard (1...1000).contains(horizon) else { throw LabError("--horizon must be between 1 and 1000", exitCode: LabError.invalidInput) }
        guard (1...1000).contains(season) else { throw LabError("--season must be between 1 and 1000", exitCode: LabError.invalidInput) }
        guard (1...100).contains(o.origins) else { throw LabError("--origins must be between 1 and 100", exitCode: LabError.invalidInput) }
        guard (0.0..<1.0).contains(o.targetAccuracy) else { throw LabError("--target-accuracy must be in [0, 1)", exitCode: LabError.invalidInput) }
        let step = o.step ?? max(1, horizon / 2)
        guard step >= 1 else { throw LabError("--step must be at least 1", exitCode: LabError.invalidInput) }
        // A series needs two seasons (and a level window) before the first origin and its horizons after.
        let history = SalesBacktest.historyNeeded(season: season, horizon: horizon)
        let minimumLength = history + (o.origins - 1) * step + horizon
        let loaded = try loadPanel(path: o.path, frequency: frequency, season: o.season, gaps: o.gaps, minimumLength: minimumLength,
                                maxBytes: o.maxMemory)
        let panel = loaded.panel
        let origins = (0..<o.origins).map { loaded.end - horizon - (o.origins - 1 - $0) * step }
        guard let first = origins.first, first >= history else {
            throw LabError("the panel has \(loaded.end) steps: too short for \(o.origins) origins \(step) apart with a \(horizon)-step horizon (needs \(minimumLength))",
                           exitCode: LabError.invalidInput)
        }
        let models: [any SalesForecaster] = [SeasonalNaiveForecaster(), ETSForecaster(), GlobalForecaster(.regression), GlobalForecaster(.glm)]
        let backtest: SalesBacktest
        do {
            backtest = try SalesBacktest.run(panel: panel, models: models, origins: origins, horizon: horizon,
                                             combinations: [(name: "ets+glm", members: ["ets", "glm"])])
        } catch {
            throw LabError("backtest: \(error)")
        }
        guard backtest.scores.contains(where: { $0.accuracy.isFinite }) else {
            throw LabError("\(o.path): the backtest windows hold only zeros, so WAPE (and accuracy) is undefined", exitCode: LabError.invalidInput)
        }
        let best = backtest.scores.filter { $0.accuracy.isFinite }.max { $0.accuracy < $1.accuracy }!
        let bestIndex = backtest.scores.firstIndex { $0.name == best.name }!
        let perSeries = seriesScores(backtest, model: bestIndex, panel: panel)
        let met = best.accuracy >= o.targetAccuracy
        let verdict = String(format: "forecast accuracy %.1f%% (%@) — target %.1f%% %@; no oracle for real data", best.accuracy * 100, best.name,
                             o.targetAccuracy * 100, met ? "met" : "not met")
        let seconds = wall.seconds
        let json = document(o, loaded: loaded, backtest: backtest, best: best, perSeries: perSeries, horizon: horizon, step: step,
                            verdict: verdict, seconds: seconds)
        var result = Result(series: panel.count, steps: loaded.end,
                            models: backtest.scores.prefix(models.count).map { ModelAccuracy(model: $0.name, accuracy: Figure.finite($0.accuracy)) },
                            bestModel: best.name, accuracy: Figure.finite(best.accuracy), verdict: verdict, notes: loaded.notes,
                            wallSeconds: Figure.finite(seconds, scale: 1000), document: json)
        if let path = o.cvOut { try AtomicFile.write(Data(crossValidationFrame(backtest, loaded: loaded).utf8), to: path) }
        if let out = o.outDirectory {
            let stem = URL(fileURLWithPath: o.path).deletingPathExtension().lastPathComponent
            let folder = URL(fileURLWithPath: out).appendingPathComponent(SafeName.component(stem) + "-backtest")
            let language = o.language
            let report = Language.$current.withValue(language) {
                reportDocument(o, loaded: loaded, backtest: backtest, best: best, perSeries: perSeries, horizon: horizon)
            }
            var csv = "unique_id,accuracy,wape,mase\n"
            for r in perSeries { csv += "\(CSVWriter.field(r.id)),\(CSVWriter.number(r.accuracy)),\(CSVWriter.number(r.wape)),\(CSVWriter.number(r.mase))\n" }
            do {
                try ReportFolder.write(Language.$current.withValue(language) { [
                    (name: "index.html", contents: Data(HTMLReport.render(report).utf8)),
                    (name: "summary.md", contents: Data(MarkdownReport.render(report).utf8)),
                ] } + [
                    (name: "metrics.json", contents: Data(JSONDocument.make("backtest_data", json).rendered().utf8)),
                    (name: "series_metrics.csv", contents: Data(csv.utf8)),
                ], to: folder)
            } catch { throw LabError("\(error)") }
            result.reportPath = folder.path
        }
        return result
    }

    /// The backtest's forecasts as statsforecast's cross-validation frame: one row per series,
    /// origin and step whose actual is known (`cutoff` is the last date each origin trained on),
    /// the models' mean forecasts in the order they were scored; rows by series, cutoff, date.
    static func crossValidationFrame(_ b: SalesBacktest, loaded: PanelLoader.Loaded) -> String {
        let panel = loaded.panel
        var csv = "unique_id,ds,cutoff,y," + b.scores.map { CSVWriter.field($0.name) }.joined(separator: ",") + "\n"
        let bySeries = panel.ids.indices.sorted { panel.ids[$0].utf8.lexicographicallyPrecedes(panel.ids[$1].utf8) }
        for s in bySeries {
            let id = CSVWriter.field(panel.ids[s])
            for (k, o) in b.origins.enumerated() {
                for h in 0..<b.horizon where panel.values[s][o + h].isFinite {
                    csv += "\(id),\(loaded.dates[o + h]),\(loaded.dates[o - 1]),\(CSVWriter.number(panel.values[s][o + h]))"
                    for m in b.forecasts.indices { csv += "," + CSVWriter.number(b.forecasts[m][k].mean[s][h]) }
                    csv += "\n"
                }
            }
        }
        return csv
    }

    /// Accuracy, WAPE and MASE of one model for every series, over all origins.
    static func seriesScores(_ b: SalesBacktest, model: Int, panel: SalesPanel) -> [(id: String, accuracy: Double, wape: Double, mase: Double)] {
        let m = max(1, panel.season)
        return panel.ids.indices.map { s in
            var err = 0.0, actual = 0.0, n = 0, scaled = 0.0, scaledN = 0
            for (k, o) in b.origins.enumerated() {
                let y = panel.values[s]
                var e = 0.0, count = 0
                for h in 0..<b.horizon where y[o + h].isFinite {
                    e += abs(y[o + h] - b.forecasts[model][k].mean[s][h]); actual += abs(y[o + h]); count += 1
                }
                err += e; n += count
                var scale = 0.0, sn = 0
                for t in m..<o where y[t].isFinite && y[t - m].isFinite { scale += abs(y[t] - y[t - m]); sn += 1 }
                if count > 0 && sn > 0 && scale > 0 { scaled += (e / Double(count)) / (scale / Double(sn)); scaledN += 1 }
            }
            let wape = actual > 0 ? err / actual : .nan
            return (panel.ids[s], 1 - wape, wape, scaledN > 0 ? scaled / Double(scaledN) : .nan)
        }
    }

    static func document(_ o: Options, loaded: PanelLoader.Loaded, backtest b: SalesBacktest, best: SalesBacktest.Score,
                         perSeries: [(id: String, accuracy: Double, wape: Double, mase: Double)], horizon: Int, step: Int, verdict: String,
                         seconds: Double) -> JSONValue {
        func r(_ v: Double?, _ digits: Double = 1e6) -> JSONValue {
            guard let v, v.isFinite else { return .null }
            return .double((v * digits).rounded() / digits)
        }
        func score(_ s: SalesBacktest.Score) -> JSONValue {
            .object([("accuracy", r(s.accuracy)), ("wape", r(s.wape)), ("mase", r(s.mase)), ("bias", r(s.bias)),
                     ("pinball_p10", r(s.pinball10)), ("pinball_p50", r(s.pinball50)), ("pinball_p90", r(s.pinball90)),
                     ("coverage_p10_p90", r(s.coverage80)), ("accuracy_by_horizon", .array(s.accuracyByHorizon.map { r($0) })),
                     ("fit_seconds", r(s.fitSeconds, 1000))])
        }
        let p = loaded.panel
        return .object([
            ("data", .object([
                ("file", .string(o.path)), ("rows", .int(Int64(loaded.rows))), ("series", .int(Int64(p.count))),
                ("steps", .int(Int64(loaded.end))), ("frequency", .string(o.frequency.rawValue)), ("season_periods", .int(Int64(p.season))),
                ("first_date", .string(loaded.dates.first?.description ?? "")),
                ("last_date", .string(loaded.dates[max(0, loaded.end - 1)].description)),
                ("covariates", .array(p.future.map { .string($0.name) })),
                ("notes", .array(loaded.notes.map { .string($0) })),
            ])),
            ("backtest", .object([
                ("horizon_periods", .int(Int64(horizon))), ("step_periods", .int(Int64(step))),
                ("origins", .array(b.origins.map { .string(loaded.dates[$0].description) })),
            ])),
            ("by_model", .object(b.scores.map { ($0.name, score($0)) })),
            ("best_model", .string(best.name)),
            ("accuracy", r(best.accuracy)),
            ("target_accuracy", r(o.targetAccuracy)),
            ("target_met", .bool(best.accuracy >= o.targetAccuracy)),
            ("verdict", .string(verdict)),
            ("oracle", .null),
            ("oracle_note", .string("Real data has no oracle: nobody knows its true expected values. Compare the models with each other and with the seasonal naive.")),
            ("per_series", .array(perSeries.map { .object([("unique_id", .string($0.id)), ("accuracy", r($0.accuracy)), ("wape", r($0.wape)), ("mase", r($0.mase))]) })),
            ("wall_seconds", r(seconds, 1000)),
        ])
    }

    static func reportDocument(_ o: Options, loaded: PanelLoader.Loaded, backtest b: SalesBacktest, best: SalesBacktest.Score,
                               perSeries: [(id: String, accuracy: Double, wape: Double, mase: Double)], horizon: Int) -> Report {
        let p = loaded.panel
        let met = best.accuracy >= o.targetAccuracy
        let stepName = L(["D": "days", "W": "weeks", "M": "months"][o.frequency.rawValue] ?? "steps")
        let allSeries = L("all series")
        let horizonChart = b.horizonChart(what: allSeries, step: stepName, target: o.targetAccuracy)
        let dates = loaded.dates
        let bands = b.bandCharts(model: best.name, values: p.values, names: p.ids, x: { Double($0) }, xLabel: L("date"),
                                 what: "y", unit: L("as given"), xTickLabel: { step in
                                     let i = Int(step.rounded(.down))
                                     return dates.indices.contains(i) ? Format.date(dates[i].description) : ""
                                 })
        let worst = perSeries.filter { $0.accuracy.isFinite }.sorted { $0.accuracy < $1.accuracy }.prefix(10)
        let accuracies = perSeries.map(\.accuracy).filter(\.isFinite).sorted()
        func quantile(_ q: Double) -> String {
            accuracies.isEmpty ? "—" : String(format: "%.1f%%", accuracies[min(accuracies.count - 1, Int(q * Double(accuracies.count - 1)))] * 100)
        }
        let verdict = met ? L("met") : L("not met")
        let pct = { (v: Double) in String(format: "%.1f%%", v * 100) }
        return Report(
            title: L("WarRoom backtest — {0}", URL(fileURLWithPath: o.path).lastPathComponent),
            subtitle: L("{0} series, {1} {2}, {3} origins, {4} {2} ahead", String(p.count), String(loaded.end), stepName, String(b.origins.count), String(horizon)),
            figures: [
                Report.Figure(label: L("Forecast accuracy"), value: pct(best.accuracy),
                              note: L("{0}; target {1} {2}", best.name, pct(o.targetAccuracy), verdict)),
                Report.Figure(label: L("Series"), value: String(p.count), note: L("{0} rows read", String(loaded.rows))),
                Report.Figure(label: L("Oracle"), value: L("none"), note: L("real data has no known expected values")),
            ],
            sections: [
                .init(title: L("Verdict"), blocks: [
                    .paragraph(L("Forecast accuracy (1 − WAPE over all series, origins and steps) of the best model, {0}: {1} — target {2} {3}. There is no oracle for real data: nobody knows its true expected values, so the models are compared with each other and with the seasonal naive.",
                                 best.name, pct(best.accuracy), pct(o.targetAccuracy), verdict)),
                    .table(b.scoreTable(what: allSeries)),
                    .chart(title: horizonChart.title, svg: horizonChart.svg()),
                ] + bands.map { .chart(title: $0.title, svg: $0.svg()) }),
                .init(title: L("Series"), blocks: [
                    .paragraph(L("Accuracy of {0} by series: median {1}, 10th percentile {2}, 90th percentile {3}. The ten least accurate series (all of them in series_metrics.csv):",
                                 best.name, quantile(0.5), quantile(0.1), quantile(0.9))),
                    .table(.init(header: [L("Series"), L("Accuracy"), "WAPE", "MASE"], rows: worst.map {
                        [$0.id, String(format: "%.1f%%", $0.accuracy * 100), String(format: "%.3f", $0.wape), $0.mase.isFinite ? String(format: "%.3f", $0.mase) : "—"]
                    })),
                ]),
                .init(title: L("Data"), blocks: [
                    .table(.init(header: [L("Field"), L("Value")], rows: [
                        [L("File"), o.path], [L("Frequency"), o.frequency.rawValue], [L("Season"), String(p.season)],
                        [L("Dates"), "\(Format.date(loaded.dates.first?.description ?? "")) … \(Format.date(loaded.dates[max(0, loaded.end - 1)].description))"],
                        [L("Covariates"), p.future.isEmpty ? L("none") : p.future.map(\.name).joined(separator: ", ")],
                        [L("Origins"), b.origins.map { Format.date(loaded.dates[$0].description) }.joined(separator: ", ")],
                    ] + loaded.notes.map { [L("Note"), $0] })),
                ]),
            ])
    }
}
