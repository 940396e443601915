import Foundation
import RunStore
import Testing
import WarRoomCore
import WarRoomTestSupport

/// Generated hostile inputs for every way into the lab that is not a scenario (scenarios have
/// their own corpus and fuzzer): panels, customer tables, rule files, scenarios at their bounds,
/// run stores, output paths and the TCP stream. Each case is run as a user would run it, with a
/// 20 s limit, and classed; the table is printed (`make hostile` shows it).
@Suite("Hostile inputs: a clear error or a documented handling, never a crash, hang, silent failure or partial output")
struct HostileInputTests {
    @Test("Every generated case ends in a clear error or a documented handling")
    func suite() throws {
        var rng = RandomStream(seed: 26, stream: .synthetic, entity: 1)
        let template = try TemplateRun()
        defer { try? FileManager.default.removeItem(at: template.folder) }
        let cases = panelCases(&rng) + customerCases(&rng) + ruleCases(&rng) + scenarioCases() + (try storeCases(&rng, template)) + (try pathCases(template))
        var table = HostileTable()
        for c in cases {
            let (outcome, detail) = try c.run()
            table.add(c, outcome, detail)
        }
        for (kind, outcome, detail) in try streamCases() + concurrentRunCases() { table.add(HostileCase(kind: kind, name: detail, arguments: [], expect: .refused), outcome, detail) }
        print("hostile-inputs:\n" + table.markdown)
        if let path = ProcessInfo.processInfo.environment["WARROOM_HOSTILE_TABLE"] { try table.markdown.write(toFile: path, atomically: true, encoding: .utf8) }
        #expect(table.failures.isEmpty, "\(table.failures.joined(separator: "\n"))")
    }

    @Test("The classing itself: a valid panel expected to be refused is a silent failure, a refused one a clear error")
    func classing() throws {
        let args = ["backtest", "--data", "p.csv", "--horizon", "7", "--origins", "2", "--out", "out"]
        let accepted = HostileCase(kind: "control", name: "valid", arguments: args, files: ["p.csv": data(basePanel())], expect: .refused, mentions: "p.csv")
        #expect(try accepted.run().0 == .silent)
        let refused = HostileCase(kind: "control", name: "empty", arguments: args, files: ["p.csv": Data()], expect: .handled, mentions: "p.csv")
        #expect(try refused.run().0 == .silent)
        let named = HostileCase(kind: "control", name: "empty", arguments: args, files: ["p.csv": Data()], expect: .refused, mentions: "elsewhere.csv")
        #expect(try named.run().0 == .silent)
        let clear = HostileCase(kind: "control", name: "empty", arguments: args, files: ["p.csv": Data()], expect: .refused, mentions: "p.csv")
        #expect(try clear.run().0 == .clearError)
    }
}

/// A finished run of the smoke scenario, whose store and report the store and path cases start from.
struct TemplateRun {
    let folder: URL
    let runID: String
    var store: URL { folder.appendingPathComponent("runs.db") }

    init() throws {
        folder = try temporaryFolder()
        let r = try runWarroom(["run", Repository.smokeScenario, "--db", "runs.db", "--out", "out", "--json"], in: folder)
        let run = try #require(try jsonObject(r.out)["run"] as? [String: Any], "template run failed: \(r.err)")
        runID = try #require(run["id"] as? String)
    }
}

extension RandomStream {
    /// A whole number in `0..<n`.
    mutating func below(_ n: Int) -> Int { min(n - 1, Int(uniform() * Double(n))) }

    /// The elements in a random order (Fisher–Yates).
    mutating func shuffled<T>(_ elements: [T]) -> [T] {
        var a = elements
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, below(i + 1)) }
        return a
    }
}

private func data(_ text: String) -> Data { Data(text.utf8) }

/// Lines of a text, each with its newline.
private func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0 + "\n" } }

// MARK: - Panels

/// Three daily series of 70 days.
private func basePanel() -> String {
    var text = "unique_id,ds,y\n"
    let start = CivilDate(iso: "2026-01-01")!
    for s in 0..<3 { for t in 0..<70 { text += "s\(s),\(start.adding(days: t)),\(10 + (s * 7 + t * 3) % 11)\n" } }
    return text
}

