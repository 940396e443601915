import ArgumentParser
import Reporting
import WarRoomLab

extension WarRoom {
    /// `warroom report`: a finished run's report folder, re-created from the run store.
    struct Report: QuietLabCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Re-create a finished run's report folder from the run store alone.",
            discussion: """
                Simulates the stored scenario text, rules and options with the stored seed again (as long as the run took), \
                checks that the event digest equals the stored one, and puts the run's stored wall-clock measurements \
                in place of the new ones: the folder is byte-identical to the one the run wrote.
                """)
        @Argument(help: "The run's id or number.")
        var id: String
        @OptionGroup var store: RunStoreOption
        @Option(name: .customLong("out"), help: "Folder under which the report folder is written (default: where the run wrote it).")
        var out: String?
        @Option(name: .customLong("lang"), help: "Language of the report: zh or en (default: the run's own; only then is the folder byte-identical).")
        var language: Language?
        @Flag(help: "Print the report's path as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func runLab() throws {
            let bar = ProgressBar(quiet: quietOption.quiet)
            let outcome = try bar.around {
                try RunPipeline.recreate(runID: id, databasePath: store.db, outDirectory: out, language: language) { p in
                    bar.update(done: Double(p.daysDone), total: Double(p.daysTotal), detail: "\(p.date) (\(p.isLive ? "live" : "history"))")
                }
            }
            if json {
                JSONOutput.print("report", .object([("run", .string(outcome.runID)), ("report", .string(outcome.reportPath)),
                                                    ("index", .string(outcome.reportPath + "/index.html"))]))
                return
            }
            print("report:   \(outcome.reportPath)/index.html (re-created from run \(outcome.runID))")
        }
    }
}
