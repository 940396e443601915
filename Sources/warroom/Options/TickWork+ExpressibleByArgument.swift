import Alerting
import ArgumentParser

/// `--tick-work idle|inline|N`: where the engine evaluates due ticks in an open loop.
extension TickWork: ExpressibleByArgument {
    /// `idle` (deferred to the wait for the next event), `inline`, or a positive number N of key
    /// evaluations per event.
    public init?(argument: String) {
        switch argument {
        case "idle": self = .deferred
        case "inline": self = .inline
        default:
            guard let n = Int(argument), n > 0 else { return nil }
            self = .perEvent(n)
        }
    }

    /// The spelling of the value on the command line.
    public var defaultValueDescription: String {
        switch self {
        case .deferred: "idle"
        case .inline: "inline"
        case .perEvent(let n): String(n)
        }
    }

    /// The shell completes the two named values (a number is the third form).
    public static var defaultCompletionKind: CompletionKind { .list(["idle", "inline"]) }
}
