import Linalg
import WarRoomCore

/// A user's customer table encoded for the churn model: one numeric column per feature (one-hot
/// levels, imputed values and their missing-value flags included), with how each source column
/// was encoded.
///
/// ```swift
/// let table = try CSVTable.load(path: "customers.csv")
/// let label = table.column(named: "churned")!
/// let encoded = try ChurnTable(encoding: table, skipping: [label])
/// let y = try ChurnTable.binaryLabels(table, column: label)
/// let fit = try encoded.fit(labels: y, l2: 1)
/// ```
public struct ChurnTable: Sendable {
    /// The design matrix: one row per table row, one column per name in `names` (no intercept).
    public var features: Matrix
    /// The feature names: a numeric column's name, `<column>_missing` for its missing-value
    /// flag, `<column>=<level>` for a categorical level.
    public var names: [String]
    /// How each source column was encoded, in the table's order.
    public var columns: [ColumnEncoding]

    /// Rows of the table.
    public var rows: Int { features.rows }

    /// What was done to one source column.
    public enum ColumnEncoding: Sendable, Equatable {
        /// Every value missing: the column was left out.
        case leftOut(column: String)
        /// Numbers; `missing` values set to `median` and flagged in `<column>_missing` (when any).
        case numeric(column: String, missing: Int, median: Double)
        /// Categories: `levels` distinct values, one-hot against `reference`; `pooled` levels
        /// seen in fewer than `rareRows` rows pooled into `(other)`; `missing` values as the
        /// level `(missing)`.
        case categorical(column: String, levels: Int, reference: String, pooled: Int, rareRows: Int, missing: Int)
    }

    /// Creates an encoded table from its parts.
    public init(features: Matrix, names: [String], columns: [ColumnEncoding]) {
        self.features = features
        self.names = names
        self.columns = columns
    }

    /// The cross-validation fold of a row: a hash of the row number, so the folds are the same
    /// for every run and unrelated to the file's order.
    public static func fold(row: Int, folds: Int) -> Int {
        Int(RandomStream.mix(UInt64(row) &+ 0x5EED) % UInt64(folds))
    }

    /// The L2-regularised logistic model on every row.
    public func fit(labels: [Double], l2: Double) throws -> GLM {
        try GLM.fit(features: features, response: labels, family: .binomial, options: .init(l2: l2))
    }

    /// Out-of-fold probabilities: each row predicted by the model fitted on the other folds
    /// (`fold(row:folds:)`); NaN for a row whose fold had no training or no test rows.
    public func crossValidatedProbabilities(labels y: [Double], folds: Int, l2: Double) throws -> [Double] {
        let fold = y.indices.map { Self.fold(row: $0, folds: folds) }
        var outOfFold = [Double](repeating: .nan, count: y.count)
        for k in 0..<folds {
            let train = y.indices.filter { fold[$0] != k }, test = y.indices.filter { fold[$0] == k }
            if test.isEmpty || train.isEmpty { continue }
            let model = try GLM.fit(features: features.selecting(rows: train), response: train.map { y[$0] }, family: .binomial,
                                    options: .init(l2: l2))
            let p = try model.predict(features.selecting(rows: test))
            for (i, r) in test.enumerated() { outOfFold[r] = p[i] }
        }
        return outOfFold
    }
}
