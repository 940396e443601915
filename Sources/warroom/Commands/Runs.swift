import ArgumentParser
import WarRoomLab

extension WarRoom {
    /// `warroom runs`: the run store's runs.
    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The runs kept in the run store.", subcommands: [List.self, Show.self],
                                                        defaultSubcommand: List.self)

        /// `warroom runs list`.
        struct List: QuietLabCommand {
            static let configuration = CommandConfiguration(abstract: "List every run, oldest first.")
            @OptionGroup var store: RunStoreOption
            @Flag(help: "Print JSON (its `runs`: each with its id).")
            var json = false

            @OptionGroup var quietOption: QuietOption

            func runLab() throws {
                let runs = try RunHistory.list(databasePath: store.db)
                if json { JSONOutput.print("runs", .object([("runs", RunHistory.json(runs))])); return }
                for r in runs { print(RunHistory.line(r)) }
                if runs.isEmpty { print("no runs in \(store.db)") }
            }
        }

        /// `warroom runs show`.
        struct Show: QuietLabCommand {
            static let configuration = CommandConfiguration(abstract: "Show one run: its record, row counts and metrics.")
            @Argument(help: "The run's id or number.")
            var id: String
            @OptionGroup var store: RunStoreOption
            @Flag(help: "Print JSON.")
            var json = false

            @OptionGroup var quietOption: QuietOption

            func runLab() throws {
                let shown = try RunHistory.show(run: id, databasePath: store.db)
                if json { JSONOutput.print("run_record", shown.json) } else { print(shown.text) }
            }
        }
    }
}
