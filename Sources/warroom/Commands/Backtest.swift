import ArgumentParser
import Forecasting
import Foundation
import Reporting
import WarRoomLab

extension WarRoom {
    /// `warroom backtest`: the models on a simulated scenario, or on a user's panel (`--data`).
    struct Backtest: QuietLabCommand {
        static let configuration = CommandConfiguration(
            abstract: "Backtest the sales-forecast (and churn) models on a simulated scenario, or the sales models on your own CSV panel.",
            discussion: """
                On a scenario: rolling origins (5, every 14 days, 28-day horizon) over store × day sales, weekly churn refits, \
                beside baselines and the oracle. With --data: a long-format panel (unique_id, ds, y, optional numeric covariates), \
                rolling origins at the end of the data; no oracle exists for real data.
                """)

        @Argument(help: "Scenario file (YAML); omit with --data.")
        var scenario: String?
        @Option(help: "Seed (default: the scenario's).")
        var seed: UInt64?
        @Option(help: "A panel CSV file in long format (unique_id, ds, y[, covariates]) instead of a scenario.")
        var data: String?
        @Option(help: "Steps ahead for --data (default: 28 for D, 13 for W, 12 for M).")
        var horizon: Int?
        @Option(help: "Forecast origins for --data.")
        var origins = 3
        @Option(help: "Steps between origins for --data (default: half the horizon).")
        var step: Int?
        @Option(help: "Accuracy target of the verdict for --data.")
        var targetAccuracy = 0.896
        @Option(help: "With --data: write a report folder (index.html, summary.md, metrics.json, series_metrics.csv) under this directory.")
        var out: String?
        @Option(name: .customLong("cv-out"), help: "With --data: write the cross-validation frame (unique_id, ds, cutoff, y, one column per model) to this CSV file.")
        var cvOut: String?
        @OptionGroup var languageOption: LanguageOption
        @Flag(help: "Print the full result as JSON.")
        var json = false

        @OptionGroup var panel: PanelOptions
        @OptionGroup var quietOption: QuietOption

        func validate() throws {
            switch (scenario, data) {
            case (.some, .some): throw ValidationError("give a scenario or --data, not both")
            case (nil, nil): throw ValidationError("give a scenario file or --data FILE.csv")
            default: break
            }
            if cvOut != nil && data == nil { throw ValidationError("--cv-out needs --data") }
        }

        func runLab() throws {
            if let data {
                try backtest(data: data)
            } else if let scenario {
                try backtest(scenario: scenario)
            }
        }

        /// The sales models on a user's panel.
        func backtest(data: String) throws {
            var options = DataBacktest.Options(path: data, frequency: panel.freq, season: panel.season, horizon: horizon, origins: origins, step: step, gaps: panel.gaps,
                                               targetAccuracy: targetAccuracy, outDirectory: out,
                                               language: Language.choose(languageOption.language, scenario: nil))
            options.maxMemory = panel.bytes
            options.cvOut = cvOut
            let result = try DataBacktest.run(options)
            if json { JSONOutput.print("backtest_data", result.json); return }
            FigureLines.print([("data.series", result.series), ("data.steps", result.steps)]
                              + result.models.map { ("by_model.\($0.model).accuracy", $0.accuracy) }
                              + [("accuracy", result.accuracy), ("wall_seconds", result.wallSeconds)])
            print("  verdict: \(result.verdict)")
            if let report = result.reportPath { print("  report: \(report)") }
            for note in result.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        }

        /// The sales and churn models on a simulated scenario, beside the oracle.
        func backtest(scenario: String) throws {
            let bar = ProgressBar(quiet: quietOption.quiet)
            let result = try bar.around {
                try BacktestPipeline.run(scenarioPath: scenario, seed: seed) { done, total, what in
                    bar.update(done: Double(done), total: Double(total), detail: what)
                }
            }
            if json { JSONOutput.print("backtest", result.json); return }
            let m = result.figures
            FigureLines.print([
                ("forecast.accuracy", m.forecastAccuracy), ("forecast.oracle_accuracy", m.oracleAccuracy),
                ("forecast.oracle_without_shocks_accuracy", m.oracleWithoutShocksAccuracy), ("forecast.mase", m.mase),
                ("forecast.baselines_by_model.seasonal_naive.accuracy", m.seasonalNaiveAccuracy), ("forecast.baselines_by_model.ets.accuracy", m.etsAccuracy),
                ("forecast.by_model.regression.accuracy", m.regressionAccuracy), ("forecast.coverage_p10_p90", m.coverageP10P90),
                ("churn.auc", m.churnAUC), ("churn.oracle_auc", m.churnOracleAUC), ("churn.brier", m.churnBrier), ("churn.ece", m.churnECE),
                ("wall_seconds", result.wallSeconds),
            ])
            for verdict in m.verdicts { print("  " + verdict) }
        }
    }
}