private func panelCases(_ rng: inout RandomStream) -> [HostileCase] {
    let kind = "panel (backtest --data)"
    let base = basePanel(), rows = lines(base)
    func c(_ name: String, _ text: Data, _ expect: HostileCase.Expectation, _ extra: [String] = []) -> HostileCase {
        HostileCase(kind: kind, name: name, arguments: ["backtest", "--data", "p.csv", "--horizon", "7", "--origins", "2", "--out", "out"] + extra,
                    files: ["p.csv": text], expect: expect, mentions: "p.csv", produces: ["out/p-backtest/index.html"])
    }
    func replacing(row: Int, field: Int, with value: String) -> String {
        var r = rows
        var f = r[row].dropLast().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        f[field] = value
        r[row] = f.joined(separator: ",") + "\n"
        return r.joined()
    }
    var cases: [HostileCase] = [
        c("byte-order mark", Data([0xEF, 0xBB, 0xBF]) + data(base), .handled),
        c("CRLF line ends", data(base.replacingOccurrences(of: "\n", with: "\r\n")), .handled),
        c("a quoted separator in a series id", data(base.replacingOccurrences(of: "s1,", with: "\"s,1\",")), .handled),
        c("rows shuffled", data(rows[0] + rng.shuffled(Array(rows.dropFirst())).joined()), .handled),
        c("empty file", Data(), .refused),
        c("header only", data(rows[0]), .refused),
        c("no y column", data(base.replacingOccurrences(of: "unique_id,ds,y", with: "unique_id,ds,sales")), .refused),
        c("a 2 MiB field", data(rows[0] + "s0,2026-01-01," + String(repeating: "9", count: 2 << 20) + "\n" + rows.dropFirst(2).joined()), .refused),
        c("far dates beyond the memory budget", data(base + "typo1,1900-01-01,3\ntypo2,2200-12-31,4\n"), .refused, ["--max-memory", "4M"]),
        c("a million one-row series", data("unique_id,ds,y\n" + (0..<1_000_000).map { "u\($0),2026-01-01,1\n" }.joined()), .refused),
    ]
    for value in ["inf", "-inf", "Infinity", "1e400", "0x10", "12abc", "-3", "1,5", "\"2\"x"] {
        cases.append(c("y = \(value)", data(replacing(row: 1 + rng.below(rows.count - 1), field: 2, with: value)), .refused))
    }
    for value in ["NaN", "NA", ""] {
        cases.append(c("y = '\(value)' (missing)", data(replacing(row: 1 + rng.below(rows.count - 1), field: 2, with: value)), .either))
    }
    for value in ["2026-02-30", "2026-13-01", "01/02/2026", "2026-1-1", "x", ""] {
        cases.append(c("ds = '\(value)'", data(replacing(row: 1 + rng.below(rows.count - 1), field: 1, with: value)), .refused))
    }
    for k in 0..<4 {
        let row = 1 + rng.below(rows.count - 1)
        var r = rows
        r.insert(r[row], at: row + 1 + rng.below(3))
        cases.append(c("duplicate (unique_id, ds) \(k + 1)", data(r.joined()), .refused))
        var ragged = rows
        ragged[row] = k % 2 == 0 ? ragged[row].replacingOccurrences(of: "\n", with: ",7\n") : String(ragged[row].split(separator: ",")[0]) + "\n"
        cases.append(c("ragged row \(k + 1)", data(ragged.joined()), .refused))
        var bytes = Array(base.utf8)
        bytes.insert(contentsOf: [0xFF, 0xFE], at: rows[0].utf8.count + rng.below(bytes.count - rows[0].utf8.count))
        cases.append(c("non-UTF-8 bytes \(k + 1)", Data(bytes), .refused))
        let cut = rows[0].utf8.count + rng.below(base.utf8.count - rows[0].utf8.count)
        cases.append(c("cut at byte \(cut)", Data(base.utf8.prefix(cut)), .either))
    }
    return cases
}

// MARK: - Customer tables

/// 300 customers: visits, a region, spend (some missing) and the label.
private func baseCustomers() -> String {
    var text = "customer,visits,region,spend,churned\n"
    for i in 0..<300 {
        let visits = (i * 7) % 6, region = ["East", "North", "West"][i % 3]
        text += "c\(i),\(visits),\(region),\(i % 17 == 0 ? "" : String((i * 37) % 500)),\((visits < 2) != (i % 5 == 0) ? "yes" : "no")\n"
    }
    return text
}

