import Forecasting
import Foundation
import Reporting
import WarRoomCore

/// `warroom forecast --data FILE.csv`: forecasts every series of a user's panel `horizon` steps
/// past its last observation and writes them in the same long format (`unique_id`, `ds`, `model`,
/// `p10`, `p50`, `p90`, and `lo-L`, `hi-L` per level asked for), or in statsforecast's wide
/// layout (`unique_id`, `ds`, `<model>`, `<model>-lo-L`, `<model>-hi-L`).
public enum DataForecast {
    /// How the forecasts' file is laid out.
    public enum Layout: String, Sendable, CaseIterable {
        /// One row per series and step with a `model` column: `p10`, `p50`, `p90`, then `lo-L`, `hi-L`.
        case long
        /// statsforecast's frame: the model's mean in a column named after it, then `<model>-lo-L`, `<model>-hi-L`.
        case wide
    }

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
        /// Prediction interval levels in percent (`--level 80 95`), each in (0, 100).
        public var levels: [Double] = []
        /// The file's layout.
        public var layout = Layout.long
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
                ("horizon_periods", .count(horizon)), ("first_forecast_date", .string(firstForecastDate)),
                ("model", .string(model.rawValue)), ("chosen_by", .string(chosenBy)),
                ("backtest_accuracy_by_model", backtestAccuracy.map { .object($0.map { ($0.model, .double($0.accuracy)) }) } ?? .null),
                ("notes", .array(notes.map { .string($0) })),
                ("wall_seconds", .double(wallSeconds)),
            ])
        }
    }

    /// Forecasts and writes the file.
    public static func run(_ o: Options) throws -> Result {
        let wall = Stopwatch()
        guard (1...1000).contains(o.horizon) else { throw LabError("--horizon must be between 1 and 1000", exitCode: LabError.invalidInput) }
        if let bad = o.levels.first(where: { !($0 > 0 && $0 < 100) }) {
            throw LabError("--level \(CSVWriter.number(bad)): a level is a percentage between 0 and 100 (such as 80 or 95)", exitCode: LabError.invalidInput)
        }
        // Levels in increasing order, each once; the quantiles that bound them.
        let levels = Array(Set(o.levels)).sorted()
        let bands = levels.flatMap { level -> [Double] in let b = SalesForecast.bounds(level: level); return [b.lo, b.hi] }
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
        do { forecast = try forecaster.forecast(loaded.panel, origin: end, horizon: o.horizon, bands: bands) } catch {
            throw LabError("forecast: \(error)")
        }
        // A level's name as statsforecast writes it: 80, 95, 99.5.
        let names = levels.map { CSVWriter.number($0) }
        let model = chosen.rawValue
        var csv = o.layout == .long
            ? "unique_id,ds,model,p10,p50,p90" + names.map { ",lo-\($0),hi-\($0)" }.joined() + "\n"
            : "unique_id,ds,\(model)" + names.map { ",\(model)-lo-\($0),\(model)-hi-\($0)" }.joined() + "\n"
        for s in loaded.panel.ids.indices {
            for h in 0..<o.horizon {
                csv += "\(CSVWriter.field(loaded.panel.ids[s])),\(loaded.dates[end + h]),"
                csv += o.layout == .long
                    ? "\(model),\(CSVWriter.number(forecast.p10[s][h])),\(CSVWriter.number(forecast.p50[s][h])),\(CSVWriter.number(forecast.p90[s][h]))"
                    : CSVWriter.number(forecast.mean[s][h])
                for level in levels {
                    let b = SalesForecast.bounds(level: level)
                    csv += ",\(CSVWriter.number(forecast.bands[b.lo]![s][h])),\(CSVWriter.number(forecast.bands[b.hi]![s][h]))"
                }
                csv += "\n"
            }
        }
        try AtomicFile.write(Data(csv.utf8), to: o.outPath)
        return Result(file: o.path, out: o.outPath, series: loaded.panel.count, horizon: o.horizon,
                      firstForecastDate: loaded.dates[end].description, model: chosen,
                      chosenBy: o.model == .auto ? "best accuracy on the last \(o.horizon) steps" : "--model",
                      backtestAccuracy: backtestAccuracy, notes: notes, wallSeconds: Figure.rounded(wall.seconds, scale: 1000))
    }
}
