import ArgumentParser
import Reporting
import WarRoomLab

extension WarRoom {
    /// `warroom validate`: a scenario file checked, not run.
    struct Validate: QuietLabCommand {
        static let configuration = CommandConfiguration(abstract: "Check a scenario file and say what is wrong, without running it.")

        @Argument(help: "The scenario file (YAML).")
        var scenario: String
        @Flag(help: "Print the scenario's size as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func runLab() throws {
            let s = try ScenarioCheck.check(path: scenario)
            if json { JSONOutput.print("validate", s.json); return }
            let rules = s.rules.map { ", \($0) rules (\(s.rulesFile ?? ""))" } ?? ""
            print("\(s.file): ok — \(s.name): \(s.stores) stores, \(s.historyDays) history days, \(s.liveDays) live days, \(s.shocks) shock\(s.shocks == 1 ? "" : "s")\(rules); "
                  + "estimated peak memory \(s.memoryMiB) MiB, about \(Format.count(s.liveEvents)) live events, run time about \(TimeEstimate.duration(s.seconds))")
        }
    }
}
