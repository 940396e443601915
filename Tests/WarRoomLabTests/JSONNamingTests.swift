import Foundation
import Testing
import WarRoomTestSupport

/// The naming rule of `JSONDocument` (README "JSON documents"), as a checker of parsed JSON.
enum JSONNamingRule {
    static let units = ["seconds", "ms", "us", "ns", "hours", "days", "weeks", "bytes", "kib", "mib", "gib", "per_second", "per_day",
                        "per_week", "per_event", "per_store_day", "per_rep_day", "cny", "utilisation", "periods", "share", "percent",
                        "fraction", "ratio"]
    static let counted = ["events", "stores", "cities", "regions", "reps", "customers", "accounts", "alerts", "lines", "rules", "seeds",
                          "shocks", "variants", "replications", "executions", "crashes", "rows", "series", "files", "points", "records",
                          "features", "folds", "origins", "iterations", "inputs", "repeats", "actions", "keys", "evaluations", "stalls",
                          "steps", "runs", "leads", "visits", "calls", "faults", "threads", "targets"]
    static let statistics = ["bias", "coverage", "pinball", "standard_error", "lift", "observed", "predicted", "precision", "recall", "auc",
                             "brier", "log_loss", "wape", "mase", "accuracy", "ece", "estimate", "mean", "z", "penalty"]
    /// Integers that are identities or indices, not measures.
    static let identities = ["seed", "schema_version", "number", "id", "day", "exit_code"]
    /// Whether a name is one of a percentile object's keys.
    static func isPercentile(_ name: String) -> Bool { name.wholeMatch(of: /p\d+|min|max|mean/) != nil }

    /// Whether a name ends in a unit, a counted noun, a statistic or an identity; quantile
    /// qualifiers (`_p10`) may follow a statistic only (`pinball_p10`), never a unit
    /// (`latency_us_p99` is a flat percentile).
    static func hasUnit(_ name: String) -> Bool {
        let stem = name.replacing(/(_p\d+)+$/, with: "")
        func endsIn(_ words: [String]) -> Bool { words.contains { stem == $0 || stem.hasSuffix("_" + $0) } }
        return stem == name ? endsIn(units + counted + statistics + identities) : endsIn(statistics)
    }

    /// Whether an object is a map (its keys are data): `X_by_Y` or `by_Y`.
    static func isMap(_ name: String) -> Bool { name.hasPrefix("by_") || name.contains("_by_") }

    /// The unit-bearing part of a map's name: X of `X_by_Y`.
    static func mapUnit(_ name: String) -> String {
        guard let r = name.range(of: "by_") else { return name }
        let head = String(name[..<r.lowerBound]).trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        return head.isEmpty ? name : head
    }

    /// The violations in a document's text: its first keys, then every name.
    static func violations(_ text: String) -> [String] {
        var out: [String] = []
        if text.firstMatch(of: /^\{\n  "schema_version": \d+,\n  "kind": "[a-z_]+",/) == nil {
            out.append("the document does not begin with schema_version and kind")
        }
        guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return out + ["not JSON"] }
        walk(value, path: "", name: "", parent: "", into: &out)
        return out
    }

    static func walk(_ value: Any, path: String, name: String, parent: String, into out: inout [String]) {
        switch value {
        case let object as [String: Any]:
            let map = isMap(name)
            for (k, v) in object.sorted(by: { $0.key < $1.key }) {
                if map {
                    // A map's entries: an object is read on its own terms, a number takes the map's unit.
                    if v is [String: Any] { walk(v, path: path + "." + k, name: k, parent: name + "*", into: &out) } else { walk(v, path: path + "." + k, name: name, parent: name, into: &out) }
                    continue
                }
                if k.wholeMatch(of: /[a-z][a-z0-9]*(_[a-z0-9]+)*/) == nil { out.append("\(path).\(k): not snake_case") }
                if k.contains("utiliz") { out.append("\(path).\(k): spelt utilization (the rule's spelling is utilisation)") }
                if k.firstMatch(of: /^p\d/) != nil && !isPercentile(k) {
                    out.append("\(path).\(k): a flat percentile name (percentiles go in an object: latency_us: {p50, p99})")
                }
                walk(v, path: path + "." + k, name: k, parent: name, into: &out)
            }
        case let array as [Any]:
            for v in array { walk(v, path: path + "[]", name: name, parent: parent, into: &out) }
        case is String, is NSNull:
            break
        default:
            if String(describing: type(of: value)).contains("Boolean") { return }
            if isPercentile(name) && hasUnit(parent) { return }
            let judged = isMap(name) ? mapUnit(name) : name
            if !hasUnit(judged) { out.append("\(path): a number without a unit in its name (\(value))") }
        }
    }
}

