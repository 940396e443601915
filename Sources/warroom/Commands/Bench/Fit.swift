import ArgumentParser
import WarRoomLab

extension WarRoom.Bench {
    /// `warroom bench fit`.
    struct Fit: QuietLabCommand {
        static let configuration = CommandConfiguration(abstract: "Model-fitting speed: the logistic churn model on synthetic rows, ETS with model selection on daily series.")

        @Option(help: "Rows of the logistic benchmark.")
        var rows = 1_000_000
        @Option(help: "Features of the logistic benchmark.")
        var features = 30
        @Option(help: "Repetitions; the median is reported.")
        var repeats = 3
        @Flag(help: "Print JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func runLab() throws {
            let r = try Benchmarks.fit(rows: rows, features: features, repeats: repeats)
            if json { JSONOutput.print("bench_fit", r.json); return }
            FigureLines.print(title: "bench fit", [("logistic.fit_seconds", r.logisticFitSeconds), ("logistic.iterations", r.logisticIterations),
                                                   ("ets.series_per_second", r.etsSeriesPerSecond)])
        }
    }
}