private func customerCases(_ rng: inout RandomStream) -> [HostileCase] {
    let kind = "customer table (churn --data)"
    let base = baseCustomers(), rows = lines(base)
    func c(_ name: String, _ text: Data, _ expect: HostileCase.Expectation) -> HostileCase {
        HostileCase(kind: kind, name: name, arguments: ["churn", "--data", "c.csv", "--label", "churned", "--id", "customer"],
                    files: ["c.csv": text], expect: expect, mentions: "c.csv", outputs: [])
    }
    func replacing(field: Int, with value: String, _ rng: inout RandomStream) -> String {
        var r = rows
        let row = 1 + rng.below(r.count - 1)
        var f = r[row].dropLast().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        f[field] = value
        r[row] = f.joined(separator: ",") + "\n"
        return r.joined()
    }
    var wide = "id," + (0..<2000).map { "x\($0)" }.joined(separator: ",") + ",churned\n"
    for i in 0..<500 { wide += "c\(i)," + (0..<2000).map { String(($0 * i) % 10) }.joined(separator: ",") + ",\(i % 2)\n" }
    var cases: [HostileCase] = [
        c("byte-order mark", Data([0xEF, 0xBB, 0xBF]) + data(base), .handled),
        c("CRLF line ends", data(base.replacingOccurrences(of: "\n", with: "\r\n")), .handled),
        c("a quoted separator in a category", data(base.replacingOccurrences(of: ",West,", with: ",\"West, far\",")), .handled),
        c("empty file", Data(), .refused),
        c("header only", data(rows[0]), .refused),
        c("no label column", data(base.replacingOccurrences(of: ",churned\n", with: ",lost\n")), .refused),
        c("500 rows × 2,000 columns", data(wide.replacingOccurrences(of: "id,", with: "customer,")), .refused),
        c("a 2 MiB field", data(rows[0] + "c0,1,East," + String(repeating: "9", count: 2 << 20) + ",yes\n"), .refused),
    ]
    for value in ["maybe", "2", "-1", ""] { cases.append(c("label = '\(value)'", data(replacing(field: 4, with: value, &rng)), .refused)) }
    for value in ["NaN", "inf", "1e400", "0x10", "abc"] { cases.append(c("visits = '\(value)'", data(replacing(field: 1, with: value, &rng)), .either)) }
    for k in 0..<3 {
        var ragged = rows
        let row = 1 + rng.below(rows.count - 1)
        let fields = ragged[row].dropLast().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        ragged[row] = (k == 0 ? fields + ["x"] : k == 1 ? Array(fields.dropLast()) : [fields.joined(separator: ";")]).joined(separator: ",") + "\n"
        cases.append(c("ragged row \(k + 1)", data(ragged.joined()), .refused))
        var bytes = Array(base.utf8)
        bytes.insert(0xC3, at: rows[0].utf8.count + rng.below(bytes.count - rows[0].utf8.count))
        cases.append(c("non-UTF-8 byte \(k + 1)", Data(bytes), .refused))
        let cut = rows[0].utf8.count + rng.below(base.utf8.count - rows[0].utf8.count)
        cases.append(c("cut at byte \(cut)", Data(base.utf8.prefix(cut)), .either))
    }
    return cases
}

// MARK: - Rule files