@Suite("One naming rule for every JSON document")
struct JSONNamingTests {
    @Test("The checker catches each kind of violation")
    func control() {
        let good = "{\n  \"schema_version\": 1,\n  \"kind\": \"x\",\n  \"latency_us\": {\"p50\": 1, \"p99\": 2},\n  \"alerts_by_rule\": {\"a-b\": 3},\n  \"by_model\": {\"ets+glm\": {\"wape\": 0.1}},\n  \"fired_alerts\": 4,\n  \"ok\": true\n}"
        #expect(JSONNamingRule.violations(good).isEmpty, "\(JSONNamingRule.violations(good))")
        let cases = [
            ("{\n  \"kind\": \"x\"\n}", "begin with schema_version"),
            ("{\n  \"schema_version\": 1,\n  \"kind\": \"x\",\n  \"firedAlerts\": 1\n}", "not snake_case"),
            ("{\n  \"schema_version\": 1,\n  \"kind\": \"x\",\n  \"fired\": 1\n}", "without a unit"),
            ("{\n  \"schema_version\": 1,\n  \"kind\": \"x\",\n  \"latency_us_p99\": 1\n}", "without a unit"),
            ("{\n  \"schema_version\": 1,\n  \"kind\": \"x\",\n  \"x\": {\"p99_us\": 1}\n}", "flat percentile"),
            ("{\n  \"schema_version\": 1,\n  \"kind\": \"x\",\n  \"event_utilization\": 0.5\n}", "utilization"),
            ("{\n  \"schema_version\": 1,\n  \"kind\": \"x\",\n  \"by_rule\": {\"a\": 3}\n}", "without a unit"),
            ("{\n  \"schema_version\": 1,\n  \"kind\": \"x\",\n  \"rates\": {\"p99\": 3}\n}", "without a unit"),
        ]
        for (text, expected) in cases {
            #expect(JSONNamingRule.violations(text).contains { $0.contains(expected) }, "\(text) → \(JSONNamingRule.violations(text))")
        }
    }

