import Foundation
import Reporting
import Testing
import WarRoomTestSupport
import WarRoomLab


@Suite("warroom backtest and the model section of a run")
struct BacktestTests {
    @Test("warroom backtest --json prints the promised keys, beside the oracle, and is deterministic but for timings")
    func backtestJSON() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runWarroom(["backtest", Repository.backtestScenario, "--json"], in: folder)
        #expect(result.status == 0, "\(result.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        func number(_ path: String) -> Double? {
            var node: Any? = json
            for key in path.split(separator: ".") { node = (node as? [String: Any])?[String(key)] }
            return node as? Double
        }
        for key in ["forecast.accuracy", "forecast.oracle_accuracy", "forecast.mase", "forecast.baselines_by_model.seasonal_naive.accuracy",
                    "forecast.baselines_by_model.ets.accuracy", "forecast.fit_seconds", "forecast_lines.accuracy", "churn.auc", "churn.oracle_auc",
                    "churn.brier", "churn.ece", "churn.fit_seconds"] {
            let v = try #require(number(key), "missing \(key)")
            #expect(v.isFinite)
        }
        // Accuracy figures are fractions; the oracle beats the seasonal naive.
        #expect(number("forecast.oracle_accuracy")! > number("forecast.baselines_by_model.seasonal_naive.accuracy")!)
        #expect((0...1).contains(number("churn.auc")!) && number("churn.oracle_auc")! > 0.5)
        #expect((json["verdicts"] as? [Any])?.count == 8)
        // The scenario's launch starts inside the backtest: the oracle that cannot foresee it does worse than the one that can.
        let blind = try #require(number("forecast.oracle_without_shocks_accuracy"))
        #expect(blind < number("forecast.oracle_accuracy")! && blind > number("forecast.baselines_by_model.seasonal_naive.accuracy")!)
        #expect(number("forecast.oracle_without_shocks.accuracy") == blind)

        // The same seed again: the same figures, timings aside.
        let again = try BacktestPipeline.run(scenarioPath: Repository.backtestScenario, seed: nil)
        func stable(_ text: String) -> [String] {
            text.split(separator: "\n").map(String.init).filter { !$0.contains("seconds") }
        }
        #expect(stable(JSONDocument.make("backtest", again.json).rendered()) == stable(result.out))
        let other = try runWarroom(["backtest", Repository.backtestScenario, "--seed", "12", "--json"], in: folder)
        #expect(other.status == 0 && stable(other.out) != stable(result.out))
    }

    @Test("A run long enough for the backtest carries the model section in index.html and metrics.json; a short one says why not")
    func runReport() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = RunPipeline.Options.writing(Repository.backtestScenario, into: folder)
        let outcome = try RunPipeline.run(options)
        #expect(outcome.metrics.json[path: "forecast.accuracy"] != nil && outcome.metrics.json[path: "churn_model.auc"] != nil)
        let html = try String(contentsOfFile: outcome.reportPath + "/index.html", encoding: .utf8)
        for text in ["Forecasts and churn model", "Forecast accuracy by horizon", "Calibration: predicted against observed", "ROC curve"] {
            #expect(html.contains(text), "index.html lacks \(text)")
        }
        options.scenarioPath = Repository.smokeScenario
        let short = try RunPipeline.run(options)
        if case let .string(reason)? = short.metrics.json[path: "models_skipped"] {
            #expect(reason.contains("too short"))
        } else {
            Issue.record("a 21-day run should skip the model backtest with a reason")
        }
    }

    @Test("warroom bench fit reports the logistic fit time and ETS series per second")
    func benchFit() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runWarroom(["bench", "fit", "--rows", "20000", "--features", "5", "--repeats", "1", "--json"], in: folder)
        #expect(result.status == 0, "\(result.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let logistic = try #require(json["logistic"] as? [String: Any]), ets = try #require(json["ets"] as? [String: Any])
        #expect(logistic["fit_seconds"] is Double && logistic["converged"] as? Bool == true)
        #expect((ets["series_per_second"] as? Double ?? 0) > 0)
        // The fit recovers the coefficients the data was drawn from.
        #expect((logistic["true_coefficients_max_abs_z"] as? Double ?? 99) < 5)
    }
}
