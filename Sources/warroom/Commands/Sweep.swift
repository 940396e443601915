import ArgumentParser
import Foundation
import WarRoomLab

extension WarRoom {
    /// `warroom sweep`: every variant of a scenario on the same seeds.
    struct Sweep: QuietLabCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every variant of a scenario on the same seeds; means, 95% intervals and paired differences to the baseline.",
            discussion: """
                Results go, one line per finished replication, to DIR/<name>-sweep[-shard-i-of-n].jsonl; the report to DIR/<name>-sweep/. \
                SIGINT or SIGTERM stop after the replications in progress; --resume continues. --shard i/n runs the i-th of n equal \
                parts (for a Kubernetes Indexed Job or a Slurm job array); `warroom merge` combines the parts.
                """)

        @Argument(help: "Scenario file (YAML) with `variants:`.")
        var scenario: String
        @Option(help: "Seeds per variant: the scenario's seed and the next ones.")
        var replications = 10
        @Option(parsing: .upToNextOption, help: "Explicit seeds instead of --replications.")
        var seeds: [UInt64] = []
        @Option(help: "Replications run at once.")
        var jobs = 1
        @Option(help: "Output folder.")
        var out = "reports"
        @Option(help: "Run only part i of n (1-based), e.g. 2/3.")
        var shard: String?
        @Option(help: "Run store (SQLite) the finished sweep is recorded in.")
        var db = "reports/warroom.db"
        @Flag(help: "Keep the replications already in the results file and run the rest.")
        var resume = false
        @Option(help: "Alert rule file (default: each variant's `rules:`).")
        var rules: String?
        @Option(help: "Only these variants, comma-separated, the first as baseline (default: all).")
        var variants: String?
        @OptionGroup var languageOption: LanguageOption
        @OptionGroup var quietOption: QuietOption
        @Flag(help: "Print the summary as JSON.")
        var json = false
        @Flag(help: .hidden)
        var worker = false

        func runLab() throws {
            var options = WarRoomLab.Sweep.Options(scenarioPath: scenario)
            options.variantNames = variants.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            options.replications = replications
            options.seeds = seeds.isEmpty ? nil : seeds
            options.jobs = jobs
            options.outDirectory = out
            options.databasePath = db
            options.shard = try shard.map(WarRoomLab.Sweep.parseShard)
            options.resume = resume
            options.rulesPath = rules
            options.language = languageOption.language
            if worker {
                try WarRoomLab.Sweep.worker(options)
                return
            }
            // Replications run in worker processes of this very executable.
            let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            options.workerExecutable = executable
            options.workerArguments = ["sweep", scenario, "--replications", String(replications)]
                + (seeds.isEmpty ? [] : ["--seeds"] + seeds.map(String.init))
                + (variants.map { ["--variants", $0] } ?? []) + (rules.map { ["--rules", $0] } ?? [])
            options.shouldStop = { StopSignals.isRequested }
            StopSignals.install()
            let bar = ProgressBar(quiet: quietOption.quiet)
            options.progress = { done, total in
                bar.update(done: Double(done), total: Double(total), detail: "\(done)/\(total) replications")
            }
            let result = try bar.around { try WarRoomLab.Sweep.run(options) }
            if json { JSONOutput.print("sweep", result.json); return }
            print("results: \(result.resultsPath)")
            if let report = result.reportPath { print("report: \(report)") }
            FigureLines.print([("variants", result.variants), ("seeds", result.seeds), ("run_here_replications", result.replicationsRunHere),
                               ("wall_seconds", result.wallSeconds)])
        }
    }
}