private func ruleCases(_ rng: inout RandomStream) -> [HostileCase] {
    let kind = "rule file (run --rules)"
    let presets = (try? String(contentsOfFile: Repository.presets, encoding: .utf8)) ?? ""
    let all = lines(presets)
    func c(_ name: String, _ text: String, _ expect: HostileCase.Expectation, scenario: String = Repository.smokeScenario) -> HostileCase {
        HostileCase(kind: kind, name: name, arguments: ["run", scenario, "--rules", "r.yaml", "--db", "runs.db", "--out", "out", "--quiet"],
                    files: ["r.yaml": data(text)], expect: expect, mentions: "r.yaml", outputs: ["out", "runs.db"],
                    produces: ["runs.db"], store: "runs.db")
    }
    var cases: [HostileCase] = []
    // Cut inside a line: always refused. Cut at a line's end: may still be a whole, shorter file.
    let ends = all.indices.map { all[..<($0 + 1)].reduce(0) { $0 + $1.utf8.count } }
    for _ in 0..<10 {
        var cut = rng.below(presets.utf8.count - 1) + 1
        while ends.contains(cut) { cut -= 1 }
        cases.append(c("cut inside a line at byte \(cut)", String(decoding: presets.utf8.prefix(cut), as: UTF8.self), .refused))
    }
    for _ in 0..<4 {
        let cut = ends[ends.count / 4 + rng.below(ends.count / 2)]
        cases.append(c("cut at the end of a line at byte \(cut)", String(decoding: presets.utf8.prefix(cut), as: UTF8.self), .either))
    }
    for value in ["0x10", "inf", "nan", "1e400", "-", "\"\"", "\"< \"", "\"<< 0.5\"", "\"< 0x1p3\""] {
        cases.append(c("condition = \(value)", presets.replacingOccurrences(of: "condition: \"< -0.18\"", with: "condition: \(value)"), .refused))
    }
    for (field, value) in [("every", "0s"), ("every", "1ms"), ("every", "-1d"), ("every", "1000y"), ("cooldown", "1e400d"), ("window", "100000d"),
                           ("tier", "ceo"), ("scope", "planet"), ("function", "median"), ("events", "[teleport]")] {
        let original = field == "window" ? "window: 7d" : field == "function" ? "function: sum" : field == "events" ? "events: [sale]"
            : field == "tier" ? "tier: regional-manager" : field == "scope" ? "scope: store" : field == "every" ? "every: 1d" : "cooldown: 7d"
        guard let range = presets.range(of: original) else { continue }
        cases.append(c("\(field) = \(value)", presets.replacingCharacters(in: range, with: "\(field): \(value)"), .refused))
    }
    cases.append(c("an unknown key", presets.replacingOccurrences(of: "    cooldown: 7d\n", with: "    cooldown: 7d\n    colldown: 1d\n"), .refused))
    cases.append(c("a rule id used twice", presets.replacingOccurrences(of: "id: city-weekly-sales-yoy-drop", with: "id: store-weekly-sales-yoy-drop"), .refused))
    cases.append(c("a tab in the indentation", presets.replacingOccurrences(of: "    scope: store\n", with: "\tscope: store\n"), .refused))
    cases.append(c("no rules", "lateness: 1m\nrules: []\n", .refused))
    // Window state that cannot fit: 5,000 per-account rules over 30 days at one-minute steps, on the default world.
    var many = "rules:\n"
    for i in 0..<5_000 {
        many += "  - { id: r\(i), scope: customer, signal: { function: count, events: [visit], window: 30d }, compare: { condition: \"> \(i)\" }, every: 1m, tier: rep }\n"
    }
    cases.append(c("5,000 long-window rules on the default world", many, .refused, scenario: Repository.path("scenarios/east-china-medical.yaml")))
    return cases
}

// MARK: - Scenarios at their bounds

private func scenarioCases() -> [HostileCase] {
    let kind = "scenario at its bounds (run)"
    let smoke = (try? String(contentsOfFile: Repository.smokeScenario, encoding: .utf8)) ?? ""
    let presets = (try? Data(contentsOf: URL(fileURLWithPath: Repository.presets))) ?? Data()
    func c(_ name: String, _ text: String, _ expect: HostileCase.Expectation, command: String = "run") -> HostileCase {
        HostileCase(kind: kind, name: name, arguments: command == "run" ? ["run", "s.yaml", "--db", "runs.db", "--out", "out", "--quiet"] : [command, "s.yaml"],
                    files: ["s.yaml": data(text), "rules/presets.yaml": presets], expect: expect, mentions: "s.yaml", outputs: ["out", "runs.db"])
    }
    // Each bound alone: `validate` prints the estimate (or a clear error). Together, or where the
    // memory cannot fit, `run` refuses before it starts.
    let bounds: [(String, [(String, String)], HostileCase.Expectation)] = [
        ("100,000 stores a city", [("{ name: Alpha, stores: 3 }", "{ name: Alpha, stores: 100000 }")], .refused),
        ("100,000 lines a store-day on 60,000 stores", [("linesPerStoreDay: 60", "linesPerStoreDay: 100000"), ("stores: 3 }", "stores: 30000 }")], .refused),
        ("3,660 live days × 6,000 stores × 600 lines", [("liveDays: 7\n", "liveDays: 3660\n"), ("stores: 3 }", "stores: 3000 }"),
                                                         ("linesPerStoreDay: 60", "linesPerStoreDay: 600")], .refused),
        ("3,660 live days", [("liveDays: 7\n", "liveDays: 3660\n")], .handled),
        ("3,660 history days", [("historyDays: 14", "historyDays: 3660")], .handled),
        ("100,000 lines a store-day", [("linesPerStoreDay: 60", "linesPerStoreDay: 100000")], .handled),
    ]
    var cases: [HostileCase] = []
    for (name, edits, expect) in bounds {
        let text = edits.reduce(smoke) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
        if expect == .refused { cases.append(c(name, text, .refused)) }
        cases.append(c(name + " (validate)", text, expect == .refused ? .either : .handled, command: "validate"))
    }
    cases.append(c("a scenario cut inside its last line", String(smoke.dropLast(3)), .refused))
    return cases
}

