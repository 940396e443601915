import Foundation

/// A one-line progress bar on standard error: share done, rate and time left, redrawn at most
/// five times a second; silent when standard error is not a terminal, so `warroom run x > log`
/// still shows it while logs and pipes get only the final summary. Safe to update from several
/// threads.
final class ProgressBar: @unchecked Sendable {
    /// Whether standard error is a terminal (the bar is drawn only then).
    static let standardErrorIsTerminal = isatty(2) == 1

    private let lock = NSLock()
    private let started = Date()
    private var last = -1.0
    private let enabled: Bool
    private let width = 28

    /// A bar shown only on a terminal and when not `quiet`.
    init(quiet: Bool = false) { enabled = Self.standardErrorIsTerminal && !quiet }

    /// Redraws the bar: `done` of `total` work units, `detail` after it (e.g. a rate).
    func update(done: Double, total: Double, detail: String) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let elapsed = Date().timeIntervalSince(started)
        guard elapsed - last >= 0.2 || done >= total else { return }
        last = elapsed
        let share = total > 0 ? min(1, max(0, done / total)) : 1
        let filled = Int((share * Double(width)).rounded(.down))
        let left = share > 0 && share < 1 ? elapsed / share * (1 - share) : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = String(format: " %@ %3.0f%% · %@ · %.0f s, ~%.0f s left", bar, share * 100, detail, elapsed, left)
        write("\r" + line.padding(toLength: max(line.count, 100), withPad: " ", startingAt: 0))
    }

    /// Clears the bar's line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard enabled, last >= 0 else { return }
        write("\r" + String(repeating: " ", count: 100) + "\r")
    }

    /// Runs `body` and clears the bar after it, whether it returns or throws.
    func around<T>(_ body: () throws -> T) rethrows -> T {
        defer { finish() }
        return try body()
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
