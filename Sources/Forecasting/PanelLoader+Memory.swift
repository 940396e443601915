import Foundation
import WarRoomCore

extension PanelLoader {
    /// Bytes per cell of the common grid the models work on: the values and each covariate, in
    /// the panel and in the few working copies the forecasters and the backtest make of them.
    static let bytesPerCell = 8 * 4

    /// The default memory budget of a panel's grid: a quarter of this machine's memory.
    public static var defaultMaxBytes: Int { Int(min(Double(Int.max), Double(ProcessInfo.processInfo.physicalMemory) / 4)) }

    /// Refuses a grid of `series` × `length` steps (with `covariates` covariates) whose memory
    /// would exceed `maxBytes`, before any of it is allocated: the message gives the figure and,
    /// when a few rows stretch the grid (a date typed wrong, say), names them with the span of
    /// the others.
    ///
    /// - Parameters:
    ///   - reader: the rows read, for naming the outliers.
    ///   - anchor: the weekly grid's anchor (the earliest date).
    func checkGrid(series: Int, length: Int, covariates: Int, reader: Reader, anchor: CivilDate) throws {
        let need = Double(series) * Double(length) * Double((1 + covariates) * Self.bytesPerCell)
        guard need > Double(maxBytes) else { return }
        func mib(_ b: Double) -> String {
            b >= 1_073_741_824 ? String(format: "%.1f GiB", b / 1_073_741_824) : b >= 1_048_576 ? String(format: "%.0f MiB", b / 1_048_576) : String(format: "%.0f KiB", b / 1024)
        }
        var message = "the panel would need about \(mib(need)) (\(series) series × \(length) steps on one grid), over the budget of \(mib(Double(maxBytes)))"
        // The rows far outside where most dates lie (the 1st to 99th percentile widened by its
        // own span on each side; in a panel of fewer than 100 rows, where a typo would be the 1st
        // percentile itself, the quartiles widened by three times theirs): a handful of them is a
        // typo, not a long history.
        let positions = reader.rows.map { position($0.date, anchor: anchor).0 }
        let sorted = positions.sorted(), n = sorted.count
        let (lo, hi, widen) = n >= 100 ? (sorted[n / 100], sorted[(n - 1) * 99 / 100], 1) : (sorted[n / 4], sorted[(n - 1) * 3 / 4], 3)
        let span = widen * (hi - lo + 1)
        let far = positions.indices.filter { positions[$0] < lo - span || positions[$0] > hi + span }
        if !far.isEmpty && far.count <= max(10, positions.count / 1000) {
            let rows = reader.rows
            let named = far.prefix(3).map { "line \(rows[$0].line) (unique_id \(reader.names[Int(rows[$0].series)]), ds \(rows[$0].date))" }.joined(separator: ", ")
            let rest = positions.indices.filter { !(positions[$0] < lo - span || positions[$0] > hi + span) }
            let first = rest.map { rows[$0].date }.min()!, last = rest.map { rows[$0].date }.max()!
            message += "; \(far.count) row(s) lie far outside the other rows' \(first) … \(last): \(named)\(far.count > 3 ? ", …" : ""): "
                + "correct or remove them, or raise --max-memory"
            throw reader.error(line: rows[far[0]].line, column: reader.dsColumn, message, series: reader.names[Int(rows[far[0]].series)])
        }
        throw InputError(location: SourceLocation(file: reader.file, line: 1, column: 1), path: "", message: message + ": raise --max-memory or split the panel")
    }
}
