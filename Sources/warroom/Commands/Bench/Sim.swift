import ArgumentParser
import WarRoomLab

extension WarRoom.Bench {
    /// `warroom bench sim`.
    struct Sim: QuietLabCommand {
        static let configuration = CommandConfiguration(abstract: "Simulator throughput on the live window (events generated, ordered and digested; nothing recorded).")

        @OptionGroup var common: BenchOptions
        @Option(help: "Override the number of live days (e.g. 360 to check that memory stays flat).")
        var liveDays: Int?
        @Flag(help: "Also count the timed region's instructions and cycles per event (Linux hardware counters, where the machine has them).")
        var instructions = false
        @Flag(help: "Also time the same window with the scenario's delivery (arrival times, held and reordered), side by side with instant.")
        var delivery = false

        @OptionGroup var quietOption: QuietOption

        func runLab() throws {
            let r = try Benchmarks.simulation(scenarioPath: common.scenario, seed: common.seed, repeats: common.repeats, liveDays: liveDays,
                                              instructions: instructions, delivery: delivery)
            if common.json { JSONOutput.print("bench_sim", r.json); return }
            FigureLines.print(title: "bench sim", [("events", r.events), ("wall_seconds", r.wallSeconds), ("events_per_second", r.eventsPerSecond),
                                                   ("peak_rss_mib", r.peakResidentMiB)] + FigureLines.counts(r.counts)
                + (r.deliveredEventsPerSecond.map { [("delivered_events_per_second", $0),
                                                     ("delivered_over_instant_ratio", r.deliveredOverInstantRatio)] } ?? []))
        }
    }
}
