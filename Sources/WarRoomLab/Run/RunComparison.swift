import Foundation
import Reporting
import RunStore

/// What `warroom compare` does: two runs' metrics side by side, with their differences, as a
/// report folder (index.html, summary.md, comparison.json) written atomically.
public enum RunComparison {
    /// One compared figure.
    struct Row {
        let key: String
        let a: String
        let b: String
        let difference: String
        let relative: String
    }

    /// Flattens a metrics document into dotted keys and their values (numbers and strings).
    static func flatten(_ value: Any, prefix: String = "", into out: inout [(String, Any)]) {
        if let object = value as? [String: Any] {
            for key in object.keys.sorted() { flatten(object[key]!, prefix: prefix.isEmpty ? key : "\(prefix).\(key)", into: &out) }
        } else if let array = value as? [Any] {
            for (i, item) in array.enumerated() { flatten(item, prefix: "\(prefix)[\(i)]", into: &out) }
        } else {
            out.append((prefix, value))
        }
    }

    static func metrics(_ r: RunRecord) throws -> [(String, Any)] {
        guard let text = r.metricsJSON, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else {
            throw LabError("run \(r.id) has no metrics (status \(r.status.rawValue))")
        }
        var out: [(String, Any)] = []
        flatten(object, into: &out)
        return out
    }

    static func text(_ v: Any?) -> String {
        switch v {
        case nil: return "—"
        case let n as NSNumber:
            let d = n.doubleValue  // true and false read as 1 and 0
            return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(format: "%.6g", d)
        case let s as String: return s
        default: return "\(v!)"
        }
    }

    /// Compares two runs of a store; writes the folder and returns its path.
    ///
    /// - Parameters:
    ///   - idA: the first run (id or number in the store's list).
    ///   - idB: the second run.
    ///   - databasePath: the run store holding both.
    ///   - outDirectory: the folder under which the comparison folder is written.
    ///   - language: of the report's text (nil: run A's, else the locale's); comparison.json stays in English.
    public static func compare(_ idA: String, _ idB: String, databasePath: String, outDirectory: String, language: Language? = nil) throws -> String {
        let store = try RunHistory.open(databasePath)
        guard let a = try store.run(id: idA) else { throw LabError("no run '\(idA)' in \(databasePath)") }
        guard let b = try store.run(id: idB) else { throw LabError("no run '\(idB)' in \(databasePath)") }
        let language = Language.choose(language, scenario: a.source?.language)
        let ma = try metrics(a), mb = try metrics(b)
        var keys = ma.map(\.0)
        for (k, _) in mb where !keys.contains(k) { keys.append(k) }
        let da = Dictionary(ma, uniquingKeysWith: { x, _ in x }), db = Dictionary(mb, uniquingKeysWith: { x, _ in x })
        var rows: [Row] = []
        for key in keys {
            let va = da[key], vb = db[key]
            var difference = "", relative = ""
            if let x = va as? NSNumber, let y = vb as? NSNumber {
                let delta = y.doubleValue - x.doubleValue
                difference = delta == delta.rounded() && abs(delta) < 1e15 ? String(Int64(delta)) : String(format: "%+.6g", delta)
                if x.doubleValue != 0 { relative = String(format: "%+.2f%%", delta / abs(x.doubleValue) * 100) }
            } else if text(va) != text(vb) {
                difference = "differs"
            }
            rows.append(Row(key: key, a: text(va), b: text(vb), difference: difference, relative: relative))
        }
        let changed = rows.filter { !$0.difference.isEmpty && $0.difference != "0" }
        func cells(_ r: Row) -> [String] { [r.key, r.a, r.b, r.difference == "differs" ? L("differs") : r.difference, r.relative] }
        let report = Language.$current.withValue(language) { Report(
            title: L("WarRoom comparison — {0} vs {1}", a.id, b.id),
            subtitle: L("{0} seed {1} against {2} seed {3}; B − A for every figure of metrics.json.", a.scenarioName, String(a.seed),
                        b.scenarioName, String(b.seed)),
            figures: [Report.Figure(label: L("Figures compared"), value: String(rows.count), note: L("{0} differ", String(changed.count))),
                      Report.Figure(label: L("Same event stream"), value: a.eventDigest == b.eventDigest ? L("yes") : L("no"),
                                    note: L("digests {0} / {1}", String(a.eventDigest?.prefix(8) ?? "—"), String(b.eventDigest?.prefix(8) ?? "—")))],
            sections: [
                .init(title: L("Figures that differ"), blocks: [.table(.init(header: [L("Figure"), "A", "B", "B − A", L("Relative")],
                                                                          rows: changed.map(cells)))]),
                .init(title: L("All figures"), blocks: [.table(.init(header: [L("Figure"), "A", "B", "B − A", L("Relative")],
                                                                  rows: rows.map(cells)))]),
            ]) }
        let json = JSONValue.object([
            ("a", .string(a.id)), ("b", .string(b.id)),
            ("figures", .array(rows.map { .object([("key", .string($0.key)), ("a", .string($0.a)), ("b", .string($0.b)),
                                                   ("difference", .string($0.difference)), ("relative", .string($0.relative))]) })),
        ])
        let folder = URL(fileURLWithPath: outDirectory).appendingPathComponent("compare-\(a.number)-\(b.number)")
        do {
            try ReportFolder.write(Language.$current.withValue(language) {
                [(name: "index.html", contents: Data(HTMLReport.render(report).utf8)),
                 (name: "summary.md", contents: Data(MarkdownReport.render(report).utf8))]
            } + [(name: "comparison.json", contents: Data(json.rendered().utf8))], to: folder)
        } catch { throw LabError("\(error)") }
        return folder.path
    }
}
