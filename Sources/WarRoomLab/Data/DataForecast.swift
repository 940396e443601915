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
        public var path: String
        public var outPath: String
        public var horizon: Int
        /// `auto` (the best on a backtest of the last horizon), `ets`, `regression`, `glm` or `seasonal_naive`.
        public var model = "auto"
        public var frequency = "D"
        public var season: Int?
        public var gaps = "refuse"
        /// Creates options.
        public init(path: String, outPath: String, horizon: Int) {
            self.path = path
            self.outPath = outPath
            self.horizon = horizon
        }
    }

    static let models: [String: any SalesForecaster] = [
        "seasonal_naive": SeasonalNaiveForecaster(), "ets": ETSForecaster(),
        "regression": GlobalForecaster(.regression), "glm": GlobalForecaster(.glm),
    ]

    /// Forecasts and writes the file; returns a summary.
    public static func run(_ o: Options) throws -> JSONValue {
        let wall = Stopwatch()
        let (frequency, gaps) = try DataBacktest.parse(frequency: o.frequency, gaps: o.gaps)
        guard (1...1000).contains(o.horizon) else { throw LabError("--horizon must be between 1 and 1000", exitCode: LabError.invalidInput) }
        guard o.model == "auto" || models[o.model] != nil else {
            throw LabError("--model must be auto, ets, regression, glm or seasonal_naive, got '\(o.model)'", exitCode: LabError.invalidInput)
        }
        let season = o.season ?? frequency.defaultSeason
        let history = SalesBacktest.historyNeeded(season: season, horizon: o.horizon)
        // `auto` backtests the last horizon, so it needs one more horizon of data.
        let minimumLength = history + (o.model == "auto" ? o.horizon : 0)
        var loaded = try DataBacktest.loadPanel(path: o.path, frequency: frequency, season: o.season, gaps: gaps, minimumLength: minimumLength)
        let end = loaded.end
        // The global models need every covariate for every forecast step; without them `auto`
        // chooses between the models that use none, and an explicit global model is refused.
        var candidates = ["seasonal_naive", "ets", "regression", "glm"]
        var notes = loaded.notes
        let covariatesKnown = loaded.panel.future.allSatisfy { c in
            loaded.panel.ids.indices.allSatisfy { s in (0..<o.horizon).allSatisfy { end + $0 < loaded.dates.count && c.values[s][end + $0].isFinite } }
        }
        if !covariatesKnown && o.model == "auto" {
            candidates = ["seasonal_naive", "ets"]
            notes.append("covariates have no values for the forecast steps: auto chose among seasonal_naive and ets only")
        }
        for c in loaded.panel.future where !covariatesKnown && (o.model == "regression" || o.model == "glm") {
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
        var backtestJSON: JSONValue = .null
        if o.model == "auto" {
            let b: SalesBacktest
            do { b = try SalesBacktest.run(panel: loaded.panel, models: candidates.map { models[$0]! }, origins: [end - o.horizon], horizon: o.horizon) } catch {
                throw LabError("choosing the model: \(error)")
            }
            chosen = b.scores.max { $0.accuracy < $1.accuracy }!.name
            backtestJSON = .object(b.scores.map { ($0.name, .double(($0.accuracy * 1e6).rounded() / 1e6)) })
        }
        let forecast: SalesForecast
        do { forecast = try models[chosen]!.forecast(loaded.panel, origin: end, horizon: o.horizon) } catch {
            throw LabError("forecast: \(error)")
        }
        var csv = "unique_id,ds,model,p10,p50,p90\n"
        for s in loaded.panel.ids.indices {
            for h in 0..<o.horizon {
                csv += "\(CSVWriter.field(loaded.panel.ids[s])),\(loaded.dates[end + h]),\(chosen),"
                    + "\(CSVWriter.number(forecast.p10[s][h])),\(CSVWriter.number(forecast.p50[s][h])),\(CSVWriter.number(forecast.p90[s][h]))\n"
            }
        }
        try AtomicFile.write(Data(csv.utf8), to: o.outPath)
        return .object([
            ("file", .string(o.path)), ("out", .string(o.outPath)), ("series", .int(Int64(loaded.panel.count))),
            ("horizon", .int(Int64(o.horizon))), ("first_forecast_date", .string(loaded.dates[end].description)),
            ("model", .string(chosen)), ("chosen_by", .string(o.model == "auto" ? "best accuracy on the last \(o.horizon) steps" : "--model")),
            ("backtest_accuracy", backtestJSON),
            ("notes", .array(notes.map { .string($0) })),
            ("wall_seconds", .double((wall.seconds * 1000).rounded() / 1000)),
        ])
    }
}
