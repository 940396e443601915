import CSQLite3
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import WarRoomCore

/// A run's lifecycle state in the store.
public enum RunStatus: String, Sendable, CaseIterable {
    /// Being simulated now (or orphaned by a crash).
    case running
    /// Finished, with its report.
    case finished
    /// Stopped by an error.
    case failed
    /// Stopped by a signal or a crash.
    case interrupted
}

/// One run as the store records it.
public struct RunRecord: Sendable, Equatable {
    /// Row number, used as the key of the run's rows in every table.
    public var number: Int64
    /// The run's id, e.g. `east-china-medical-s7-20261129T031500Z`.
    public var id: String
    /// Scenario name.
    public var scenarioName: String
    /// Scenario file path as given.
    public var scenarioPath: String
    /// SHA-256 of the scenario text, hex.
    public var scenarioHash: String
    /// The scenario's full text, so any run can be reproduced.
    public var scenarioText: String
    /// The seed.
    public var seed: UInt64
    /// Lifecycle state.
    public var status: RunStatus
    /// Start time, ISO 8601 UTC.
    public var startedAt: String
    /// End time, ISO 8601 UTC.
    public var finishedAt: String?
    /// Digest of the live event stream.
    public var eventDigest: String?
    /// Number of live events.
    public var events: Int64?
    /// Wall time of the simulation.
    public var wallSeconds: Double?
    /// Where the report was written.
    public var reportPath: String?
    /// The report's metrics.json text.
    public var metricsJSON: String?
    /// How the run was made beyond its scenario and seed (nil for runs stored before these were kept).
    public var source: RunSource?
    /// The run's wall-clock measurements (JSON), kept so its report can be re-created.
    public var measurementsJSON: String?
}

/// How a run was made beyond its scenario text and seed: the rules as run, the options, the
/// report's language. With the scenario text and the seed it is enough to simulate the run again.
public struct RunSource: Sendable, Equatable {
    /// The rule file as given (nil: the run had no rules).
    public var rulesPath: String?
    /// The rule file's text as run.
    public var rulesText: String?
    /// Whether alerts' actions acted on the simulated world.
    public var applyActions: Bool
    /// Whether the full event log was stored.
    public var recordEvents: Bool
    /// The report's language code (`en`, `zh`).
    public var language: String

    /// Creates a source.
    public init(rulesPath: String?, rulesText: String?, applyActions: Bool, recordEvents: Bool, language: String) {
        self.rulesPath = rulesPath
        self.rulesText = rulesText
        self.applyActions = applyActions
        self.recordEvents = recordEvents
        self.language = language
    }
}

/// The SQLite run store: every run, its observed panels, its truth and (optionally) its events.
///
/// Every write happens in a transaction; the file uses WAL journaling so a crash never leaves
/// it corrupt.
public final class RunStore {
    let db: Database
    /// The file's path.
    public var path: String { db.path }

