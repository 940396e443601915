import Foundation

/// What one `warroom` invocation gave: its exit status, standard output and standard error.
public struct WarroomResult: Sendable {
    /// The exit status.
    public var status: Int32
    /// Everything written to standard output.
    public var out: String
    /// Everything written to standard error.
    public var err: String
}

/// The `warroom` executable could not be found next to the test bundle or in `.build/debug`.
public struct MissingExecutable: Error, CustomStringConvertible {
    /// Where it was last looked for.
    public var path: String
    /// The message.
    public var description: String { "warroom executable not found (last looked at \(path)); build it with swift build" }
}

/// The built `warroom` executable, next to the test bundle (or in `.build/debug`).
public func warroomExecutable() throws -> URL {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("warroom")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    let fallback = Repository.root.appendingPathComponent(".build/debug/warroom")
    guard FileManager.default.isExecutableFile(atPath: fallback.path) else { throw MissingExecutable(path: fallback.path) }
    return fallback
}

/// Runs `warroom` with `arguments` in `folder` and waits for it to end.
public func runWarroom(_ arguments: [String], in folder: URL) throws -> WarroomResult {
    try runWarroom(arguments, in: folder, timeout: .infinity).result
}

/// How a `warroom` invocation under a time limit ended: its result, the signal that ended it (a
/// crash), and whether it was stopped for running past the limit (a hang).
public struct WarroomEnding: Sendable {
    /// Exit status (or the signal's number), standard output and standard error.
    public var result: WarroomResult
    /// The signal that ended the process, when one did.
    public var signal: Int32?
    /// Whether the process was killed at the time limit.
    public var timedOut: Bool
    /// Wall-clock seconds until it ended.
    public var seconds: Double
}

/// Runs `warroom` with `arguments` in `folder`, killing it after `timeout` seconds.
public func runWarroom(_ arguments: [String], in folder: URL, timeout: Double) throws -> WarroomEnding {
    let process = Process()
    process.executableURL = try warroomExecutable()
    process.arguments = arguments
    process.currentDirectoryURL = folder
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let started = Date()
    try process.run()
    // Drained on their own threads, so the deadline below is kept even while output flows.
    let drained = DispatchGroup()
    nonisolated(unsafe) var o = Data(), e = Data()
    DispatchQueue.global().async(group: drained) { o = out.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: drained) { e = err.fileHandleForReading.readDataToEndOfFile() }
    var timedOut = false
    while process.isRunning {
        if Date().timeIntervalSince(started) > timeout {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            break
        }
        Thread.sleep(forTimeInterval: 0.005)
    }
    process.waitUntilExit()
    drained.wait()
    let signal = process.terminationReason == .uncaughtSignal && !timedOut ? process.terminationStatus : nil
    return WarroomEnding(result: WarroomResult(status: process.terminationStatus, out: String(decoding: o, as: UTF8.self),
                                               err: String(decoding: e, as: UTF8.self)),
                         signal: signal, timedOut: timedOut, seconds: Date().timeIntervalSince(started))
}