    @Test("Every command's --json output (and the JSON files they write) follows the rule")
    func everyCommand() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let smoke = Repository.smokeScenario, small = Repository.backtestScenario, sweep = Repository.path("scenarios/smoke-sweep.yaml")
        try panelAndCustomers(in: folder)
        let commands: [(String, [String])] = [
            ("run", ["run", smoke, "--json", "--out", "o", "--db", "r.db"]),
            ("run, seed 8", ["run", smoke, "--seed", "8", "--json", "--out", "o", "--db", "r.db"]),
            ("validate", ["validate", smoke, "--json"]),
            ("sweep", ["sweep", sweep, "--replications", "2", "--json", "--out", "o", "--db", "r.db"]),
            ("sweep shard 1", ["sweep", sweep, "--replications", "2", "--shard", "1/2", "--json", "--out", "sh", "--db", "r.db"]),
            ("sweep shard 2", ["sweep", sweep, "--replications", "2", "--shard", "2/2", "--json", "--out", "sh", "--db", "r.db"]),
            ("merge", ["merge", "sh/smoke-sweep-sweep-shard-1-of-2.jsonl", "sh/smoke-sweep-sweep-shard-2-of-2.jsonl", "--json", "--out", "mg", "--db", "r.db"]),
            ("runs list", ["runs", "list", "--json", "--db", "r.db"]),
            ("runs show", ["runs", "show", "1", "--json", "--db", "r.db"]),
            ("report", ["report", "1", "--json", "--db", "r.db", "--out", "again"]),
            ("export", ["export", "1", "--json", "--db", "r.db", "--out", "ex"]),
            ("compare", ["compare", "1", "2", "--json", "--db", "r.db", "--out", "cmp"]),
            ("backtest", ["backtest", small, "--json"]),
            ("backtest --data", ["backtest", "--data", "panel.csv", "--horizon", "7", "--json", "--out", "bt"]),
            ("forecast", ["forecast", "--data", "panel.csv", "--horizon", "7", "--out", "fc.csv", "--json"]),
            ("churn", ["churn", "--data", "customers.csv", "--label", "lost", "--id", "id", "--json"]),
            ("bench sim", ["bench", "sim", "--scenario", smoke, "--repeats", "1", "--json"]),
            ("bench record", ["bench", "record", "--scenario", smoke, "--repeats", "1", "--live-days", "2", "--json"]),
            ("bench engine --max", ["bench", "engine", "--scenario", smoke, "--rules", Repository.presets, "--max", "--repeats", "1", "--json"]),
            ("bench engine --rate", ["bench", "engine", "--scenario", smoke, "--rules", Repository.presets, "--rate", "10000", "--duration", "0.1",
                                     "--warmup", "0.01", "--repeats", "1", "--json"]),
            ("bench fit", ["bench", "fit", "--rows", "2000", "--repeats", "1", "--json"]),
            ("bench sweep-load", ["bench", "sweep-load", "--scenario", small, "--rules", Repository.presets, "--loads", "0.5", "--seconds", "0.05",
                                  "--warmup", "0.01", "--rule-counts", "1", "27", "--store-counts", "8", "16", "--cardinality-days", "2",
                                  "--repeats", "1", "--out", "bl", "--json"]),
            ("fuzz", ["fuzz", "--target", "panel", "--iterations", "100", "--json"]),
            ("soak", ["soak", "--scenario", smoke, "--live-days", "30", "--json"]),
        ]
        var checked = 0
        for (what, arguments) in commands {
            let r = try runWarroom(arguments, in: folder)
            #expect(r.status == 0, "\(what): exit \(r.status): \(r.err)")
            let problems = JSONNamingRule.violations(r.out)
            #expect(problems.isEmpty, "warroom \(what) --json: \(problems.prefix(12))")
            checked += 1
        }
        // The stream's summary (standard error) and the JSON files the commands wrote.
        let stream = try runWarroom(["stream", smoke, "--to", "/dev/null"], in: folder)
        #expect(stream.status == 0 && JSONNamingRule.violations(stream.err).isEmpty, "stream: \(JSONNamingRule.violations(stream.err))")
        let files = ["o/smoke-s7/metrics.json", "bt/panel-backtest/metrics.json"] + (try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("ex").path))
            .map { "ex/\($0)/run.json" } + (try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("bl").path)).map { "bl/\($0)/metrics.json" }
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(JSONNamingRule.violations(text).isEmpty, "\(file): \(JSONNamingRule.violations(text).prefix(12))")
        }
        // The sweep's metrics.json states each outcome's unit in the outcome's own name and field
        // (its figures are that outcome's statistics), so only its head and key style are checked.
        let sweepMetrics = try String(contentsOf: folder.appendingPathComponent("o/smoke-sweep-sweep/metrics.json"), encoding: .utf8)
        #expect(JSONNamingRule.violations(sweepMetrics).allSatisfy { $0.contains("without a unit") }, "\(JSONNamingRule.violations(sweepMetrics).prefix(5))")
        #expect(checked == commands.count && files.count >= 4)
    }

    /// A three-series daily panel and a customer table, for the data commands.
    func panelAndCustomers(in folder: URL) throws {
        var panel = "unique_id,ds,y\n"
        let iso = ISO8601DateFormatter()
        for s in 0..<3 {
            for d in 0..<120 {
                let date = iso.string(from: Date(timeIntervalSince1970: 1_767_225_600 + Double(d) * 86_400)).prefix(10)  // from 2026-01-01
                panel += "s\(s),\(date),\(100 + (d % 7 == 5 ? 10 : 0) + (d * 7 + s * 3) % 5)\n"
            }
        }
        try Data(panel.utf8).write(to: folder.appendingPathComponent("panel.csv"))
        var customers = "id,tenure,orders,lost\n"
        for i in 0..<400 { customers += "\(i),\(Double(i % 97)),\(Double(i % 11) / 1.1),\(i % 11 < 3 || i % 7 == 0 ? 1 : 0)\n" }
        try Data(customers.utf8).write(to: folder.appendingPathComponent("customers.csv"))
    }
}
