/// How `warroom export` writes a run's tables.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// One CSV file per table.
    case csv
    /// One NDJSON file per table (a JSON object per row).
    case ndjson
    /// The tables as CSV with the run's `metrics.json` and `analysis.ipynb`, a Jupyter notebook
    /// that loads them.
    case ipynb

    /// The format of the table files.
    var tableFormat: ExportFormat { self == .ipynb ? .csv : self }
}
