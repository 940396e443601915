import CSQLite3
import Foundation

/// What opening a store checks before it writes anything: that the file is a run store, that its
/// pages are sound (for writers), and who holds the lock when a write waits in vain.
extension RunStore {
    /// Who may hold the write lock: "another process", with the runs other processes have
    /// recorded as running ("run N, process P on host H"); this process's own runs are left out.
    func runningRuns() -> String? {
        guard let s = try? db.prepare("SELECT number, pid, host FROM runs WHERE status = 'running' ORDER BY number") else { return nil }
        var names: [String] = []
        while (try? s.next()) == true {
            let pid = s.int(1), host = s.text(2) ?? "?"
            if pid == Int64(getpid()) && host == RunStore.hostName { continue }
            names.append("run \(s.int(0)), process \(pid) on \(host)")
        }
        s.reset()
        return names.isEmpty ? nil : "another process (runs in progress: \(names.joined(separator: "; ")))"
    }

    /// Runs `body` again while SQLite says the file is busy or locked, for at most `seconds`.
    static func retryingWhileBusy(seconds: Double, _ body: () throws -> Void) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            do {
                return try body()
            } catch let e as SQLiteError where (e.code == SQLITE_BUSY || e.code == SQLITE_LOCKED) && Date() < deadline {
                usleep(10_000)
            }
        }
    }

    /// Whether `db` is empty (a new store) or holds a run store's tables; throws `NotARunStore`
    /// for anything else.
    static func checkIsRunStore(_ db: Database) throws {
        var tables: [String] = []
        do {
            // Every schema object: a database of views, triggers or indices only is not empty.
            let s = try db.prepare("SELECT name FROM sqlite_master ORDER BY name")
            while try s.next() { tables.append(s.text(0) ?? "") }
            s.reset()
        } catch let e as SQLiteError where e.code == SQLITE_NOTADB {
            throw NotARunStore(path: db.path, reason: "it is not a SQLite database")
        } catch let e as SQLiteError where e.code == SQLITE_CORRUPT {
            throw NotARunStore(path: db.path, reason: "it is a damaged SQLite file (\(e.message))")
        }
        // A store this program began (its first migration may have been cut short) or finished.
        if tables.isEmpty || tables.contains("schema_migrations") { return }
        let shown = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
        throw NotARunStore(path: db.path, reason: "it is another program's SQLite database (it holds: \(shown))")
    }

    /// The largest store `verify` checks page by page (about 0.3 s per 100 MiB here): 1 GiB.
    public static let verifyLimit = 1 << 30

    /// Refuses a store whose pages do not check out (`PRAGMA quick_check`), before anything is written.
    static func checkPages(_ db: Database) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: db.path)[.size] as? Int) ?? 0
        guard size <= verifyLimit else { return }
        var problems: [String] = []
        do {
            let s = try db.prepare("PRAGMA quick_check(3)")
            while try s.next() {
                // SQLite's report: lines such as "*** in database main ***" and "Page 36: …".
                problems += (s.text(0) ?? "").split(separator: "\n").map(String.init).filter { !$0.hasPrefix("***") }
            }
            s.reset()
        } catch let e as SQLiteError where e.code & 0xff == SQLITE_CORRUPT || e.code & 0xff == SQLITE_NOTADB {
            problems = [e.message]
        }
        guard problems != ["ok"] else { return }
        throw NotARunStore(path: db.path, reason: "it is a damaged run store (PRAGMA quick_check: \(problems.joined(separator: "; ").prefix(300))): "
                           + "restore it from a copy, or save what is readable with sqlite3's .recover")
    }
}
