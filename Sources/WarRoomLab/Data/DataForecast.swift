import Forecasting
import Foundation
import Reporting
import WarRoomCore

/// `warroom forecast --data FILE.csv`: forecasts every series of a user's panel `horizon` steps
/// past its last observation and writes them in the same long format (`unique_id`, `ds`, `model`,
/// `p10`, `p50`, `p90`).
public enum DataForecast {
    /// What to forecast.
    public struct Options {
        /// The panel file (CSV, long format).
        public var path: String
        /// The forecasts' file (CSV).
        public var outPath: String
        /// Steps ahead.
        public var horizon: Int
        /// The model, or `auto`.
        public var model = ForecastModelChoice.auto
        /// Daily, weekly or monthly steps.
        public var frequency = PanelLoader.Frequency.daily
        /// Seasonal period (default: the frequency's).
        public var season: Int?
        /// What to do with dates missing inside a series.
        public var gaps = PanelLoader.Gaps.refuse
        /// The most memory the panel's grid may take (`--max-memory`).
        public var maxMemory = PanelLoader.defaultMaxBytes
        /// Creates options.
        public init(path: String, outPath: String, horizon: Int) {
            self.path = path
            self.outPath = outPath
            self.horizon = horizon
        }
    }

    /// What was forecast.
    public struct Result: Sendable {
        /// The panel file read.
        public var file: String
        /// The forecasts' file written.
        public var out: String
        /// Series forecast.
        public var series: Int
        /// Steps ahead.
        public var horizon: Int
        /// The first date forecast (ISO 8601).
        public var firstForecastDate: String
        /// The model used.
        public var model: ForecastModelChoice
        /// Why that model: `--model`, or the backtest that chose it.
        public var chosenBy: String
        /// With `auto`: each candidate's accuracy on the last horizon, rounded to six decimals.
        public var backtestAccuracy: [(model: String, accuracy: Double)]?
        /// What the panel loader and the model choice had to say.
        public var notes: [String]
        /// Seconds taken, rounded to the millisecond.
        public var wallSeconds: Double

        /// The summary as JSON (`warroom forecast --json`).
        public var json: JSONValue {
            .object([
                ("file", .string(file)), ("out", .string(out)), ("series", .count(series)),
                ("horizon", .count(horizon)), ("first_forecast_date", .string(firstForecastDate)),
                ("model", .string(model.rawValue)), ("chosen_by", .string(chosenBy)),
                ("backtest_accuracy", backtestAccuracy.map { .object($0.map { ($0.model, .double($0.accuracy)) }) } ?? .null),
                ("notes", .array(notes.map { .string($0) })),
                ("wall_seconds", .double(wallSeconds)),
            ])
        }
    }

    /// Forecasts and writes the file.
    public static func run(_ o: Options) throws -> Result {
        let wall = Stopwatch()
        guard (1...1000).contains(o.horizon) else { throw LabError("--horizon must be between 1 and 1000", exitCode: LabError.invalidInput) }
        let frequency = o.frequency
        let season = o.season ?? frequency.defaultSeason
        let history = SalesBacktest.historyNeeded(season: season, horizon: o.horizon)
        // `auto` backtests the last horizon, so it needs one more horizon of data.
        let minimumLength = history + (o.model == .auto ? o.horizon : 0)
        var loaded = try DataBacktest.loadPanel(path: o.path, frequency: frequency, season: o.season, gaps: o.gaps, minimumLength: minimumLength,
                                                  maxBytes: o.maxMemory)
        let end = loaded.end
        // The global models need every covariate for every forecast step; without them `auto`
        // chooses between the models that use none, and an explicit global model is refused.
        var candidates: [ForecastModelChoice] = [.seasonalNaive, .ets, .regression, .glm]
        var notes = loaded.notes
        let covariatesKnown = loaded.panel.future.allSatisfy { c in
            loaded.panel.ids.indices.allSatisfy { s in (0..<o.horizon).allSatisfy { end + $0 < loaded.dates.count && c.values[s][end + $0].isFinite } }
        }
        if !covariatesKnown && o.model == .auto {
            candidates = [.seasonalNaive, .ets]
            notes.append("covariates have no values for the forecast steps: auto chose among seasonal_naive and ets only")
        }
        for c in loaded.panel.future where !covariatesKnown && o.model.usesCovariates {
            for s in loaded.panel.ids.indices {
                for h in 0..<o.horizon where end + h >= loaded.dates.count || !c.values[s][end + h].isFinite {
                    let date = end + h < loaded.dates.count ? loaded.dates[end + h].description : "step \(h + 1) after \(loaded.dates[end - 1])"
                    throw LabError("\(o.path): series \(loaded.panel.ids[s]): covariate \(c.name) has no value for \(date); add rows with an empty y and the planned \(c.name) for the \(o.horizon) forecast steps",
                                   exitCode: LabError.invalidInput)
                }
            }
        }
        loaded = loaded.extended(to: end + o.horizon, frequency: frequency)
        var chosen = o.model
        var backtestAccuracy: [(model: String, accuracy: Double)]?
        if o.model == .auto {
            let b: SalesBacktest
            do {
                b = try SalesBacktest.run(panel: loaded.panel, models: candidates.compactMap(\.forecaster), origins: [end - o.horizon], horizon: o.horizon)
            } catch {
                throw LabError("choosing the model: \(error)")
            }
            // The scores come in the candidates' order.
            chosen = candidates[b.scores.indices.max { b.scores[$0].accuracy < b.scores[$1].accuracy }!]
            backtestAccuracy = b.scores.map { ($0.name, Figure.rounded($0.accuracy)) }
        }
        // `auto` has become a named model by now.
        guard let forecaster = chosen.forecaster else { throw LabError("forecast: no model chosen") }
        let forecast: SalesForecast
        do { forecast = try forecaster.forecast(loaded.panel, origin: end, horizon: o.horizon) } catch {
            throw LabError("forecast: \(error)")
        }
        var csv = "unique_id,ds,model,p10,p50,p90\n"
        for s in loaded.panel.ids.indices {
            for h in 0..<o.horizon {
                csv += "\(CSVWriter.field(loaded.panel.ids[s])),\(loaded.dates[end + h]),\(chosen.rawValue),"
                    + "\(CSVWriter.number(forecast.p10[s][h])),\(CSVWriter.number(forecast.p50[s][h])),\(CSVWriter.number(forecast.p90[s][h]))\n"
            }
        }
        try AtomicFile.write(Data(csv.utf8), to: o.outPath)
        return Result(file: o.path, out: o.outPath, series: loaded.panel.count, horizon: o.horizon,
                      firstForecastDate: loaded.dates[end].description, model: chosen,
                      chosenBy: o.model == .auto ? "best accuracy on the last \(o.horizon) steps" : "--model",
                      backtestAccuracy: backtestAccuracy, notes: notes, wallSeconds: Figure.rounded(wall.seconds, scale: 1000))
    }
}
