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
    let process = Process()
    process.executableURL = try warroomExecutable()
    process.arguments = arguments
    process.currentDirectoryURL = folder
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Both pipes drained before waiting, so a chatty run cannot block on a full pipe.
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return WarroomResult(status: process.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
}
