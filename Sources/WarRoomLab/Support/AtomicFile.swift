import Foundation
import WarRoomCore

/// Writes a file whole or not at all: to a temporary file beside it, then renamed into place.
enum AtomicFile {
    /// Writes `data` to `path`, creating its folder; an existing file is replaced only once the new one is whole.
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            do { try data.write(to: temporary) } catch {
                try? FileManager.default.removeItem(at: temporary)  // a write cut short (disk full) leaves nothing
                throw error
            }
            // rename(2) replaces an existing file atomically; FileManager.replaceItemAt on Linux can
            // leave neither file behind when the target exists.
            if rename(temporary.path, url.path) != 0 {
                let code = errno
                try? FileManager.default.removeItem(at: temporary)
                var e = LabError("cannot write \(path): \(String(cString: strerror(code)))")
                e.outOfSpace = code == ENOSPC || code == EDQUOT
                throw e
            }
        } catch let error as LabError {
            throw error
        } catch {
            var e = LabError("cannot write \(path): \(error.localizedDescription)")
            e.outOfSpace = error.isOutOfSpace
            throw e
        }
    }
}
