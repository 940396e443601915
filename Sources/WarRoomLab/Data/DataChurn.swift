import Forecasting
import Foundation
import Linalg
import Reporting
import WarRoomCore

/// `warroom churn --data FILE.csv --label COLUMN`: the churn model on a user's customer table,
/// cross-validated, with its coefficients.
///
/// Columns other than the label and the id are features: numeric when every present value is a
/// number, else categorical. Categorical columns are one-hot encoded against their most frequent
/// level, with levels seen in fewer than max(10, 1 %) rows pooled into `(other)` and missing
/// values a level of their own; numeric missing values are replaced by the column's median and
/// flagged in a `<column>_missing` column. Everything done is listed in `encoding`.
public enum DataChurn {
    /// What to fit.
    public struct Options {
        public var path: String
        public var label: String
        public var id: String?
        public var folds = 5
        public var l2 = 1.0
        /// Creates options.
        public init(path: String, label: String) {
            self.path = path
            self.label = label
        }
    }

    /// The design matrix built from a table.
    struct Encoded {
        var x: Matrix
        var names: [String]
        var notes: [String]
    }

    /// Fits, cross-validates and returns the JSON.
    public static func run(_ o: Options) throws -> JSONValue {
        let wall = Stopwatch()
        guard (2...20).contains(o.folds) else { throw LabError("--folds must be between 2 and 20", exitCode: LabError.invalidInput) }
        guard o.l2 >= 0 && o.l2.isFinite else { throw LabError("--l2 must be ≥ 0", exitCode: LabError.invalidInput) }
        let table: CSVTable
        let y: [Double]
        let encoded: Encoded
        do {
            table = try CSVTable.load(path: o.path)
            guard let labelColumn = table.column(named: o.label) else {
                throw InputError(location: SourceLocation(file: o.path, line: 1, column: 1), path: o.label,
                                 message: "label column missing (the header has: \(table.header.joined(separator: ", ")))")
            }
            var idColumn: Int?
            if let id = o.id {
                guard let c = table.column(named: id) else {
                    throw InputError(location: SourceLocation(file: o.path, line: 1, column: 1), path: id, message: "id column missing")
                }
                idColumn = c
            }
            guard !table.rows.isEmpty else { throw InputError(location: SourceLocation(file: o.path, line: 1, column: 1), path: "", message: "no rows after the header") }
            y = try table.rows.indices.map { r in
                switch table.rows[r][labelColumn].trimmingCharacters(in: .whitespaces).lowercased() {
                case "1", "1.0", "true", "yes", "y": return 1
                case "0", "0.0", "false", "no", "n": return 0
                default: throw table.error(row: r, column: labelColumn, "label '\(table.rows[r][labelColumn])' is not 0/1, true/false or yes/no")
                }
            }
            encoded = try encode(table, skipping: [labelColumn] + (idColumn.map { [$0] } ?? []))
        } catch let error as InputError {
            throw LabError(error.description, exitCode: LabError.invalidInput)
        }
        let positives = y.reduce(0, +)
        guard positives > 0 && positives < Double(y.count) else {
            throw LabError("\(o.path): the label \(o.label) has only one class (\(Int(positives)) of \(y.count) rows are 1)", exitCode: LabError.invalidInput)
        }
        // Folds by a hash of the row number: the same for every run, unrelated to the file's order.
        let fold = y.indices.map { Int(RandomStream.mix(UInt64($0) &+ 0x5EED) % UInt64(o.folds)) }
        var outOfFold = [Double](repeating: .nan, count: y.count)
        do {
            for k in 0..<o.folds {
                let train = y.indices.filter { fold[$0] != k }, test = y.indices.filter { fold[$0] == k }
                if test.isEmpty || train.isEmpty { continue }
                let fit = try GLM.fit(features: encoded.x.selecting(rows: train), response: train.map { y[$0] }, family: .binomial, options: .init(l2: o.l2))
                let p = try fit.predict(encoded.x.selecting(rows: test))
                for (i, r) in test.enumerated() { outOfFold[r] = p[i] }
            }
        } catch { throw LabError("churn model: \(error)") }
        let full: GLM
        do { full = try GLM.fit(features: encoded.x, response: y, family: .binomial, options: .init(l2: o.l2)) } catch {
            throw LabError("churn model: \(error)")
        }
        let known = outOfFold.indices.filter { outOfFold[$0].isFinite }
        let p = known.map { outOfFold[$0] }, labels = known.map { y[$0] }
        func r(_ v: Double?, _ digits: Double = 1e6) -> JSONValue {
            guard let v, v.isFinite else { return .null }
            return .double((v * digits).rounded() / digits)
        }
        return .object([
            ("file", .string(o.path)), ("rows", .int(Int64(y.count))), ("positives", .int(Int64(positives))),
            ("positive_rate", r(positives / Double(y.count))),
            ("features", .array(encoded.names.map { .string($0) })),
            ("encoding", .array(encoded.notes.map { .string($0) })),
            ("cross_validation", .object([
                ("folds", .int(Int64(o.folds))),
                ("auc", r(ClassificationMetrics.auc(scores: p, labels: labels))),
                ("log_loss", r(ClassificationMetrics.logLoss(probabilities: p, labels: labels))),
                ("brier", r(ClassificationMetrics.brier(probabilities: p, labels: labels))),
                ("ece", r(ClassificationMetrics.ece(probabilities: p, labels: labels))),
                ("top_decile_lift", r(ClassificationMetrics.topDecileLift(scores: p, labels: labels))),
                ("reliability", .array(ClassificationMetrics.reliability(probabilities: p, labels: labels).map {
                    .object([("count", .int(Int64($0.count))), ("predicted", r($0.predicted)), ("observed", r($0.observed))])
                })),
            ])),
            ("l2", r(o.l2)),
            ("coefficients", .array(zip(["intercept"] + encoded.names, zip(full.coefficients, full.standardErrors)).map {
                .object([("feature", .string($0)), ("estimate", r($1.0)), ("standard_error", r($1.1)),
                         ("z", $1.1 > 0 ? r($1.0 / $1.1, 1e4) : .null)])
            })),
            ("constant_features", .array(full.constantColumns.map { .string(encoded.names[$0]) })),
            ("newton_iterations", .int(Int64(full.iterations))),
            ("wall_seconds", r(wall.seconds, 1000)),
        ])
    }

