import ArgumentParser
import Foundation
import WarRoomLab

extension WarRoom {
    /// `warroom churn`: the churn model on a user's customer table.
    struct Churn: QuietLabCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit and cross-validate the logistic churn model on a customer table (CSV).",
            discussion: "Numeric and categorical columns; categorical ones one-hot encoded with rare levels pooled; missing values imputed and flagged.")

        @Option(help: "The customer table (CSV, one row per customer).")
        var data: String
        @Option(help: "The 0/1 (true/false, yes/no) column to predict.")
        var label: String
        @Option(help: "An id column to leave out of the features.")
        var id: String?
        @Option(help: "Cross-validation folds.")
        var folds = 5
        @Option(help: "L2 penalty on the standardised coefficients.")
        var l2 = 1.0
        @Option(name: .customLong("max-memory"), help: "The most memory the table may take, as text and encoded (e.g. 512M, 4G; default: a quarter of this machine's).")
        var maxMemory: ByteCount?
        @Flag(help: "Print the full result as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func runLab() throws {
            var options = DataChurn.Options(path: data, label: label)
            options.id = id
            options.folds = folds
            if let maxMemory { options.maxMemory = maxMemory.bytes }
            options.l2 = l2
            let result = try DataChurn.run(options)
            if json { JSONOutput.print("churn", result.json); return }
            FigureLines.print([
                ("rows", result.rows), ("positive_rows", result.positives), ("cross_validation.auc", result.auc),
                ("cross_validation.log_loss", result.logLoss), ("cross_validation.brier", result.brier), ("cross_validation.ece", result.ece),
                ("cross_validation.top_decile_lift", result.topDecileLift), ("wall_seconds", result.wallSeconds),
            ])
            print("  coefficients (estimate ± standard error):")
            for c in result.coefficients {
                guard let estimate = c.estimate, let error = c.standardError else { continue }
                print(String(format: "    %@: %+.4f ± %.4f", c.feature, estimate, error))
            }
        }
    }
}