    /// Opens or creates the store at `path`, applies any pending migrations, and marks as
    /// `interrupted` the runs left `running` by a process of this machine that no longer exists
    /// (killed, crashed, powered off).
    ///
    /// - Throws: `NotARunStore` when `path` is a directory, not a SQLite file, a damaged one, or
    ///   another program's SQLite database (left exactly as it was); `SQLiteError` otherwise.
    ///
    /// - Parameters:
    ///   - busyTimeout: how long a write waits for another process's write, in seconds.
    ///   - verify: whether to check every page first (`PRAGMA quick_check`, for stores up to
    ///     `verifyLimit`), so that a run is never added to a store already damaged where its own
    ///     writes would not notice (a page overwritten in another table): the writers pass true.
    public init(path: String, busyTimeout: Double = 10, verify: Bool = false) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw NotARunStore(path: path, reason: "it is a directory")
        }
        // SQLite writes the file and, in WAL mode, a -wal and a -shm file beside it.
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let fm = FileManager.default
        if (fm.fileExists(atPath: path) && !fm.isWritableFile(atPath: path)) || (fm.fileExists(atPath: folder) && !fm.isWritableFile(atPath: folder)) {
            throw SQLiteError(code: SQLITE_READONLY, message: "the file or its folder cannot be written (a read-only file system, or permissions): "
                              + "the run store writes the file and a -wal and a -shm file beside it", context: "opening \(path)")
        }
        let wait = busyTimeout.isFinite ? max(0, min(busyTimeout, 3600)) : 10
        db = try Database(path: path, busyMilliseconds: Int32(wait * 1000))
        // Checked before anything is written: WAL mode and the schema would change a foreign file.
        try Self.checkIsRunStore(db)
        if verify { try Self.checkPages(db) }
        // Switching a new file to WAL fails at once (no busy handler) while another connection
        // writes it, as when two runs start on one new file: wait for it as for any lock.
        try Self.retryingWhileBusy(seconds: wait) { try db.execute("PRAGMA journal_mode = WAL") }
        try db.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        try migrate()
        // Housekeeping, not a condition of opening: on a full disk the store must still open
        // for reading, and the orphans are marked at the next opening that can write.
        _ = try? markOrphanedRuns()
        db.describeLockHolder = { [unowned self] in self.runningRuns() }
    }

    /// This machine's name, to tell this machine's runs from others' in a shared store.
    static var hostName: String { ProcessInfo.processInfo.hostName }

    /// Marks `running` runs whose process on this machine is gone as `interrupted`.
    @discardableResult
    public func markOrphanedRuns() throws -> Int {
        let s = try db.prepare("SELECT number, pid FROM runs WHERE status = 'running' AND host = ?")
        s.bind(1, RunStore.hostName)
        var orphans: [Int64] = []
        while try s.next() {
            let pid = pid_t(truncatingIfNeeded: s.int(1))
            if pid <= 0 || (kill(pid, 0) != 0 && errno == ESRCH) { orphans.append(s.int(0)) }
        }
        s.reset()
        for run in orphans { try markRun(run, status: .interrupted) }
        return orphans.count
    }

    /// The schema version after migration.
    public static var schemaVersion: Int { Migrations.all.last?.version ?? 0 }

    /// Applies the pending migrations, all in one write transaction that also reads the version:
    /// two processes opening a new file at once cannot both apply the same migration.
    private func migrate() throws {
        // Up to date: nothing to write, so a store another process is writing opens at once.
        if let s = try? db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"), (try? s.next()) == true,
           Int(s.int(0)) == RunStore.schemaVersion {
            s.reset()
            return
        }
        try db.transaction {
            try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            let current = try db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            _ = try current.next()
            let have = Int(current.int(0))
            current.reset()
            if have > RunStore.schemaVersion {
                throw SQLiteError(code: 0, message: "the file has schema version \(have), newer than this program's \(RunStore.schemaVersion)",
                                  context: "opening \(db.path)")
            }
            for m in Migrations.all where m.version > have {
                try db.execute(m.sql)
                let record = try db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
                record.bind(1, m.version)
                record.bind(2, RunStore.timestamp())
                try record.run()
                if m.version == 1 {
                    let kinds = try db.prepare("INSERT INTO event_kinds (kind, name) VALUES (?, ?)")
                    for k in EventKind.allCases {
                        kinds.bind(1, Int(k.rawValue)); kinds.bind(2, k.description)
                        try kinds.run()
                    }
                }
                if m.version == 9 { try fillParametersJSON() }
            }
            // The version where tools that know only SQLite look for it, too.
            try db.execute("PRAGMA user_version = \(RunStore.schemaVersion)")
        }
    }

    /// The current UTC time as ISO 8601 (seconds).
    public static func timestamp(_ date: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    // MARK: Runs

    /// Records a new run as `running`, with its world layout, and returns its row number.
    public func beginRun(id: String, scenarioName: String, scenarioPath: String, scenarioHash: String, scenarioText: String,
                         seed: UInt64, layout: WorldLayout) throws -> Int64 {
        try db.transaction {
            try insertRun(id: id, scenarioName: scenarioName, scenarioPath: scenarioPath, scenarioHash: scenarioHash,
                          scenarioText: scenarioText, seed: seed, layout: layout)
        }
    }

    /// Records a new run as `running` under `base`, or `base-2`, `base-3`… when that id is taken,
    /// and returns its row number and id. The id is chosen in the transaction that inserts it, so
    /// two processes starting the same scenario in the same second cannot both pick one.
    public func beginRun(uniqueIDFrom base: String, scenarioName: String, scenarioPath: String, scenarioHash: String, scenarioText: String,
                         seed: UInt64, layout: WorldLayout) throws -> (run: Int64, id: String) {
        try db.transaction {
            var id = base, n = 1
            while try hasRun(id: id) {
                n += 1
                id = "\(base)-\(n)"
            }
            return (try insertRun(id: id, scenarioName: scenarioName, scenarioPath: scenarioPath, scenarioHash: scenarioHash,
                                  scenarioText: scenarioText, seed: seed, layout: layout), id)
        }
    }

    /// Inserts a run and its layout (inside the caller's transaction).
    private func insertRun(id: String, scenarioName: String, scenarioPath: String, scenarioHash: String, scenarioText: String,
                           seed: UInt64, layout: WorldLayout) throws -> Int64 {
        do {
            let s = try db.prepare("""
                INSERT INTO runs (id, scenario_name, scenario_path, scenario_hash, scenario_text, seed, status, started_at, pid, host)
                VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)
                """)
            s.bind(1, id); s.bind(2, scenarioName); s.bind(3, scenarioPath); s.bind(4, scenarioHash)
            s.bind(5, scenarioText); s.bind(6, Int64(bitPattern: seed)); s.bind(7, RunStore.timestamp())
            s.bind(8, Int64(getpid())); s.bind(9, RunStore.hostName)
            try s.run()
            let run = sqlite3_last_insert_rowid(db.handle)
            let r = try db.prepare("INSERT INTO regions (run, region, name) VALUES (?, ?, ?)")
            for (i, name) in layout.regions.enumerated() {
                r.bind(1, run); r.bind(2, i); r.bind(3, name); try r.run()
            }
            let c = try db.prepare("INSERT INTO cities (run, city, region, name) VALUES (?, ?, ?, ?)")
            for (i, city) in layout.cities.enumerated() {
                c.bind(1, run); c.bind(2, i); c.bind(3, Int(city.region)); c.bind(4, city.name); try c.run()
            }
            let st = try db.prepare("INSERT INTO stores (run, store, city, region, rep) VALUES (?, ?, ?, ?, ?)")
            for store in layout.stores {
                st.bind(1, run); st.bind(2, Int(store.id)); st.bind(3, Int(store.city)); st.bind(4, Int(store.region))
                st.bind(5, Int(store.rep)); try st.run()
            }
            return run
        }
    }

    /// Records how a run is made (rules, options, language), for `warroom report RUN`.
    public func setSource(_ run: Int64, _ source: RunSource) throws {
        try db.transaction {
            let s = try db.prepare("""
                UPDATE runs SET rules_path = ?, rules_text = ?, apply_actions = ?, record_events = ?, language = ? WHERE number = ?
                """)
            s.bind(1, source.rulesPath); s.bind(2, source.rulesText); s.bind(3, source.applyActions ? 1 : 0)
            s.bind(4, source.recordEvents ? 1 : 0); s.bind(5, source.language); s.bind(6, run)
            try s.run()
        }
    }

    /// One replication's outcomes in a sweep.
    public struct SweepResultRow: Sendable {
        public var variant: String, seed: UInt64, digest: String
        /// Outcome values by name, in report order (NaN: undefined).
        public var outcomes: [(String, Double)]
        /// Creates a row.
        public init(variant: String, seed: UInt64, digest: String, outcomes: [(String, Double)]) {
            self.variant = variant
            self.seed = seed
            self.digest = digest
            self.outcomes = outcomes
        }
    }

    /// One estimate of a sweep: an outcome's mean for a variant and its paired difference to the baseline.
    public struct SweepEstimateRow: Sendable {
        public var outcome: String, variant: String, n: Int
        public var mean: Double, ciLow: Double, ciHigh: Double
        public var pairedDifference: Double, pairedLow: Double, pairedHigh: Double, unpairedHalfWidth: Double
        /// Creates a row.
        public init(outcome: String, variant: String, n: Int, mean: Double, ciLow: Double, ciHigh: Double,
                    pairedDifference: Double, pairedLow: Double, pairedHigh: Double, unpairedHalfWidth: Double) {
            self.outcome = outcome; self.variant = variant; self.n = n
            self.mean = mean; self.ciLow = ciLow; self.ciHigh = ciHigh
            self.pairedDifference = pairedDifference; self.pairedLow = pairedLow; self.pairedHigh = pairedHigh
            self.unpairedHalfWidth = unpairedHalfWidth
        }
    }

    /// Records a finished sweep, its replications and its estimates, in one transaction; returns its number.
    @discardableResult
    public func recordSweep(scenario: String, scenarioHash: String, baseline: String, variants: Int, seeds: Int, reportPath: String,
                            metricsJSON: String, results: [SweepResultRow], estimates: [SweepEstimateRow]) throws -> Int64 {
        try db.transaction {
            let s = try db.prepare("""
                INSERT INTO sweeps (scenario, scenario_hash, baseline, variants, seeds, created_at, report_path, metrics_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            s.bind(1, scenario); s.bind(2, scenarioHash); s.bind(3, baseline); s.bind(4, variants); s.bind(5, seeds)
            s.bind(6, RunStore.timestamp()); s.bind(7, reportPath); s.bind(8, metricsJSON)
            try s.run()
            let number = sqlite3_last_insert_rowid(db.handle)
            func value(_ v: Double) -> Double? { v.isFinite ? v : nil }
            let r = try db.prepare("INSERT INTO sweep_results (sweep, variant, seed, digest, outcome, value) VALUES (?, ?, ?, ?, ?, ?)")
            for row in results {
                for (outcome, v) in row.outcomes {
                    r.bind(1, number); r.bind(2, row.variant); r.bind(3, Int64(bitPattern: row.seed)); r.bind(4, row.digest)
                    r.bind(5, outcome); r.bind(6, value(v))
                    try r.run()
                }
            }
            let e = try db.prepare("""
                INSERT INTO sweep_estimates (sweep, outcome, variant, n, mean, ci_low, ci_high, paired_difference, paired_ci_low,
                    paired_ci_high, unpaired_ci_half_width) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for x in estimates {
                e.bind(1, number); e.bind(2, x.outcome); e.bind(3, x.variant); e.bind(4, x.n); e.bind(5, value(x.mean))
                e.bind(6, value(x.ciLow)); e.bind(7, value(x.ciHigh)); e.bind(8, value(x.pairedDifference))
                e.bind(9, value(x.pairedLow)); e.bind(10, value(x.pairedHigh)); e.bind(11, value(x.unpairedHalfWidth))
                try e.run()
            }
            return number
        }
    }

    /// The sweeps recorded, oldest first: number, scenario, and the rows of results and estimates.
    public func sweeps() throws -> [(number: Int64, scenario: String, results: Int, estimates: Int)] {
        let s = try db.prepare("""
            SELECT number, scenario, (SELECT COUNT(*) FROM sweep_results WHERE sweep = number),
                   (SELECT COUNT(*) FROM sweep_estimates WHERE sweep = number) FROM sweeps ORDER BY number
            """)
        defer { s.reset() }
        var out: [(Int64, String, Int, Int)] = []
        while try s.next() { out.append((s.int(0), s.text(1) ?? "", Int(s.int(2)), Int(s.int(3)))) }
        return out
    }

    /// Whether a run id is already taken.
    public func hasRun(id: String) throws -> Bool {
        let s = try db.prepare("SELECT 1 FROM runs WHERE id = ?")
        s.bind(1, id)
        defer { s.reset() }
        return try s.next()
    }

    /// Marks a run finished with its figures.
    ///
    /// - Parameter measurementsJSON: the run's wall-clock figures, for re-creating its report.
    public func finishRun(_ run: Int64, eventDigest: String, events: Int64, wallSeconds: Double, reportPath: String,
                          metricsJSON: String, measurementsJSON: String? = nil) throws {
        try db.transaction {
            let s = try db.prepare("""
                UPDATE runs SET status = 'finished', finished_at = ?, event_digest = ?, events = ?, wall_seconds = ?,
                report_path = ?, metrics_json = ?, measurements_json = ? WHERE number = ?
                """)
            s.bind(1, RunStore.timestamp()); s.bind(2, eventDigest); s.bind(3, events); s.bind(4, wallSeconds)
            s.bind(5, reportPath); s.bind(6, metricsJSON); s.bind(7, measurementsJSON); s.bind(8, run)
            try s.run()
        }
    }

    /// Sets a run's status (failed, interrupted) and its end time.
    public func markRun(_ run: Int64, status: RunStatus) throws {
        try db.transaction {
            let s = try db.prepare("UPDATE runs SET status = ?, finished_at = ? WHERE number = ?")
            s.bind(1, status.rawValue); s.bind(2, RunStore.timestamp()); s.bind(3, run)
            try s.run()
        }
    }

    /// Every run, oldest first.
    public func runs() throws -> [RunRecord] { try fetchRuns(where: "", bind: { _ in }) }

    /// The run with this id (or row number), if any.
    public func run(id: String) throws -> RunRecord? {
        try fetchRuns(where: "WHERE id = ? OR CAST(number AS TEXT) = ?", bind: { $0.bind(1, id); $0.bind(2, id) }).first
    }

    private func fetchRuns(where clause: String, bind: (Statement) -> Void) throws -> [RunRecord] {
        let s = try db.prepare("""
            SELECT number, id, scenario_name, scenario_path, scenario_hash, scenario_text, seed, status, started_at,
                   finished_at, event_digest, events, wall_seconds, report_path, metrics_json,
                   rules_path, rules_text, apply_actions, record_events, language, measurements_json
            FROM runs \(clause) ORDER BY number
            """)
        bind(s)
        defer { s.reset() }
        var out: [RunRecord] = []
        while try s.next() {
            out.append(RunRecord(number: s.int(0), id: s.text(1) ?? "", scenarioName: s.text(2) ?? "", scenarioPath: s.text(3) ?? "",
                                 scenarioHash: s.text(4) ?? "", scenarioText: s.text(5) ?? "", seed: UInt64(bitPattern: s.int(6)),
                                 status: RunStatus(rawValue: s.text(7) ?? "") ?? .failed, startedAt: s.text(8) ?? "",
                                 finishedAt: s.text(9), eventDigest: s.text(10), events: s.isNull(11) ? nil : s.int(11),
                                 wallSeconds: s.isNull(12) ? nil : s.double(12), reportPath: s.text(13), metricsJSON: s.text(14),
                                 source: s.isNull(17) ? nil : RunSource(rulesPath: s.text(15), rulesText: s.text(16), applyActions: s.int(17) != 0,
                                                                        recordEvents: s.int(18) != 0, language: s.text(19) ?? "en"),
                                 measurementsJSON: s.text(20)))
        }
        return out
    }

    /// `PRAGMA integrity_check`'s answer ("ok" when the file is sound).
    public func integrityCheck() throws -> String {
        let s = try db.prepare("PRAGMA integrity_check")
        defer { s.reset() }
        var lines: [String] = []
        while try s.next() { lines.append(s.text(0) ?? "") }
        return lines.joined(separator: "\n")
    }
}
