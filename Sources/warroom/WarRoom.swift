import ArgumentParser
import WarRoomLab

/// The `warroom` command line: parsing and printing only; the work is in WarRoomLab.
@main
struct WarRoom: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warroom",
        abstract: "A simulation and forecasting lab for real-time sales operations.",
        version: WarRoomLab.version,
        subcommands: [Run.self, Sweep.self, Merge.self, Backtest.self, Forecast.self, Churn.self, Stream.self, Validate.self, Runs.self,
                      Report.self, Compare.self, Export.self, Bench.self, Fuzz.self, Soak.self]
    )
}