// MARK: - Run stores

private func storeCases(_ rng: inout RandomStream, _ template: TemplateRun) throws -> [HostileCase] {
    let kind = "run store (--db)"
    let store = try Data(contentsOf: template.store)
    func c(_ name: String, _ bytes: Data?, _ expect: HostileCase.Expectation, prepare: ((URL) throws -> Void)? = nil) -> HostileCase {
        HostileCase(kind: kind, name: name, arguments: ["run", Repository.smokeScenario, "--db", "x.db", "--out", "out", "--quiet"],
                    files: bytes.map { ["x.db": $0] } ?? [:], expect: expect, mentions: "x.db", store: "x.db", mayChange: ["x.db"], prepare: prepare)
    }
    var cases: [HostileCase] = [
        c("a directory", nil, .refused) { try FileManager.default.createDirectory(at: $0.appendingPathComponent("x.db/inner.keep"), withIntermediateDirectories: true) },
        c("a text file", data("my notes\nshopping: milk\n"), .refused),
        c("an empty file", Data(), .either),
        c("a copy of a finished store", store, .handled),
    ]
    for k in 0..<3 {
        var bytes = [UInt8](repeating: 0, count: 512 << k)
        for i in bytes.indices { bytes[i] = UInt8(rng.below(256)) }
        cases.append(c("\(bytes.count) random bytes", Data(bytes), .refused))
    }
    for _ in 0..<5 {
        let cut = 1 + rng.below(store.count - 1)
        cases.append(c("a finished store cut at byte \(cut)", store.prefix(cut), .either))
    }
    for _ in 0..<3 {
        var bytes = [UInt8](store)
        let at = 100 + rng.below(bytes.count - 200)
        for i in at..<(at + 64) { bytes[i] = UInt8(rng.below(256)) }
        cases.append(c("a finished store with 64 bytes overwritten at \(at)", Data(bytes), .either))
    }
    return cases
}

// MARK: - Output paths

private func pathCases(_ template: TemplateRun) throws -> [HostileCase] {
    let kind = "output paths (--out)"
    let store = try Data(contentsOf: template.store)
    func run(_ name: String, out: String, _ expect: HostileCase.Expectation, files: [String: Data] = [:], produces: [String] = []) -> HostileCase {
        HostileCase(kind: kind, name: name, arguments: ["run", Repository.smokeScenario, "--db", "runs.db", "--out", out, "--quiet"],
                    files: files, expect: expect, outputs: [], produces: produces, store: "runs.db")
    }
    let panel = data(basePanel())
    return [
        run("--out onto a file", out: "taken", .refused, files: ["taken": data("a user's file\n")]),
        run("--out into a missing parent", out: "a/b/c", .handled, produces: ["a/b/c/smoke-s7/index.html"]),
        run("--out with spaces and non-ASCII", out: "报告 folder/ü", .handled, produces: ["报告 folder/ü/smoke-s7/index.html"]),
        run("--out where the report folder holds the user's notes", out: "out", .refused, files: ["out/smoke-s7/notes.md": data("mine\n")]),
        HostileCase(kind: kind, name: "export into a folder holding the user's notes", arguments: ["export", template.runID, "--db", "runs.db", "--out", "ex"],
                    files: ["runs.db": store, "ex/\(template.runID)-csv/notes.md": data("mine\n")], expect: .refused, outputs: [], mayChange: ["runs.db"]),
        HostileCase(kind: kind, name: "forecast --out a directory", arguments: ["forecast", "--data", "p.csv", "--horizon", "7", "--out", "dir"],
                    files: ["p.csv": panel, "dir/inner.keep": Data()], expect: .refused, outputs: []),
        HostileCase(kind: kind, name: "forecast --out into a missing parent", arguments: ["forecast", "--data", "p.csv", "--horizon", "7", "--out", "x/y/f.csv"],
                    files: ["p.csv": panel], expect: .handled, outputs: [], produces: ["x/y/f.csv"]),
        HostileCase(kind: kind, name: "backtest --out onto a file", arguments: ["backtest", "--data", "p.csv", "--horizon", "7", "--out", "taken"],
                    files: ["p.csv": panel, "taken": data("a user's file\n")], expect: .refused, outputs: []),
    ]
}

