import Dispatch
import Foundation
@testable import RunStore
import Synchronization
import Testing
import WarRoomCore
import WarRoomTestSupport

@Suite("Files that are not run stores, and stores opened at once")
struct NotARunStoreTests {
    /// Opens `path` as a run store and returns the reason it refused, or nil if it opened.
    func refusal(_ path: String) -> String? {
        do {
            _ = try RunStore(path: path)
            return nil
        } catch let e as NotARunStore {
            #expect(e.path == path && e.description.hasPrefix("\(path) is not a run store: "))
            return e.reason
        } catch {
            Issue.record("unexpected error: \(error)")
            return "\(error)"
        }
    }

    @Test("A directory, a text file, random bytes and another program's SQLite database are refused and left as they were")
    func refusedUntouched() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(refusal(folder.path) == "it is a directory")

        let text = folder.appendingPathComponent("notes.txt")
        try Data("my notes\n".utf8).write(to: text)
        var rng = RandomStream(seed: 3, stream: .synthetic, entity: 0)
        let random = folder.appendingPathComponent("random.bin")
        try Data((0..<8192).map { _ in UInt8(truncatingIfNeeded: rng.next()) }).write(to: random)
        for file in [text, random] {
            let before = try Data(contentsOf: file)
            #expect(refusal(file.path) == "it is not a SQLite database")
            #expect(try Data(contentsOf: file) == before)
        }

        let foreign = folder.appendingPathComponent("contacts.db")
        do {
            let db = try Database(path: foreign.path)
            try db.execute("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ann');")
        }
        let before = try Data(contentsOf: foreign)
        #expect(refusal(foreign.path) == "it is another program's SQLite database (it holds: contacts)")
        #expect(try Data(contentsOf: foreign) == before)
        #expect(!FileManager.default.fileExists(atPath: foreign.path + "-wal"))

