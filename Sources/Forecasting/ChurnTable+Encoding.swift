import Foundation
import Linalg
import WarRoomCore

extension ChurnTable {
    /// Encodes every column of `table` but the `skipping` ones.
    ///
    /// A column is numeric when every present value is a finite number, else categorical.
    /// Numeric missing values are set to the column's median and flagged in a
    /// `<column>_missing` column. Categorical columns are one-hot encoded against their most
    /// frequent level (ties: alphabetical), with levels seen in fewer than
    /// `rareLevelRows(rows:)` rows pooled into `(other)` and missing values a level
    /// `(missing)` of their own. A column with every value missing is left out.
    ///
    /// - Throws: `InputError` when no feature column is left.
    public init(encoding table: CSVTable, skipping: [Int]) throws {
        let n = table.rows.count
        var columns: [[Double]] = [], names: [String] = [], encodings: [ColumnEncoding] = []
        for c in table.header.indices where !skipping.contains(c) {
            let name = table.header[c]
            let raw = table.rows.map { $0[c].trimmedBlanks }
            let missing = raw.map(CSVTable.isMissing)
            let missingCount = missing.filter { $0 }.count
            if missingCount == n {
                encodings.append(.leftOut(column: name))
                continue
            }
            let numbers = raw.map { Double(decimal: $0) }
            if raw.indices.allSatisfy({ missing[$0] || (numbers[$0]?.isFinite ?? false) }) {
                encodings.append(Self.appendNumeric(name, numbers: numbers, missing: missing, to: &columns, names: &names))
            } else {
                encodings.append(Self.appendCategorical(name, raw: raw, missing: missing, to: &columns, names: &names))
            }
        }
        guard !names.isEmpty else {
            throw InputError(location: SourceLocation(file: table.file, line: 1, column: 1), path: "", message: "no feature columns besides the label and the id")
        }
        var x = Matrix(rows: n, columns: names.count)
        for (j, col) in columns.enumerated() { for i in 0..<n { x[i, j] = col[i] } }
        self.init(features: x, names: names, columns: encodings)
    }

    /// Rows a categorical level needs to keep a column of its own: 10, or 1 % of the rows when more.
    public static func rareLevelRows(rows n: Int) -> Int { max(10, n / 100) }

    /// The 0/1 labels of a column: `1`, `true`, `yes`, `y` (any case) are 1; `0`, `false`, `no`, `n` are 0.
    ///
    /// - Throws: `InputError` at the first other value.
    public static func binaryLabels(_ table: CSVTable, column: Int) throws -> [Double] {
        try table.rows.indices.map { r in
            switch table.rows[r][column].trimmedBlanks.lowercased() {
            case "1", "1.0", "true", "yes", "y": return 1
            case "0", "0.0", "false", "no", "n": return 0
            default: throw table.error(row: r, column: column, "label '\(table.rows[r][column])' is not 0/1, true/false or yes/no")
            }
        }
    }

    /// A numeric column, its missing values set to the median and flagged.
    private static func appendNumeric(_ name: String, numbers: [Double?], missing: [Bool], to columns: inout [[Double]],
                                      names: inout [String]) -> ColumnEncoding {
        let present = numbers.indices.filter { !missing[$0] }.map { numbers[$0]! }.sorted()
        let median = present.count % 2 == 1 ? present[present.count / 2] : (present[present.count / 2 - 1] + present[present.count / 2]) / 2
        columns.append(numbers.indices.map { missing[$0] ? median : numbers[$0]! })
        names.append(name)
        let missingCount = missing.filter { $0 }.count
        if missingCount > 0 {
            columns.append(missing.map { $0 ? 1 : 0 })
            names.append("\(name)_missing")
        }
        return .numeric(column: name, missing: missingCount, median: median)
    }

    /// A categorical column, one-hot against its most frequent level, rare levels pooled.
    private static func appendCategorical(_ name: String, raw: [String], missing: [Bool], to columns: inout [[Double]],
                                          names: inout [String]) -> ColumnEncoding {
        var counts: [String: Int] = [:]
        for (i, v) in raw.enumerated() { counts[missing[i] ? "(missing)" : v, default: 0] += 1 }
        let rare = rareLevelRows(rows: raw.count)
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
        return .categorical(column: name, levels: counts.count, reference: levels.first ?? "—", pooled: pooled.count, rareRows: rare,
                            missing: missing.filter { $0 }.count)
    }
}
