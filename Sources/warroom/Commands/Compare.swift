import ArgumentParser
import Reporting
import WarRoomLab

extension WarRoom {
    /// `warroom compare`: two runs' metrics side by side.
    struct Compare: QuietLabCommand {
        static let configuration = CommandConfiguration(abstract: "Compare two runs' metrics side by side (B − A), as a report folder.")
        @Argument(help: "Run A (id or number).")
        var a: String
        @Argument(help: "Run B (id or number).")
        var b: String
        @OptionGroup var store: RunStoreOption
        @Option(name: .customLong("out"), help: "Folder under which the comparison folder is written.")
        var out = "reports"
        @OptionGroup var languageOption: LanguageOption
        @Flag(help: "Print the comparison's path as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func runLab() throws {
            let path = try RunComparison.compare(a, b, databasePath: store.db, outDirectory: out, language: languageOption.language)
            if json {
                JSONOutput.print("comparison", .object([("comparison", .string(path)), ("index", .string(path + "/index.html"))]))
                return
            }
            print("comparison: \(path)/index.html")
        }
    }
}
