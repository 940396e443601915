import ArgumentParser
import WarRoomLab

extension WarRoom {
    /// `warroom merge`: a sharded sweep's results files into one report.
    struct Merge: QuietLabCommand {
        static let configuration = CommandConfiguration(abstract: "Combine the results files of a sweep's shards into the report a single machine writes.")

        @Argument(help: "Results files or folders holding them.")
        var inputs: [String]
        @Option(help: "Output folder of the report.")
        var out = "reports"
        @Option(help: "Run store (SQLite) the merged sweep is recorded in.")
        var db = "reports/warroom.db"
        @OptionGroup var languageOption: LanguageOption
        @Flag(help: "Print the summary as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func runLab() throws {
            let result = try WarRoomLab.Sweep.merge(inputs: inputs, outDirectory: out, databasePath: db, language: languageOption.language)
            if json { JSONOutput.print("merge", result.json); return }
            print("report: \(result.reportPath)")
            FigureLines.print([("replications", result.replications)])
        }
    }
}
