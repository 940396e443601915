import Foundation
import WarRoomCore

/// Reads a sales panel in the long format of statsforecast and friends: columns `unique_id`,
/// `ds` (an ISO date `YYYY-MM-DD`, or a date-time whose date part is used) and `y`, plus optional
/// numeric covariates (e.g. `promo`, `price`) that the global models use as known for the horizon.
///
/// What it refuses, with the file, line, column and series: a missing required column, an empty
/// `unique_id`, an unreadable `ds`, a non-numeric or negative `y`, a non-numeric or missing
/// covariate, a date off the frequency's grid, a duplicate (series, date), and, unless gaps are
/// filled, a date missing inside a series. What it handles and reports in `notes`: rows out of
/// (unique_id, ds) order (sorted; series come out in byte order of their ids), series too short for the season and horizon (left out),
/// gaps filled with 0 when asked, rows with an empty `y` after a series' last observation (kept
/// as the covariates of the forecast horizon).
public struct PanelLoader {
    /// The time grid.
    public enum Frequency: String, Sendable, CaseIterable {
        case daily = "D", weekly = "W", monthly = "M"

        /// The default seasonal period: a week of days, a year of weeks, a year of months.
        public var defaultSeason: Int {
            switch self { case .daily: 7; case .weekly: 52; case .monthly: 12 }
        }
        /// Steps in a year.
        public var stepsPerYear: Double {
            switch self { case .daily: 365.25; case .weekly: 365.25 / 7; case .monthly: 12 }
        }
    }

    /// What to do with a date missing inside a series.
    public enum Gaps: String, Sendable { case refuse, zero }

    /// A loaded panel and what the loader did.
    public struct Loaded: Sendable {
        /// The panel: every series on the common grid, NaN outside a series' own span.
        public var panel: SalesPanel
        /// The date of each grid step.
        public var dates: [CivilDate]
        /// Index of each series' last observed value.
        public var lastObserved: [Int]
        /// The grid step after the panel's last observation (where forecasts start).
        public var end: Int
        /// What was handled rather than refused, one line each.
        public var notes: [String]
        /// Rows read.
        public var rows: Int
    }

    public var frequency: Frequency = .daily
    public var season: Int?
    public var gaps: Gaps = .refuse
    /// Observations a series needs to be kept (the caller sets it from season and horizon).
    public var minimumLength = 1
    /// The most memory the panel's common grid may take (`checkGrid`); refused above it.
    public var maxBytes = PanelLoader.defaultMaxBytes

    /// Creates a loader.
    public init(frequency: Frequency = .daily, season: Int? = nil, gaps: Gaps = .refuse, minimumLength: Int = 1,
                maxBytes: Int = PanelLoader.defaultMaxBytes) {
        self.frequency = frequency
        self.season = season
        self.gaps = gaps
        self.minimumLength = minimumLength
        self.maxBytes = maxBytes
    }

    /// Parses the date part of `ds`.
    static func date(_ field: String) -> CivilDate? {
        let t = field.trimmedBlanks, u = t.utf8
        guard u.count >= 10 else { return nil }
        let end = u.index(u.startIndex, offsetBy: 10)
        if end != u.endIndex { guard u[end] == UInt8(ascii: "T") || u[end] == UInt8(ascii: " ") else { return nil } }
        return CivilDate(iso: t[..<end])
    }

    /// The grid position of a date: days, weeks (from `anchor`), or months.
    func position(_ d: CivilDate, anchor: CivilDate) -> (Int, onGrid: Bool) {
        switch frequency {
        case .daily: return (d.daysSinceEpoch, true)
        case .weekly:
            let diff = d.daysSinceEpoch - anchor.daysSinceEpoch
            return (Int((Double(diff) / 7).rounded(.down)), diff % 7 == 0)
        case .monthly: return (d.year * 12 + d.month - 1, true)
        }
    }

