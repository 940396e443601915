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
    /// - Parameter positions: each row's grid position and table row, for naming the outliers.
    func checkGrid(series: Int, length: Int, covariates: Int, positions: [(pos: Int, row: Int, series: String, date: CivilDate)],
                   table: CSVTable, dsColumn: Int) throws {
        let need = Double(series) * Double(length) * Double((1 + covariates) * Self.bytesPerCell)
        guard need > Double(maxBytes) else { return }
        func mib(_ b: Double) -> String {
            b >= 1_073_741_824 ? String(format: "%.1f GiB", b / 1_073_741_824) : b >= 1_048_576 ? String(format: "%.0f MiB", b / 1_048_576) : String(format: "%.0f KiB", b / 1024)
        }
        var message = "the panel would need about \(mib(need)) (\(series) series × \(length) steps on one grid), over the budget of \(mib(Double(maxBytes)))"
        // The rows far outside where most dates lie (the 1st to 99th percentile, widened by its
        // own span on each side): a handful of them is a typo, not a long history.
        let sorted = positions.map(\.pos).sorted()
        let lo = sorted[sorted.count / 100], hi = sorted[(sorted.count - 1) * 99 / 100]
        let span = hi - lo + 1
        let far = positions.filter { $0.pos < lo - span || $0.pos > hi + span }
        if !far.isEmpty && far.count <= max(10, positions.count / 1000) {
            let named = far.prefix(3).map { "line \(table.lines[$0.row]) (unique_id \($0.series), ds \($0.date))" }.joined(separator: ", ")
            let rest = positions.filter { !($0.pos < lo - span || $0.pos > hi + span) }
            let first = rest.min { $0.date < $1.date }!.date, last = rest.max { $0.date < $1.date }!.date
            message += "; \(far.count) row(s) lie far outside the other rows' \(first) … \(last): \(named)\(far.count > 3 ? ", …" : ""): "
                + "correct or remove them, or raise --max-memory"
            throw table.error(row: far[0].row, column: dsColumn, message, series: far[0].series)
        }
        throw InputError(location: SourceLocation(file: table.file, line: 1, column: 1), path: "", message: message + ": raise --max-memory or split the panel")
    }
}
