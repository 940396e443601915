import ArgumentParser
import WarRoomLab

extension WarRoom.Bench {
    /// `warroom bench sweep-load`: latency against offered load, throughput against rules and stores.
    struct SweepLoad: QuietLabCommand {
        static let configuration = CommandConfiguration(
            commandName: "sweep-load",
            abstract: "Latency against offered load (open loop), throughput against rules and stores; charts, CSVs and a summary naming the knee.",
            discussion: "Writes <out>/latency-<scenario>/ (index.html, summary.md, metrics.json, CSVs, SVGs, .hgrm). Use a release build.")

        @OptionGroup var common: BenchOptions
        @Option(help: "Rule file.")
        var rules = "scenarios/rules/presets.yaml"
        @Option(help: "Folder for the report folder.")
        var out = "reports"
        @Option(parsing: .upToNextOption, help: "Offered loads as fractions of peak.")
        var loads: [Double] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2]
        @Option(help: "Recorded seconds per load.")
        var seconds = 1.5
        @Option(help: "Warm-up seconds per load (offered, not recorded).")
        var warmup = 0.5
        @Option(parsing: .upToNextOption, help: "Rule counts (beyond the file's: generated variants).")
        var ruleCounts = [1, 27, 100, 1000]
        @Option(parsing: .upToNextOption, help: "Store counts (the world replicated).")
        var storeCounts = [237, 1_000, 10_000, 100_000]
        @Option(help: "Live days of the stream for the store-count curve.")
        var cardinalityDays = 14
        @OptionGroup var languageOption: LanguageOption
        @OptionGroup var quietOption: QuietOption

        func runLab() throws {
            let options = LoadSweep.Options(scenarioPath: common.scenario, rulesPath: rules, seed: common.seed, loadFractions: loads, seconds: seconds,
                                            warmup: warmup, ruleCounts: ruleCounts, storeCounts: storeCounts, cardinalityDays: cardinalityDays,
                                            repeats: common.repeats)
            let bar = ProgressBar(quiet: quietOption.quiet)
            let sweep = try bar.around {
                try LoadSweep.run(options) { done, total, next in bar.update(done: Double(done), total: Double(total), detail: next) }
            }
            let folder = try sweep.writeReport(outDirectory: out, language: languageOption.language)
            if common.json { JSONOutput.print("bench_sweep_load", sweep.json); return }
            print("bench sweep-load: \(folder.path)/index.html")
            for v in sweep.verdicts { print("  \(v.what): \(v.figure) — \(v.met.map { $0 ? "met" : "not met" } ?? "")") }
            if let k = sweep.knee { print(String(format: "  knee: %.0f%% of peak", k.fraction * 100)) } else { print("  knee: none within the loads measured") }
        }
    }
}
