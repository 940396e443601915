import Forecasting
import Foundation
import Reporting
import WarRoomCore

/// `warroom churn --data FILE.csv --label COLUMN`: the churn model on a user's customer table,
/// cross-validated, with its coefficients.
///
/// Columns other than the label and the id are features, encoded by `ChurnTable(encoding:)`
/// (one-hot with rare levels pooled, missing values imputed and flagged); everything done is
/// listed in `encoding`.
public enum DataChurn {
    /// What to fit.
    public struct Options {
        /// The customer table (CSV, one row per customer).
        public var path: String
        /// The 0/1 column to predict.
        public var label: String
        /// An id column left out of the features.
        public var id: String?
        /// Cross-validation folds.
        public var folds = 5
        /// L2 penalty on the standardised coefficients.
        public var l2 = 1.0
        /// The most memory the table may take, as text and once encoded (`--max-memory`; default a
        /// quarter of this machine's).
        public var maxMemory = PanelLoader.defaultMaxBytes
        /// Creates options.
        public init(path: String, label: String) {
            self.path = path
            self.label = label
        }
    }

    /// The most encoded feature columns a table may have (one-hot levels included).
    public static let maximumFeatures = 1_000

    /// One coefficient of the model fitted on every row, rounded to six decimals (z to four).
    public struct Coefficient: Sendable {
        /// `intercept`, or the feature's name.
        public var feature: String
        /// The estimate and its standard error (nil when not finite).
        public var estimate: Double?, standardError: Double?
        /// estimate / standard error (nil when the standard error is 0).
        public var z: Double?
    }

    /// The model's figures on a table.
    public struct Result: Sendable {
        /// The table file.
        public var file: String
        /// Rows, and rows labelled 1.
        public var rows: Int, positives: Int
        /// The feature columns and how each source column was encoded.
        public var features: [String], encoding: [String]
        /// Cross-validation folds.
        public var folds: Int
        /// Out-of-fold ROC AUC, log loss, Brier score, expected calibration error and
        /// top-decile lift (nil when undefined), rounded to six decimals.
        public var auc: Double?, logLoss: Double?, brier: Double?, ece: Double?, topDecileLift: Double?
        /// Out-of-fold reliability bins.
        public var reliability: [ClassificationMetrics.Bin]
        /// The L2 penalty.
        public var l2: Double
        /// The coefficients of the model fitted on every row, intercept first.
        public var coefficients: [Coefficient]
        /// Features constant over the table (their coefficients are 0).
        public var constantFeatures: [String]
        /// Newton iterations of the full fit.
        public var newtonIterations: Int
        /// Seconds taken, rounded to the millisecond.
        public var wallSeconds: Double

        /// The result as JSON (`warroom churn --json`).
        public var json: JSONValue {
            .object([
                ("file", .string(file)), ("rows", .count(rows)), ("positive_rows", .count(positives)),
                ("positive_share", .number(Figure.finite(Double(positives) / Double(rows)))),
                ("features", .array(features.map { .string($0) })),
                ("encoding", .array(encoding.map { .string($0) })),
                ("cross_validation", .object([
                    ("folds", .count(folds)),
                    ("auc", .number(auc)), ("log_loss", .number(logLoss)), ("brier", .number(brier)), ("ece", .number(ece)),
                    ("top_decile_lift", .number(topDecileLift)),
                    ("reliability", .array(reliability.map {
                        .object([("rows", .count($0.count)), ("predicted", .number(Figure.finite($0.predicted))),
                                 ("observed", .number(Figure.finite($0.observed)))])
                    })),
                ])),
                ("l2_penalty", .number(Figure.finite(l2))),
                ("coefficients", .array(coefficients.map {
                    .object([("feature", .string($0.feature)), ("estimate", .number($0.estimate)), ("standard_error", .number($0.standardError)),
                             ("z", .number($0.z))])
                })),
                ("constant_features", .array(constantFeatures.map { .string($0) })),
                ("newton_iterations", .count(newtonIterations)),
                ("wall_seconds", .double(wallSeconds)),
            ])
        }
    }

