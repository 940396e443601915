import ArgumentParser
import Foundation
import Reporting
import WarRoomLab

extension WarRoom {
    /// `warroom fuzz`: mutations of the shipped files against the decoders.
    struct Fuzz: QuietLabCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fuzz the scenario decoder and the rule parser with mutations of the shipped files.",
            discussion: "Every input must decode or give a clear input error; a trap ends the process (the failure).")
        @Option(help: "What to fuzz.")
        var target = FuzzTargets.all
        @Option(help: "Seconds per target.")
        var seconds = 60.0
        @Option(help: "Most inputs per target.")
        var iterations = 10_000_000
        @Option(help: "Seed of the mutations.")
        var seed: UInt64 = 1
        @Flag(help: "Print the figures as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func runLab() throws {
            var outcomes: [Fuzzer.Outcome] = []
            for t in target.targets {
                let bar = ProgressBar(quiet: quietOption.quiet)
                let seeds = try Fuzzer.seedFiles(t)
                let o = bar.around {
                    Fuzzer.run(t, seeds: seeds, iterations: iterations, seconds: seconds, seed: seed) { share, executions in
                        bar.update(done: share, total: 1, detail: "\(t.rawValue): \(executions) inputs")
                    }
                }
                outcomes.append(o)
                if !json {
                    print("fuzz \(t.rawValue): \(o.executions) inputs in " + String(format: "%.1f s", o.seconds)
                          + " (\(Int(o.executionsPerSecond)) /s): \(o.decoded) decoded, \(o.refused) refused with a clear error, no crash")
                }
            }
            if json { JSONOutput.print("fuzz", .object([("targets", .array(outcomes.map(\.json)))])) }
        }
    }
}
