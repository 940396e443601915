import Foundation
import RunStore
import Testing
import WarRoomTestSupport

/// A 1 MiB tmpfs, mounted for the suite when this machine lets the tests mount one (root with
/// the mount capability, as in CI); the suite is skipped elsewhere.
private let smallDisk: URL? = {
    guard getuid() == 0 else { return nil }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("warroom-full-\(UUID().uuidString)")
    guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil else { return nil }
    let mount = Process()
    mount.executableURL = URL(fileURLWithPath: "/bin/mount")
    mount.arguments = ["-t", "tmpfs", "-o", "size=1m", "tmpfs", folder.path]
    mount.standardError = FileHandle.nullDevice
    guard (try? mount.run()) != nil else { return nil }
    mount.waitUntilExit()
    return mount.terminationStatus == 0 ? folder : nil
}()

@Suite("A disk that fills up mid-run", .enabled(if: smallDisk != nil, "needs a 1 MiB tmpfs (root with mount)"))
struct DiskFullTests {
    @Test("The run fails cleanly: an error, the run marked failed, the store sound, no report")
    func diskFull() throws {
        let disk = try #require(smallDisk)
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [disk.path]
            try? umount.run()
            umount.waitUntilExit()
            try? FileManager.default.removeItem(at: disk)
        }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = disk.appendingPathComponent("runs.db").path
        // 90,000 recorded events take several MiB: the disk fills up during the live days.
        let r = try runWarroom(["run", Repository.backtestScenario, "--db", db, "--out", "out", "--record-events"], in: folder)
        #expect(r.status == 1 && r.err.contains("failed: run store: COMMIT: database or disk is full"), "\(r.err)")
        let store = try RunStore(path: db)
        #expect(try store.runs().map(\.status) == [.failed])
        #expect(try store.integrityCheck() == "ok")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }
}
