import Foundation
import Synchronization

/// SIGINT and SIGTERM for long commands: the first asks for a clean stop at the next safe point,
/// a second one exits at once (the run store's write-ahead log keeps the file sound either way).
enum StopSignals {
    /// Set by the first SIGINT or SIGTERM.
    static let requested = Atomic<Bool>(false)

    /// Whether a stop was asked for.
    static var isRequested: Bool { requested.load(ordering: .relaxed) }

    /// Installs the handlers.
    static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { _ in
                if StopSignals.requested.exchange(true, ordering: .relaxed) { _exit(130) }
            }
            sigaddset(&set, sig)
        }
        // A parent may have started us with these signals blocked (some launchers do): unblock them.
        sigprocmask(SIG_UNBLOCK, &set, nil)
    }
}
