import ArgumentParser
import WarRoomLab

/// `--target scenario|rules|panel|customers|data|all` of `warroom fuzz`.
enum FuzzTargets: String, CaseIterable, ExpressibleByArgument {
    /// The scenario decoder.
    case scenario
    /// The rule parser.
    case rules
    /// The CSV reader and the panel loader.
    case panel
    /// The CSV reader and the churn table's encoder.
    case customers
    /// Both data targets: panel and customers.
    case data
    /// Each of them, in turn.
    case all

    /// The lab's targets this selects.
    var targets: [Fuzzer.Target] {
        switch self {
        case .scenario: [.scenario]
        case .rules: [.rules]
        case .panel: [.panel]
        case .customers: [.customers]
        case .data: [.panel, .customers]
        case .all: Fuzzer.Target.allCases
        }
    }
}
