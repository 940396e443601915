import ArgumentParser

/// The options every benchmark on a scenario takes.
struct BenchOptions: ParsableArguments {
    @Option(help: "Scenario file.")
    var scenario = "scenarios/east-china-medical.yaml"
    @Option(help: "Seed (default: the scenario's).")
    var seed: UInt64?
    @Option(help: "Repetitions; the median is reported.")
    var repeats = 3
    @Flag(help: "Print JSON.")
    var json = false
}