    /// Puts the rows read on the panel's common grid.
    func load(_ reader: Reader) throws -> Loaded {
        let file = reader.file, dsColumn = reader.dsColumn, yColumn = reader.yColumn, covariateColumns = reader.covariateColumns
        let rows = reader.rows, names = reader.names
        guard !rows.isEmpty else {
            throw InputError(location: SourceLocation(file: file, line: 1, column: 1), path: "", message: "no rows after the header")
        }
        var notes: [String] = []
        // Order: by series id (byte order, whatever the file's order), then date.
        var rank = [Int32](repeating: 0, count: names.count)
        for (k, i) in names.indices.sorted(by: { names[$0].utf8.lexicographicallyPrecedes(names[$1].utf8) }).enumerated() { rank[i] = Int32(k) }
        let sorted = rows.sorted { a, b in
            a.series != b.series ? rank[Int(a.series)] < rank[Int(b.series)] : (a.day != b.day ? a.day < b.day : a.index < b.index)
        }
        if let k = rows.indices.first(where: { sorted[$0].index != rows[$0].index }) {
            notes.append("rows were not in (unique_id, ds) order (first out of order: line \(rows[k].line)); sorted")
        }
        let anchorDate = reader.anchor!
        var minPos = Int.max, maxPos = Int.min, seriesCount = 0
        for (k, row) in sorted.enumerated() {
            let (p, onGrid) = position(row.date, anchor: anchorDate)
            if !onGrid {
                throw reader.error(line: row.line, column: dsColumn, "\(row.date) is not on the weekly grid that starts on \(anchorDate)", series: names[Int(row.series)])
            }
            minPos = min(minPos, p); maxPos = max(maxPos, p)
            if k == 0 || sorted[k - 1].series != row.series { seriesCount += 1 }
        }
        let length = maxPos - minPos + 1
        guard length <= 5_000_000 else { throw reader.error(line: rows[0].line, column: dsColumn, "the dates span \(length) steps; the limit is 5,000,000") }
        try checkGrid(series: seriesCount, length: length, covariates: covariateColumns.count, reader: reader, anchor: anchorDate)

        // One series at a time.
        var ids: [String] = [], values: [[Double]] = [], covariates = [[[Double]]](repeating: [], count: covariateColumns.count)
        var lastObserved: [Int] = []
        var short: [String] = [], filled = 0, futureRows = 0, longest = 0
        var start = 0
        while start < sorted.count {
            var end = start
            while end < sorted.count && sorted[end].series == sorted[start].series { end += 1 }
            let id = names[Int(sorted[start].series)]
            var series = [Double](repeating: .nan, count: length)
            var cov = [[Double]](repeating: [Double](repeating: .nan, count: length), count: covariateColumns.count)
            var observed: [(pos: Int, line: Int, date: CivilDate)] = []
            var previous: (pos: Int, line: Int)?
            for k in start..<end {
                let row = sorted[k]
                let p = position(row.date, anchor: anchorDate).0 - minPos
                if let prev = previous, prev.pos == p {
                    throw reader.error(line: row.line, column: dsColumn, "duplicate date \(row.date) (also line \(prev.line))", series: id)
                }
                if let y = row.y {
                    series[p] = y
                    observed.append((p, row.line, row.date))
                }
                for c in covariateColumns.indices { cov[c][p] = reader.covariate(c, ofRow: row.index) }
                previous = (p, row.line)
            }
            // Steps without a value between two observations: refused, or zeros.
            for (a, b) in zip(observed, observed.dropFirst()) where b.pos > a.pos + 1 {
                if gaps == .refuse {
                    throw reader.error(line: b.line, column: yColumn,
                                       "no value for the \(b.pos - a.pos - 1) step(s) before \(b.date) (previous value: line \(a.line)); fill them or use --gaps zero",
                                      series: id)
                }
                for q in (a.pos + 1)..<b.pos { series[q] = 0; filled += 1 }
            }
            let firstY = observed.first?.pos ?? Int.max, lastY = observed.last?.pos ?? -1
            if lastY >= 0 { longest = max(longest, lastY - firstY + 1) }
            futureRows += sorted[start..<end].filter { $0.y == nil && position($0.date, anchor: anchorDate).0 - minPos > lastY }.count
            if lastY < 0 {
                short.append(id)
            } else if lastY - firstY + 1 < minimumLength {
                short.append(id)
            } else {
                ids.append(id)
                values.append(series)
                lastObserved.append(lastY)
                for c in covariateColumns.indices { covariates[c].append(cov[c]) }
            }
            start = end
        }
        if !short.isEmpty {
            notes.append("\(short.count) series shorter than \(minimumLength) observations left out: \(short.prefix(5).joined(separator: ", "))\(short.count > 5 ? ", …" : "")")
        }
        if filled > 0 { notes.append("\(filled) missing step(s) inside series filled with 0 (--gaps zero)") }
        if futureRows > 0 { notes.append("\(futureRows) row(s) with an empty y after a series' last value: covariates of the forecast horizon") }
        guard !ids.isEmpty else {
            throw InputError(location: SourceLocation(file: file, line: 1, column: 1), path: "",
                             message: "no series with at least \(minimumLength) observations (\(seriesCount) series, the longest spans \(longest))")
        }
        let dates: [CivilDate] = (0..<length).map { t in
            switch frequency {
            case .daily: return CivilDate(daysSinceEpoch: minPos + t)
            case .weekly: return anchorDate.adding(days: 7 * (minPos + t))
            case .monthly:
                let m = minPos + t
                return CivilDate(iso: String(format: "%04d-%02d-01", m / 12, m % 12 + 1)) ?? anchorDate
            }
        }
        let m = season ?? frequency.defaultSeason
        let positions: [Int] = (0..<length).map { t in
            switch frequency {
            case .daily where m == 7: return dates[t].weekday
            case .monthly where m == 12: return dates[t].month - 1
            default: return (minPos + t) % max(1, m)
            }
        }
        let panel = SalesPanel(ids: ids, groups: [Int](repeating: 0, count: ids.count), groupNames: ["all"], values: values, season: m,
                               seasonPosition: positions,
                               yearFraction: frequency == .daily ? dates.map { Double($0.dayOfYear - 1) / 365.25 } : nil,
                               stepsPerYear: frequency.stepsPerYear,
                               future: covariateColumns.indices.map { SalesPanel.Covariate(name: reader.header[covariateColumns[$0]], values: covariates[$0]) })
        return Loaded(panel: panel, dates: dates, lastObserved: lastObserved, end: (lastObserved.max() ?? 0) + 1, notes: notes, rows: rows.count)
    }
}

