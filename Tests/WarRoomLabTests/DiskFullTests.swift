import Foundation
import RunStore
import Testing
import WarRoomTestSupport

/// Runs `/bin/mount` or `/bin/umount` with `arguments`; whether it succeeded.
@discardableResult
private func mountCommand(_ tool: String, _ arguments: [String]) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/\(tool)")
    process.arguments = arguments
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}

/// A tmpfs of `size` on a new folder, or nil when this machine does not let the tests mount one.
private func tmpfs(size: String) -> URL? {
    guard getuid() == 0 else { return nil }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("warroom-fs-\(UUID().uuidString)")
    guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil else { return nil }
    guard mountCommand("mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", folder.path]) else {
        try? FileManager.default.removeItem(at: folder)
        return nil
    }
    return folder
}

/// Runs `body` with a tmpfs of `size` (its store path `runs.db`) and a temporary working folder,
/// then unmounts and removes both.
private func withSmallDisk(size: String, _ body: (_ db: String, _ disk: URL, _ folder: URL) throws -> Void) throws {
    let disk = try #require(tmpfs(size: size))
    defer {
        mountCommand("umount", [disk.path])
        try? FileManager.default.removeItem(at: disk)
    }
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try body(disk.appendingPathComponent("runs.db").path, disk, folder)
}

/// Whether this machine lets the tests mount a tmpfs (root with the mount capability, as in
/// CI); the suite is skipped elsewhere.
private let canMount: Bool = {
    guard let probe = tmpfs(size: "64k") else { return false }
    mountCommand("umount", [probe.path])
    try? FileManager.default.removeItem(at: probe)
    return true
}()

@Suite("Disks that fill up or cannot be written", .enabled(if: canMount, "needs tmpfs mounts (root with mount)"))
struct DiskFullTests {
    @Test("The run stops cleanly: an error, the run marked interrupted, the store sound, no report")
    func diskFull() throws {
        try withSmallDisk(size: "1m") { db, disk, folder in
            // 90,000 recorded events take several MiB: the disk fills up during the live days.
            let r = try runWarroom(["run", Repository.backtestScenario, "--db", db, "--out", "out", "--record-events"], in: folder)
            #expect(r.status == 74 && r.err.contains("interrupted: the disk is full (run store: COMMIT: database or disk is full"), "\(r.err)")
            // The store opens and reads on the full disk; the run is marked interrupted, or, when not
            // even that could be written, still running until an opening that can write marks it.
            let full = try RunStore(path: db)
            #expect([[.interrupted], [.running]].contains(try full.runs().map(\.status)))
            #expect(try full.integrityCheck() == "ok")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
            try #require(mountCommand("mount", ["-o", "remount,size=16m", disk.path]))
            let freed = try RunStore(path: db)
            #expect(try freed.runs().map(\.status) == [.interrupted])
            #expect(try freed.integrityCheck() == "ok")
        }
    }

    @Test("A store on a read-only file system: a clear error before anything is tried, the store as it was")
    func readOnly() throws {
        try withSmallDisk(size: "4m") { db, disk, folder in
            let first = try runWarroom(["run", Repository.smokeScenario, "--db", db, "--out", "out", "--quiet"], in: folder)
            #expect(first.status == 0, "\(first.err)")
            let before = try Data(contentsOf: URL(fileURLWithPath: db))
            try #require(mountCommand("mount", ["-o", "remount,ro", disk.path]))
            let r = try runWarroom(["run", Repository.smokeScenario, "--db", db, "--out", "out2"], in: folder)
            #expect(r.status == 1 && r.err.contains("the file or its folder cannot be written (a read-only file system, or permissions)"), "\(r.err)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out2").path))
        }
    }
}
