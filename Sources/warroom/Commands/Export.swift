import ArgumentParser
import WarRoomLab

extension WarRoom {
    /// `warroom export`: a run's tables out of the run store.
    struct Export: QuietLabCommand {
        static let configuration = CommandConfiguration(abstract: "Write a run's tables out of the run store as CSV or NDJSON files, or as a Jupyter notebook with its CSV tables.")

        @Argument(help: "Run id (see `warroom runs`).")
        var runID: String
        @OptionGroup var store: RunStoreOption
        @Option(help: "The files (ipynb: CSV tables, metrics.json and analysis.ipynb, a Jupyter notebook that loads them).")
        var format = ExportFormat.csv
        @Option(help: "Output folder; the files go to <out>/<run id>-<format>/.")
        var out = "notebooks-export"
        @Flag(help: "Print the summary as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func runLab() throws {
            let result = try RunExport.export(run: runID, databasePath: store.db, format: format, outDirectory: out)
            if json { JSONOutput.print("export", result.json); return }
            print("folder: \(result.folder)")
            for file in result.files { print("  \(file.name): \(file.rows) rows") }
            if let notebook = result.notebook { print("  notebook: \(notebook)") }
        }
    }
}