    /// Fits and cross-validates.
    public static func run(_ o: Options) throws -> Result {
        let wall = Stopwatch()
        guard (2...20).contains(o.folds) else { throw LabError("--folds must be between 2 and 20", exitCode: LabError.invalidInput) }
        guard o.l2 >= 0 && o.l2.isFinite else { throw LabError("--l2 must be ≥ 0", exitCode: LabError.invalidInput) }
        let (y, encoded) = try load(o)
        let positives = y.reduce(0, +)
        guard positives > 0 && positives < Double(y.count) else {
            throw LabError("\(o.path): the label \(o.label) has only one class (\(Int(positives)) of \(y.count) rows are 1)", exitCode: LabError.invalidInput)
        }
        let outOfFold: [Double], full: GLM
        do {
            outOfFold = try encoded.crossValidatedProbabilities(labels: y, folds: o.folds, l2: o.l2)
            full = try encoded.fit(labels: y, l2: o.l2)
        } catch { throw LabError("churn model: \(error)") }
        let known = outOfFold.indices.filter { outOfFold[$0].isFinite }
        let p = known.map { outOfFold[$0] }, labels = known.map { y[$0] }
        let coefficients = zip(["intercept"] + encoded.names, zip(full.coefficients, full.standardErrors)).map { name, c in
            Coefficient(feature: name, estimate: Figure.finite(c.0), standardError: Figure.finite(c.1),
                        z: c.1 > 0 ? Figure.finite(c.0 / c.1, scale: 1e4) : nil)
        }
        return Result(file: o.path, rows: y.count, positives: Int(positives), features: encoded.names,
                      encoding: encoded.columns.compactMap(note), folds: o.folds,
                      auc: Figure.finite(ClassificationMetrics.auc(scores: p, labels: labels)),
                      logLoss: Figure.finite(ClassificationMetrics.logLoss(probabilities: p, labels: labels)),
                      brier: Figure.finite(ClassificationMetrics.brier(probabilities: p, labels: labels)),
                      ece: Figure.finite(ClassificationMetrics.ece(probabilities: p, labels: labels)),
                      topDecileLift: Figure.finite(ClassificationMetrics.topDecileLift(scores: p, labels: labels)),
                      reliability: ClassificationMetrics.reliability(probabilities: p, labels: labels), l2: o.l2,
                      coefficients: coefficients, constantFeatures: full.constantColumns.map { encoded.names[$0] },
                      newtonIterations: full.iterations, wallSeconds: Figure.rounded(wall.seconds, scale: 1000))
    }

    /// Refuses `features` feature columns for `rows` rows when there are more than
    /// `maximumFeatures`, or not fewer than the rows. Newton's method costs (folds + 1) ×
    /// iterations × (2·n·p² + p³/3): with more features than rows the fit is not identified
    /// without the penalty, its standard errors mean nothing, and at thousands of features it
    /// would run for minutes.
    static func checkWidth(features: Int, rows: Int, path: String) throws {
        guard features >= rows || features > maximumFeatures else { return }
        throw LabError("\(path): \(features) feature columns after encoding for \(rows) rows: "
                       + (features >= rows ? "more features than rows" : "more than \(maximumFeatures) features")
                       + "; drop or merge columns (at most \(maximumFeatures), and fewer than the rows)", exitCode: LabError.invalidInput)
    }

    /// The table's labels and encoded features, or the input error that stops them.
    static func load(_ o: Options) throws -> (labels: [Double], table: ChurnTable) {
        do {
            // The cells are held as text until encoded: refused before they are read when even
            // that would be over the budget.
            let text = try CSVTable.estimatedLoadBytes(path: o.path)
            if text > Double(o.maxMemory) {
                throw LabError("\(o.path): reading the table would take up to \(MemoryEstimate.size(text)) (its cells as text), over the budget of "
                               + "\(MemoryEstimate.size(Double(o.maxMemory))): drop columns, sample rows or raise --max-memory", exitCode: LabError.invalidInput)
            }
            let table = try CSVTable.load(path: o.path)
            let start = SourceLocation(file: o.path, line: 1, column: 1)
            guard let labelColumn = table.column(named: o.label) else {
                throw InputError(location: start, path: o.label, message: "label column missing (the header has: \(table.header.joined(separator: ", ")))")
            }
            var skipped = [labelColumn]
            if let id = o.id {
                guard let c = table.column(named: id) else { throw InputError(location: start, path: id, message: "id column missing") }
                skipped.append(c)
            }
            guard !table.rows.isEmpty else { throw InputError(location: start, path: "", message: "no rows after the header") }
            let labels = try ChurnTable.binaryLabels(table, column: labelColumn)
            // The encoded matrix and its column copies take about 16 bytes per row and source
            // column (a categorical column's levels can add a few): refused before it is built
            // when that alone is over the budget.
            let sourceColumns = table.header.count - skipped.count
            let need = 16 * Double(labels.count) * Double(sourceColumns)
            if need > Double(o.maxMemory) {
                throw LabError("\(o.path): \(labels.count) rows × \(sourceColumns) columns would take about \(MemoryEstimate.size(need)) once encoded, "
                               + "over the budget of \(MemoryEstimate.size(Double(o.maxMemory))): drop columns, sample rows or raise --max-memory",
                               exitCode: LabError.invalidInput)
            }
            let encoded = try ChurnTable(encoding: table, skipping: skipped)
            try checkWidth(features: encoded.names.count, rows: labels.count, path: o.path)
            return (labels, encoded)
        } catch let error as InputError {
            throw LabError(error)
        }
    }

    /// The `encoding` line of a source column (none for a complete numeric column).
    static func note(_ column: ChurnTable.ColumnEncoding) -> String? {
        switch column {
        case .leftOut(let name):
            return "\(name): every value missing; left out"
        case .numeric(let name, let missing, let median):
            guard missing > 0 else { return nil }
            return "\(name): \(missing) missing value(s) set to the median \(CSVWriter.number(median)), flagged in \(name)_missing"
        case .categorical(let name, let levels, let reference, let pooled, let rareRows, let missing):
            return "\(name): categorical, \(levels) level(s); reference \(reference)"
                + (pooled == 0 ? "" : "; \(pooled) level(s) seen in fewer than \(rareRows) rows pooled into (other)")
                + (missing > 0 ? "; \(missing) missing value(s) as level (missing)" : "")
        }
    }
}
