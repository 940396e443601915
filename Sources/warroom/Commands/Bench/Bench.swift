import ArgumentParser

extension WarRoom {
    /// `warroom bench`: the lab's benchmarks.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Benchmarks (use a release build).",
                                                        subcommands: [Sim.self, Record.self, Engine.self, SweepLoad.self, Fit.self])
    }
}