    /// One-hot and imputation: the design matrix of every column but the skipped ones.
    static func encode(_ table: CSVTable, skipping: [Int]) throws -> Encoded {
        let n = table.rows.count
        var columns: [[Double]] = [], names: [String] = [], notes: [String] = []
        for c in table.header.indices where !skipping.contains(c) {
            let name = table.header[c]
            let raw = table.rows.map { $0[c].trimmingCharacters(in: .whitespaces) }
            let missing = raw.map(CSVTable.isMissing)
            let numbers = raw.map { Double($0) }
            let numeric = raw.indices.allSatisfy { missing[$0] || (numbers[$0]?.isFinite ?? false) }
            let missingCount = missing.filter { $0 }.count
            if missingCount == n {
                notes.append("\(name): every value missing; left out")
                continue
            }
            if numeric {
                let present = raw.indices.filter { !missing[$0] }.map { numbers[$0]! }.sorted()
                let median = present.count % 2 == 1 ? present[present.count / 2] : (present[present.count / 2 - 1] + present[present.count / 2]) / 2
                columns.append(raw.indices.map { missing[$0] ? median : numbers[$0]! })
                names.append(name)
                if missingCount > 0 {
                    columns.append(missing.map { $0 ? 1 : 0 })
                    names.append("\(name)_missing")
                    notes.append("\(name): \(missingCount) missing value(s) set to the median \(CSVWriter.number(median)), flagged in \(name)_missing")
                }
            } else {
                var counts: [String: Int] = [:]
                for (i, v) in raw.enumerated() { counts[missing[i] ? "(missing)" : v, default: 0] += 1 }
                let rare = max(10, n / 100)
                var levels = counts.filter { $0.value >= rare }.map(\.key)
                let pooled = counts.filter { $0.value < rare }
                if !pooled.isEmpty { levels.append("(other)") }
                // The most frequent level is the reference (ties: alphabetical), so the columns are not collinear.
                let frequency = { (level: String) in level == "(other)" ? pooled.values.reduce(0, +) : counts[level]! }
                levels.sort { frequency($0) != frequency($1) ? frequency($0) > frequency($1) : $0 < $1 }
                let levelOf = raw.indices.map { i -> String in
                    let v = missing[i] ? "(missing)" : raw[i]
                    return (counts[v] ?? 0) >= rare ? v : "(other)"
                }
                for level in levels.dropFirst() {
                    columns.append(levelOf.map { $0 == level ? 1 : 0 })
                    names.append("\(name)=\(level)")
                }
                notes.append("\(name): categorical, \(counts.count) level(s); reference \(levels.first ?? "—")"
                             + (pooled.isEmpty ? "" : "; \(pooled.count) level(s) seen in fewer than \(rare) rows pooled into (other)")
                             + (missingCount > 0 ? "; \(missingCount) missing value(s) as level (missing)" : ""))
            }
        }
        guard !names.isEmpty else {
            throw InputError(location: SourceLocation(file: table.file, line: 1, column: 1), path: "", message: "no feature columns besides the label and the id")
        }
        var x = Matrix(rows: n, columns: names.count)
        for (j, col) in columns.enumerated() { for i in 0..<n { x[i, j] = col[i] } }
        return Encoded(x: x, names: names, notes: notes)
    }
}
