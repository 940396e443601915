import ArgumentParser
import WarRoomLab

extension WarRoom.Bench {
    /// `warroom bench record`.
    struct Record: QuietLabCommand {
        static let configuration = CommandConfiguration(abstract: "Event-log write speed into the SQLite run store.")

        @OptionGroup var common: BenchOptions
        @Option(help: "Live days of events to write.")
        var liveDays = 20

        @OptionGroup var quietOption: QuietOption

        func runLab() throws {
            let r = try Benchmarks.recording(scenarioPath: common.scenario, seed: common.seed, liveDays: liveDays, repeats: common.repeats)
            if common.json { JSONOutput.print("bench_record", r.json); return }
            FigureLines.print(title: "bench record", [("events", r.events), ("wall_seconds", r.wallSeconds), ("events_per_second", r.eventsPerSecond)])
        }
    }
}
