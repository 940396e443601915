import ArgumentParser
import Foundation
import WarRoomLab

extension WarRoom {
    /// `warroom soak`: the closed loop over a long live window, watched for leaks and slow-downs.
    struct Soak: QuietLabCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the closed loop (simulator, alert engine, actions) for a long live window; print memory and throughput per 30 days.")
        @Option(help: "Scenario file.")
        var scenario = "scenarios/east-china-medical.yaml"
        @Option(help: "Rule file (default: the scenario's).")
        var rules: String?
        @Option(help: "Live days.")
        var liveDays = 360
        @Flag(help: "Print the figures as JSON instead of a table.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func runLab() throws {
            let bar = ProgressBar(quiet: quietOption.quiet)
            let result = try bar.around {
                try WarRoomLab.Soak.run(scenarioPath: scenario, rulesPath: rules, liveDays: liveDays) { done, total in
                    bar.update(done: Double(done), total: Double(total), detail: "day \(done) of \(total)")
                }
            }
            if json { JSONOutput.print("soak", result.json); return }
            // One row per 30 live days: a leak shows as a growing RSS, a slow-down as a falling rate.
            func cell(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
            func number(_ v: Double?) -> String {
                guard let v else { return "n/a" }
                return v == v.rounded() ? String(Int64(v)) : String(format: "%.1f", v)
            }
            print("live days     events        events/s    RSS MiB")
            for w in result.windows {
                print(cell(w.liveDays, 14) + cell(String(w.events), 14) + cell(number(w.eventsPerSecond), 12) + number(w.residentMiB))
            }
            FigureLines.print([("events", result.events), ("alerts", result.alerts), ("peak_rss_mib", result.peakResidentMiB)])
        }
    }
}
