import ArgumentParser
import Foundation
import Reporting
import WarRoomLab

extension WarRoom {
    /// `warroom run`: one simulated run, stored, with its report folder.
    struct Run: QuietLabCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate a scenario, store the run and write its report folder.",
            discussion: "Writes DIR/<scenario-name>-s<seed>/ with index.html, summary.md and metrics.json, and records the run in the run store."
        )

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @Option(help: "Seed (default: the scenario's).")
        var seed: UInt64?

        @Option(name: .customLong("out"), help: "Folder under which the report folder is written.")
        var out = "reports"

        @OptionGroup var store: RunStoreOption

        @Flag(help: "Also store the full event log in the run store.")
        var recordEvents = false

        @Flag(help: "Run even when the estimated memory exceeds 80% of this machine's (the kernel may then end the run).")
        var force = false

        @OptionGroup var alerts: AlertOptions

        @OptionGroup var languageOption: LanguageOption

        @Flag(help: "Print the metrics as JSON instead of the summary lines.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func runLab() throws {
            var options = RunPipeline.Options(scenarioPath: scenario)
            options.language = languageOption.language
            options.seed = seed
            options.outDirectory = out
            options.databasePath = store.db
            options.recordEvents = recordEvents
            options.force = force
            options.forceHint = true
            options.rulesPath = alerts.rules
            options.applyActions = !alerts.noActions
            options.shouldStop = { StopSignals.isRequested }
            StopSignals.install()
            let bar = ProgressBar(quiet: quietOption.quiet)
            options.progress = { p in
                let rate = p.liveSeconds > 0 ? Double(p.events) / p.liveSeconds / 1e6 : 0
                bar.update(done: Double(p.daysDone), total: Double(p.daysTotal),
                           detail: "\(p.date) (\(p.isLive ? "live" : "history")) · " + String(format: "%.1f M events/s", rate))
            }
            let outcome = try bar.around { try RunPipeline.run(options) }
            if json {
                JSONOutput.print("run", outcome.json)
            } else {
                printSummary(outcome)
            }
        }

        /// The summary lines: the run, its events, speed, alerts and models, and the report.
        func printSummary(_ outcome: RunPipeline.Outcome) {
            let f = outcome.figures
            func share(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a" }
            func auc(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "n/a" }
            print("run:      \(outcome.runID)")
            print("events:   \(Format.count(f.events)) live events, digest \(f.eventDigest)")
            print("speed:    " + String(format: "%.1f M events/s", f.eventsPerSecond / 1e6) + " (live window); run took "
                  + String(format: "%.1f s", f.runWallSeconds) + ", peak memory " + (f.peakResidentMiB.map { String(format: "%.0f MiB", $0) } ?? "n/a"))
            if let a = f.alerts {
                print("alerts:   \(Format.count(a.fired)) fired, \(Format.count(a.escalated)) escalated; detector precision \(share(a.precision)), recall \(share(a.recall))")
                if let d = a.delivery {
                    print("delivery: data age p50 \(Format.duration(d.dataAgeMedianMs)), p99 \(Format.duration(d.dataAgeP99Ms)); \(Format.count(d.lateEvents)) late events left out"
                          + (d.firstOutAfterOnsetMs.map { String(format: "; first detector alert out %.1f h after the onset", Double($0) / 3_600_000) } ?? ""))
                }
            }
            if let m = f.models, let accuracy = m.forecastAccuracy {
                print("models:   forecast accuracy " + String(format: "%.1f%%", accuracy * 100) + " (oracle " + share(m.oracleAccuracy)
                      + "); churn AUC " + auc(m.churnAUC) + " (oracle " + auc(m.churnOracleAUC) + ")")
            }
            print("report:   \(outcome.reportPath)/index.html")
        }
    }
}
