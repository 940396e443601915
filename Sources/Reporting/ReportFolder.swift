import Foundation
import WarRoomCore

/// Writes a report folder atomically: every file goes to a hidden temporary folder beside the
/// destination, which is then renamed into place, so a stopped run never leaves half a report.
public enum ReportFolder {
    /// Errors writing a report.
    public struct WriteError: Error, CustomStringConvertible {
        /// What failed.
        public var description: String
        /// Whether it failed because the disk is full (`Error.isOutOfSpace` of the cause).
        public var outOfSpace = false
    }

    /// Writes `files` (name → contents) as the folder `destination`, replacing an older one.
    ///
    /// - Parameter optional: names this kind of report writes only sometimes (a run without
    ///   rules has no `latency.hgrm`), which an older copy may hold and the new one replaces.
    /// - Throws: `WriteError` when `destination` is a file, or a folder holding anything this
    ///   report does not write (a folder of the user's is never replaced), or on a write failure.
    public static func write(_ files: [(name: String, contents: Data)], to destination: URL, optional: Set<String> = []) throws {
        try checkReplaceable(destination, by: Set(files.map(\.name)).union(optional))
        let fm = FileManager.default
        let parent = destination.deletingLastPathComponent()
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw WriteError(description: "cannot create \(parent.path): \(error.localizedDescription)", outOfSpace: error.isOutOfSpace)
        }
        let tag = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let temporary = parent.appendingPathComponent(".tmp-\(destination.lastPathComponent)-\(tag)")
        let old = parent.appendingPathComponent(".old-\(destination.lastPathComponent)-\(tag)")
        do {
            try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
            for file in files {
                precondition(!file.name.contains("/") && !file.name.hasPrefix("."), "report file names are plain")
                try file.contents.write(to: temporary.appendingPathComponent(file.name))
            }
            try install(temporary, as: destination, settingAside: old)
        } catch {
            try? fm.removeItem(at: temporary)
            throw WriteError(description: "cannot write the report to \(destination.path): \(error.localizedDescription)", outOfSpace: error.isOutOfSpace)
        }
    }

    /// Moves the finished folder `temporary` to `destination`, the older `destination` set aside
    /// at `old` until the new one is in place (and put back if the move fails), then removed.
    /// The caller has checked that the older folder may be replaced (`checkReplaceable`).
    public static func install(_ temporary: URL, as destination: URL, settingAside old: URL) throws {
        let fm = FileManager.default
        let hadOld = fm.fileExists(atPath: destination.path)
        if hadOld { try fm.moveItem(at: destination, to: old) }
        do { try fm.moveItem(at: temporary, to: destination) } catch {
            if hadOld { try? fm.moveItem(at: old, to: destination) }
            throw error
        }
        if hadOld { try? fm.removeItem(at: old) }
    }

    /// Throws unless `destination` is absent, or a folder whose every entry is one of `names`
    /// (the same kind of report written before): what a replacement may remove without losing
    /// anything of the user's.
    public static func checkReplaceable(_ destination: URL, by names: Set<String>) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: destination.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw WriteError(description: "\(destination.path) is a file, not a report folder: not replaced; choose another --out or move it")
        }
        let entries: [String]
        do { entries = try fm.contentsOfDirectory(atPath: destination.path) } catch {
            throw WriteError(description: "cannot read \(destination.path): \(error.localizedDescription)")
        }
        let foreign = entries.filter { !names.contains($0) }.sorted()
        guard foreign.isEmpty else {
            let shown = foreign.prefix(3).joined(separator: ", ") + (foreign.count > 3 ? ", …" : "")
            throw WriteError(description: "\(destination.path) holds files this report does not write (\(shown)): not replaced; "
                             + "choose another --out or move them")
        }
    }
}
