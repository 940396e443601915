import ArgumentParser
import WarRoomLab

/// `--target scenario|rules|data|all` of `warroom fuzz`.
enum FuzzTargets: String, CaseIterable, ExpressibleByArgument {
    /// The scenario decoder.
    case scenario
    /// The rule parser.
    case rules
    /// The CSV reader, the panel loader and the churn table's encoder.
    case data
    /// Each of them, in turn.
    case all

    /// The lab's targets this selects.
    var targets: [Fuzzer.Target] {
        switch self {
        case .scenario: [.scenario]
        case .rules: [.rules]
        case .data: [.data]
        case .all: Fuzzer.Target.allCases
        }
    }
}
