import Alerting
import ArgumentParser
import WarRoomLab

extension WarRoom.Bench {
    /// `warroom bench engine`: peak throughput (`--max`) or open-loop latency (`--rate`).
    struct Engine: QuietLabCommand {
        static let configuration = CommandConfiguration(abstract: "Alert-engine throughput on the scenario's live stream, held in memory (one core).")

        @OptionGroup var common: BenchOptions
        @Option(help: "Rule file.")
        var rules = "scenarios/rules/presets.yaml"
        @Flag(help: "Peak sustained throughput (events fed as fast as the engine takes them).")
        var max = false
        @Option(help: "Open loop: offer events at this fixed rate (events/s); latency from each event's intended send time.")
        var rate: Double?
        @Option(help: "Open loop: seconds of offered load (capped by the stream's length).")
        var duration = 10.0
        @Option(help: "Open loop: seconds of load offered first to warm the engine, not recorded.")
        var warmup = 0.5
        @Option(help: "Open loop: write the latency distribution in HdrHistogram's .hgrm text format (µs).")
        var hgrm: String?
        @Option(help: "Open loop: where the engine evaluates due ticks — idle (while it waits for the next event), inline (before the event that made them due), or a number N (N key evaluations per event).")
        var tickWork = TickWork.deferred
        @Option(parsing: .upToNextOption, help: "Also measure with only the first N rules (e.g. 1 9 18).")
        var ruleCounts: [Int] = [1]
        @Option(help: "--max: override the number of live days (a shorter stream, e.g. for make bench-count).")
        var liveDays: Int?
        @Flag(help: "--max: also count the timed region's instructions and cycles per event (Linux hardware counters, where the machine has them).")
        var instructions = false
        @Flag(help: "--max: also run the engine on the scenario's arrival order (its delivery:) beside event order, in turn.")
        var delivery = false

        @OptionGroup var quietOption: QuietOption

        func validate() throws {
            guard max || rate != nil else { throw ValidationError("choose a mode: --max, or --rate R [--duration S]") }
            guard !(max && rate != nil) else { throw ValidationError("choose one mode: --max or --rate R, not both") }
            guard max || (!instructions && liveDays == nil && !delivery) else { throw ValidationError("--instructions, --live-days and --delivery go with --max") }
        }

        func runLab() throws {
            if let rate {
                try openLoop(rate: rate)
                return
            }
            let r = try Benchmarks.engine(scenarioPath: common.scenario, rulesPath: rules, seed: common.seed, repeats: common.repeats, ruleCounts: ruleCounts,
                                          liveDays: liveDays, instructions: instructions, delivery: delivery)
            if common.json { JSONOutput.print("bench_engine", r.json); return }
            FigureLines.print(title: "bench engine", [("events", r.events), ("rules", r.rules), ("wall_seconds", r.wallSeconds),
                                                      ("events_per_second", r.eventsPerSecond), ("alerts", r.alerts)] + FigureLines.counts(r.counts)
                + (r.delivery.map { [("delivered_events", $0.events), ("delivered_late_events", $0.lateEvents),
                                     ("delivered_over_ordered_ratio", ($0.ratio * 1000).rounded() / 1000)] } ?? []))
        }

        /// Latency at a fixed offered rate, beside the machine's own stalls.
        func openLoop(rate: Double) throws {
            let r = try Benchmarks.engineOpenLoop(scenarioPath: common.scenario, rulesPath: rules, seed: common.seed, rate: rate,
                                                  duration: duration, warmup: warmup, hgrmPath: hgrm, tickWork: tickWork)
            if common.json { JSONOutput.print("bench_engine", r.json); return }
            let m = r.machine
            FigureLines.print(title: "bench engine", [
                ("events", r.events), ("offered_events_per_second", r.offeredRate), ("achieved_events_per_second", r.achievedRate), ("late_events", r.eventsLate),
                ("latency_us.p50", r.latencyP50), ("latency_us.p99", r.latencyP99), ("latency_us.p999", r.latencyP999), ("latency_us.max", r.latencyMax),
                ("service_us.mean", r.serviceMean), ("service_us.p99", r.serviceP99), ("service_us.max", r.serviceMax),
                ("event_utilisation", r.eventUtilization), ("page_faults", r.pageFaults), ("tail_over_floor_ratio", r.p99OverFloor),
                ("alert_delay_us.p50", r.alertDelayP50), ("alert_delay_us.p99", r.alertDelayP99),
                ("machine.stalls_per_second", m.stallsPerSecond), ("machine.stalled_share", m.stalledShare), ("machine.stall_us.p50", m.stallP50),
                ("machine.floor_us.p99", m.p99), ("machine.floor_us.p999", m.p999),
                ("machine.at_service_us.p99", m.p99AtService), ("machine.at_service_us.p999", m.p999AtService),
            ])
        }
    }
}
