import CSQLite3
import Foundation

/// An error from SQLite, with the statement or operation that failed.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// SQLite's result code.
    public var code: Int32
    /// SQLite's message.
    public var message: String
    /// What was being done.
    public var context: String

    /// One line for the user.
    public var description: String { "run store: \(context): \(message) (SQLite code \(code))" }

    /// Whether the write failed because the disk (or the file system's quota) is full.
    public var isDiskFull: Bool { code & 0xff == SQLITE_FULL }
}

/// SQLite's "copy the value now" destructor, which Swift cannot import as a constant.
let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A connection to one SQLite file. The only place in WarRoom that touches SQLite.
final class Database {
    let handle: OpaquePointer
    let path: String
    /// How long a write waits for another connection's write lock, in milliseconds.
    let busyMilliseconds: Int32
    /// Says who holds the write lock when a write has waited in vain (set by the run store).
    var describeLockHolder: (() -> String?)?

    /// Opens (creating if needed) the database at `path`.
    init(path: String, busyMilliseconds: Int32 = 10_000) throws {
        self.busyMilliseconds = busyMilliseconds
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: message, context: "opening \(path)")
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, busyMilliseconds)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs one or more statements without parameters.
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "error"
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: message, context: String(sql.prefix(80)))
        }
    }

    /// Prepares a statement for repeated use.
    func prepare(_ sql: String) throws -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), context: "preparing \(sql.prefix(80))")
        }
        return Statement(stmt, db: self, sql: sql)
    }

    /// Runs `body` in one transaction, rolled back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        do {
            try execute("BEGIN IMMEDIATE")
        } catch let e as SQLiteError where e.code == SQLITE_BUSY {
            let holder = describeLockHolder?() ?? "another process"
            throw SQLiteError(code: e.code, message: "\(holder) has been writing to it for more than \(Double(busyMilliseconds) / 1000) s; "
                              + "try again when it has finished", context: "\(path) is locked")
        }
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    func error(_ rc: Int32, _ context: String) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), context: context)
    }
}

/// A prepared statement; parameters are bound by 1-based index.
final class Statement {
    let handle: OpaquePointer
    unowned let db: Database
    let sql: String

    init(_ handle: OpaquePointer, db: Database, sql: String) {
        self.handle = handle
        self.db = db
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    @inline(__always) func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(handle, i, v) }
    @inline(__always) func bind(_ i: Int32, _ v: Int) { sqlite3_bind_int64(handle, i, Int64(v)) }
    @inline(__always) func bind(_ i: Int32, _ v: Double) { sqlite3_bind_double(handle, i, v) }
    func bind(_ i: Int32, _ v: String) { sqlite3_bind_text(handle, i, v, -1, transient) }
    func bindNull(_ i: Int32) { sqlite3_bind_null(handle, i) }
    func bind(_ i: Int32, _ v: String?) { if let v { bind(i, v) } else { bindNull(i) } }
    func bind(_ i: Int32, _ v: Int64?) { if let v { bind(i, v) } else { bindNull(i) } }
    func bind(_ i: Int32, _ v: Double?) { if let v { bind(i, v) } else { bindNull(i) } }

    /// Executes a statement that returns no rows, then resets it for reuse.
    @inline(__always) func run() throws {
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        if rc != SQLITE_DONE && rc != SQLITE_ROW { throw db.error(rc, "running \(sql.prefix(60))") }
    }

    /// Steps to the next row; false when done.
    func next() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw db.error(rc, "reading \(sql.prefix(60))")
    }

    /// Resets for reuse and clears bindings.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Columns of the result.
    var columnCount: Int32 { sqlite3_column_count(handle) }
    /// The name of a result column.
    func columnName(_ col: Int32) -> String { sqlite3_column_name(handle, col).map { String(cString: $0) } ?? "" }
    /// Whether a column of the current row holds an integer, a real or text.
    func isInteger(_ col: Int32) -> Bool { sqlite3_column_type(handle, col) == SQLITE_INTEGER }
    func isReal(_ col: Int32) -> Bool { sqlite3_column_type(handle, col) == SQLITE_FLOAT }

    func int(_ col: Int32) -> Int64 { sqlite3_column_int64(handle, col) }
    func double(_ col: Int32) -> Double { sqlite3_column_double(handle, col) }
    func isNull(_ col: Int32) -> Bool { sqlite3_column_type(handle, col) == SQLITE_NULL }
    func text(_ col: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, col) else { return nil }
        return String(cString: p)
    }
}