// MARK: - Two runs into one store at once

/// Two `warroom run` started together on one new store file, three times: both must land, the
/// store sound.
private func concurrentRunCases() throws -> [(String, HostileOutcome, String)] {
    try (0..<3).map { trial in
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        nonisolated(unsafe) var endings = [WarroomEnding?](repeating: nil, count: 2)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let e = try? runWarroom(["run", Repository.smokeScenario, "--db", "runs.db", "--out", "out\(i)", "--quiet"], in: folder, timeout: 20)
            lock.withLock { endings[i] = e }
        }
        let detail = "trial \(trial + 1): " + endings.map { e in e.map { "status \($0.result.status) \($0.result.err.prefix(200))" } ?? "did not start" }.joined(separator: "; ")
        if endings.contains(where: { $0?.timedOut == true }) { return ("two runs into one new store", .hang, detail) }
        if endings.contains(where: { $0?.signal != nil }) { return ("two runs into one new store", .crash, detail) }
        guard endings.allSatisfy({ $0?.result.status == 0 }) else { return ("two runs into one new store", .silent, detail) }
        let store = try RunStore(path: folder.appendingPathComponent("runs.db").path)
        guard try store.integrityCheck() == "ok" else { return ("two runs into one new store", .corrupted, detail) }
        guard try store.runs().map(\.status) == [.finished, .finished] else { return ("two runs into one new store", .partial, detail) }
        return ("two runs into one new store", .handled, detail)
    }
}

// MARK: - The TCP stream

/// `warroom stream --to tcp://…` with no listener and with listeners that hang up early.
private func streamCases() throws -> [(String, HostileOutcome, String)] {
    let kind = "stream --to tcp://"
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var outcomes: [(String, HostileOutcome, String)] = []
    func classify(_ name: String, _ e: WarroomEnding) {
        let outcome: HostileOutcome = e.timedOut ? .hang : e.signal != nil ? .crash : e.result.status == 0 ? .silent
            : e.result.err.split(separator: "\n").count == 1 && e.result.err.hasPrefix("error: ") ? .clearError : .silent
        outcomes.append((kind, outcome, "\(name): status \(e.result.status), \(String(format: "%.1f", e.seconds)) s: \(e.result.err.prefix(200))"))
    }
    for _ in 0..<2 {
        let (probe, port) = try loopbackListener()
        close(probe)
        classify("no listener on \(port)", try runWarroom(["stream", Repository.smokeScenario, "--to", "tcp://127.0.0.1:\(port)"], in: folder, timeout: 20))
    }
    for readBytes in [0, 1, 4096, 65536] {
        let (listener, port) = try loopbackListener()
        let reader = Thread {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            var chunk = [UInt8](repeating: 0, count: max(1, readBytes))
            var total = 0
            while total < readBytes {
                let n = chunk.withUnsafeMutableBytes { read(connection, $0.baseAddress, min($0.count, readBytes - total)) }
                if n <= 0 { break }
                total += n
            }
            close(connection)
        }
        reader.start()
        classify("a listener that hangs up after \(readBytes) bytes",
                 try runWarroom(["stream", Repository.backtestScenario, "--to", "tcp://127.0.0.1:\(port)"], in: folder, timeout: 20))
        close(listener)
    }
    return outcomes
}
