import ArgumentParser
import Foundation

/// `--quiet`: nothing on standard output (errors still go to standard error); the exit status
/// says how it went.
struct QuietOption: ParsableArguments {
    @Flag(help: "Print nothing on standard output (errors still go to standard error); the exit status says how it went.")
    var quiet = false

    /// Sends standard output to /dev/null when quiet.
    func apply() {
        guard quiet else { return }
        let null = open("/dev/null", O_WRONLY)
        if null >= 0 { dup2(null, 1); close(null) }
    }
}
