import ArgumentParser
import Forecasting
import WarRoomLab

extension WarRoom {
    /// `warroom forecast`: every series of a user's panel past its end.
    struct Forecast: QuietLabCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forecast every series of a CSV panel past its last observation, into a CSV file in the same long format.",
            discussion: """
                Output columns (--layout long): unique_id, ds, model, p10, p50, p90, then lo-L, hi-L for each --level L; \
                (--layout wide, statsforecast's frame): unique_id, ds, <model>, <model>-lo-L, <model>-hi-L. \
                Covariate columns need rows with an empty y carrying their planned values for the forecast steps.
                """)

        @Option(help: "The panel CSV file (unique_id, ds, y[, covariates]).")
        var data: String
        @Option(help: "Steps ahead.")
        var horizon: Int
        @Option(help: "The model (auto: the best on a backtest of the last horizon).")
        var model = ForecastModelChoice.auto
        @Option(help: "Output CSV file.")
        var out: String
        @Option(parsing: .upToNextOption, help: "Prediction interval levels in percent, such as 80 95.")
        var level: [Double] = []
        @Option(help: "The file's layout: long (a model column, p10/p50/p90) or wide (statsforecast's columns).")
        var layout = DataForecast.Layout.long
        @Flag(help: "Print the summary as JSON.")
        var json = false

        @OptionGroup var panel: PanelOptions
        @OptionGroup var quietOption: QuietOption

        func runLab() throws {
            var options = DataForecast.Options(path: data, outPath: out, horizon: horizon)
            options.maxMemory = panel.bytes
            options.model = model
            options.frequency = panel.freq
            options.season = panel.season
            options.gaps = panel.gaps
            options.levels = level
            options.layout = layout
            let result = try DataForecast.run(options)
            if json { JSONOutput.print("forecast", result.json); return }
            print("model: \(result.model.rawValue)")
            print("chosen_by: \(result.chosenBy)")
            print("first_forecast_date: \(result.firstForecastDate)")
            print("out: \(result.out)")
            FigureLines.print([("series", result.series), ("horizon_periods", result.horizon), ("wall_seconds", result.wallSeconds)])
        }
    }
}