        // An empty file is a new store, and a store opens again.
        let empty = folder.appendingPathComponent("empty.db")
        _ = FileManager.default.createFile(atPath: empty.path, contents: Data())
        #expect(refusal(empty.path) == nil)
        #expect(refusal(empty.path) == nil)
    }

    @Test("A store with a damaged page: opened to read, refused to a writer (verify) and left as it was")
    func damagedPage() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("runs.db").path
        do {
            let store = try RunStore(path: path)
            try store.db.execute("PRAGMA journal_mode = DELETE")  // one file, so the damage below is the whole story
        }
        let pageSize = 4096
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        try #require(bytes.count >= 4 * pageSize)
        // Page 3 (a table's b-tree page) overwritten: the header still says "SQLite format 3".
        for i in (2 * pageSize)..<(3 * pageSize) { bytes[i] = 0xFF }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try RunStore(path: path, verify: true)
            Issue.record("a damaged store was opened for writing")
        } catch let e as NotARunStore {
            #expect(e.reason.hasPrefix("it is a damaged run store (PRAGMA quick_check: ") && !e.description.contains("\n"), "\(e)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes))
    }

    @Test("A store another process keeps locked: a wait, then an error naming the lock and the running runs")
    func lockedStore() throws {
        let path = temporaryDatabasePath()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let layout = WorldLayout(world: WorldSpec(regions: [RegionSpec(name: "East", cities: [CitySpec(name: "Alpha", stores: 2)])], categories: []),
                                 storesPerRep: 1)
        let first = try RunStore(path: path)
        _ = try first.beginRun(id: "long", scenarioName: "s", scenarioPath: "s.yaml", scenarioHash: "", scenarioText: "", seed: 1, layout: layout)
        let holder = try Database(path: path)
        // A run another machine is making in this shared store: named as the possible holder.
        try holder.execute("""
            INSERT INTO runs (id, scenario_name, scenario_path, scenario_hash, scenario_text, seed, status, started_at, pid, host)
            VALUES ('elsewhere', 's', 's.yaml', '', '', 1, 'running', '2026-12-01T00:00:00Z', 4242, 'other-host')
            """)
        try holder.execute("BEGIN IMMEDIATE")
        defer { try? holder.execute("ROLLBACK") }
        // Reading still works while another connection writes (WAL); writing waits, then says why.
        let second = try RunStore(path: path, busyTimeout: 0.3)
        #expect(try second.runs().count == 2)
        let started = Date()
        #expect {
            _ = try second.beginRun(id: "next", scenarioName: "s", scenarioPath: "s.yaml", scenarioHash: "", scenarioText: "", seed: 1, layout: layout)
        } throws: { error in
            // This process's own run is not the holder: the lock is another process's.
            "\(error)" == "run store: \(path) is locked: another process (runs in progress: run 2, process 4242 on other-host) "
                + "has been writing to it for more than 0.3 s; try again when it has finished (SQLite code 5)"
        }
        #expect(Date().timeIntervalSince(started) >= 0.25)
    }

    @Test("Eight connections opening one new file at once all migrate it once and can write", arguments: 0..<10)
    func concurrentOpens(round: Int) throws {
        let path = temporaryDatabasePath()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let layout = WorldLayout(world: WorldSpec(regions: [RegionSpec(name: "East", cities: [CitySpec(name: "Alpha", stores: 2)])], categories: []),
                                 storesPerRep: 1)
        let failures = Mutex<[String]>([])
        // A writer holds the new file while the eight start, so that they all wait at their first
        // write and race once it lets go (where an unguarded migration fails).
        nonisolated(unsafe) let holder = try Database(path: path)
        try holder.execute("BEGIN IMMEDIATE")
        let release = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            try? holder.execute("COMMIT")
        }
        release.start()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            do {
                let store = try RunStore(path: path)
                _ = try store.beginRun(id: "r\(round)-\(i)", scenarioName: "s", scenarioPath: "s.yaml", scenarioHash: "", scenarioText: "",
                                       seed: 1, layout: layout)
            } catch {
                failures.withLock { $0.append("\(i): \(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let store = try RunStore(path: path)
        #expect(try store.runs().count == 8)
        #expect(try store.integrityCheck() == "ok")
    }
}

@Suite("Run store migrations")
struct MigrationTests {
    @Test("A store of the previous schema opens migrated: its runs kept, the indices made, user_version set")
    func fromPreviousSchema() throws {
        let path = temporaryDatabasePath()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        // A store as schema 8 wrote it (actions' parameters as text only), and one run.
        do {
            let db = try Database(path: path)
            try db.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            for m in Migrations.all where m.version <= 8 {
                try db.execute(m.sql)
                try db.execute("INSERT INTO schema_migrations VALUES (\(m.version), '2026-11-01T00:00:00Z')")
            }
            try db.execute("""
                INSERT INTO runs (number, id, scenario_name, scenario_path, scenario_hash, scenario_text, seed, status, started_at)
                VALUES (1, 'old', 's', 's.yaml', '', '', 1, 'finished', '2026-11-01T00:00:00Z')
                """)
            // Actions as runs before schema 8 stored them: parameters only as text.
            try db.execute("""
                INSERT INTO actions (run, alert_seq, action, parameters, place, start_ms, end_ms, effect, applied) VALUES
                    (1, 1, 'campaign', 'videos=2000 channel=KOL live "x"', 'city:Hangzhou', 0, 1, '', 1),
                    (1, 2, 'task-card', '', 'store:1', 0, 1, '', 0)
                """)
        }
        let store = try RunStore(path: path)
        #expect(try store.runs().map(\.id) == ["old"])
        let db = try Database(path: path)
        func scalar(_ sql: String) throws -> String {
            let s = try db.prepare(sql)
            _ = try s.next()
            defer { s.reset() }
            return s.text(0) ?? "\(s.int(0))"
        }
        #expect(try scalar("PRAGMA user_version") == "\(RunStore.schemaVersion)")
        #expect(try scalar("SELECT MAX(version) FROM schema_migrations") == "\(RunStore.schemaVersion)")
        // Every action has its parameters as JSON now, read from the text.
        #expect(try scalar("SELECT parameters_json FROM actions WHERE alert_seq = 1") == #"{"videos":"2000","channel":"KOL live \"x\""}"#)
        #expect(try scalar("SELECT parameters_json FROM actions WHERE alert_seq = 2") == "{}")
        #expect(try scalar("SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name)")
                == "alerts_by_rule,runs_by_status")
        // Schema 10: each alert's evidence and emission times.
        #expect(try scalar("SELECT count(*) FROM pragma_table_info('alerts') WHERE name IN ('evidence_ms', 'emitted_ms')") == "2")
    }
}
