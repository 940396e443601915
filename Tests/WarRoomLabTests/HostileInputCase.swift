import Foundation
import RunStore
import WarRoomCore
import WarRoomTestSupport

/// One generated hostile input: the files it is made of, the command that reads them, and what
/// a careful program must do with it.
struct HostileCase {
    /// What the case must end in.
    enum Expectation {
        /// A clear error: a non-zero exit, one line on stderr naming the input.
        case refused
        /// A documented handling: exit 0 and the output in place.
        case handled
        /// Either of the two (a random cut or mutation that may still be valid input).
        case either
    }

    /// The input class (a row of the table).
    var kind: String
    /// The case within its class.
    var name: String
    /// `warroom`'s arguments, run in the case's own folder.
    var arguments: [String]
    /// Files written into the folder first (relative path → bytes).
    var files: [String: Data] = [:]
    var expect: Expectation
    /// The name an error message must mention (the file read), if any.
    var mentions: String?
    /// Paths that must not exist after a refusal (no partial output).
    var outputs: [String] = ["out"]
    /// Paths that must exist after a success.
    var produces: [String] = []
    /// A run store that must be sound (`PRAGMA integrity_check`) whenever a run was written to it.
    var store: String?
    /// Input files the command may change when it succeeds (a run store it writes to); on a
    /// refusal every input is left as it was.
    var mayChange: Set<String> = []
    /// Extra preparation of the folder (directories, copies of a template store).
    var prepare: ((URL) throws -> Void)?
}

/// How a hostile case ended.
enum HostileOutcome: String, CaseIterable {
    case clearError = "clear error", handled, crash, hang, silent = "silent failure", partial = "partial output", corrupted = "corrupted store"

    /// Whether the outcome is one the program may give.
    var isSound: Bool { self == .clearError || self == .handled }
}

extension HostileCase {
    /// Writes the case's files, runs it with a 20 s limit, and says how it ended (and why, when
    /// it ended badly).
    func run() throws -> (HostileOutcome, String) {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (path, data) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        try prepare?(folder)
        // Every file the case starts with must be as it was, whatever happens (the user's data).
        let before = try snapshot(folder)
        let ending = try runWarroom(arguments, in: folder, timeout: 20)
        let r = ending.result
        let detail = "status \(r.status), \(String(format: "%.1f", ending.seconds)) s: \(r.err.prefix(300))"
        if ending.timedOut { return (.hang, detail) }
        if ending.signal != nil || r.err.contains("Fatal error") { return (.crash, detail) }
        var changed: [String] = []
        for (path, digest) in before.sorted(by: { $0.key < $1.key }) where try snapshotFile(folder.appendingPathComponent(path)) != digest {
            changed.append(path)
        }
        if let path = changed.first(where: { r.status != 0 || !mayChange.contains($0) }) { return (.partial, "\(path) changed; " + detail) }
        var isDirectory: ObjCBool = false
        if let store, r.status == 0 || !before.keys.contains(store),
           FileManager.default.fileExists(atPath: folder.appendingPathComponent(store).path, isDirectory: &isDirectory), !isDirectory.boolValue {
            let check = try? RunStore(path: folder.appendingPathComponent(store).path).integrityCheck()
            if check != "ok" { return (.corrupted, "integrity_check: \(check ?? "cannot open"); " + detail) }
        }
        if r.status == 0 {
            if expect == .refused { return (.silent, "accepted; " + detail) }
            for path in produces where !FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path) {
                return (.partial, "exit 0 without \(path); " + detail)
            }
            return (.handled, detail)
        }
        if expect == .handled { return (.silent, "refused a documented handling; " + detail) }
        for path in outputs where FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path) && !before.keys.contains(path) {
            return (.partial, "\(path) left behind; " + detail)
        }
        // A clear error: one line, `error: …`, naming what was read.
        let lines = r.err.split(separator: "\n")
        guard lines.count == 1, lines[0].hasPrefix("error: ") else { return (.silent, "not one error line; " + detail) }
        if let mentions, !r.err.contains(mentions) { return (.silent, "the error does not name \(mentions); " + detail) }
        return (.clearError, detail)
    }

    /// A digest of every file under `folder` (relative path → SHA-256 of its bytes).
    private func snapshot(_ folder: URL) throws -> [String: String] {
        var digests: [String: String] = [:]
        let base = folder.standardizedFileURL.path
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) ?? .init() {
            let path = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
            if let d = try snapshotFile(url) { digests[path] = d }
        }
        return digests
    }

    /// The SHA-256 of a regular file's bytes; nil for a directory or a missing file.
    private func snapshotFile(_ url: URL) throws -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        return SHA256.hex(try Data(contentsOf: url))
    }
}

/// The per-class table of outcomes: tried, then a count per outcome.
struct HostileTable {
    private var counts: [(kind: String, outcomes: [HostileOutcome: Int])] = []
    /// The cases that ended badly, with why.
    private(set) var failures: [String] = []

    /// Adds a case's outcome.
    mutating func add(_ c: HostileCase, _ outcome: HostileOutcome, _ detail: String) {
        if let i = counts.firstIndex(where: { $0.kind == c.kind }) { counts[i].outcomes[outcome, default: 0] += 1 } else {
            counts.append((c.kind, [outcome: 1]))
        }
        if !outcome.isSound { failures.append("\(c.kind) / \(c.name): \(outcome.rawValue): \(detail)") }
    }

    /// The table as Markdown.
    var markdown: String {
        let columns = HostileOutcome.allCases
        var text = "| class | tried | " + columns.map(\.rawValue).joined(separator: " | ") + " |\n"
        text += "|---|--:|" + String(repeating: "--:|", count: columns.count) + "\n"
        var total = [HostileOutcome: Int]()
        for row in counts {
            let tried = row.outcomes.values.reduce(0, +)
            text += "| \(row.kind) | \(tried) | " + columns.map { String(row.outcomes[$0] ?? 0) }.joined(separator: " | ") + " |\n"
            for (k, v) in row.outcomes { total[k, default: 0] += v }
        }
        text += "| all | \(total.values.reduce(0, +)) | " + columns.map { String(total[$0] ?? 0) }.joined(separator: " | ") + " |\n"
        return text
    }
}
