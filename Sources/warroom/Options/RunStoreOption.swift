import ArgumentParser

/// `--db FILE`: the run store of the commands that read or record runs.
struct RunStoreOption: ParsableArguments {
    @Option(help: "Run store file (SQLite).")
    var db = "reports/warroom.db"
}