extension PanelLoader.Loaded {
    /// The panel with its grid extended to at least `length` steps (dates continue at the
    /// frequency; values and covariates unknown), so that forecasts past the data have dates,
    /// weekdays and times of year.
    public func extended(to length: Int, frequency: PanelLoader.Frequency) -> PanelLoader.Loaded {
        guard length > dates.count, let last = dates.last else { return self }
        var out = self
        let extra = length - dates.count
        for k in 1...extra {
            let d: CivilDate
            switch frequency {
            case .daily: d = last.adding(days: k)
            case .weekly: d = last.adding(days: 7 * k)
            case .monthly:
                let m = last.year * 12 + last.month - 1 + k
                d = CivilDate(iso: String(format: "%04d-%02d-01", m / 12, m % 12 + 1)) ?? last
            }
            out.dates.append(d)
            let m = max(1, panel.season)
            let position: Int
            switch frequency {
            case .daily where m == 7: position = d.weekday
            case .monthly where m == 12: position = d.month - 1
            default: position = (panel.seasonPosition.last.map { $0 + k } ?? k) % m
            }
            out.panel.seasonPosition.append(position)
            out.panel.yearFraction?.append(Double(d.dayOfYear - 1) / 365.25)
        }
        for s in out.panel.values.indices { out.panel.values[s] += [Double](repeating: .nan, count: extra) }
        for c in out.panel.future.indices {
            for s in out.panel.future[c].values.indices { out.panel.future[c].values[s] += [Double](repeating: .nan, count: extra) }
        }
        return out
    }
}
