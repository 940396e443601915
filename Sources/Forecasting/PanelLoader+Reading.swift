import WarRoomCore

extension PanelLoader {
    /// One row of a panel as read: typed at once and packed (24 bytes), so the file's text is never
    /// kept and a panel of many millions of rows stays small.
    struct Row {
        /// The series, an index into `Reader.names`.
        var series: Int32
        /// The date, as days since 1970-01-01.
        var day: Int32
        /// The 1-based line the row starts on (a file of at most 2 GiB has fewer lines).
        var storedLine: UInt32
        /// The row's place in the file, for its covariates.
        var index: Int32
        /// The value; NaN when the row has none.
        var value: Double

        /// The row's date.
        var date: CivilDate { CivilDate(daysSinceEpoch: Int(day)) }
        /// The line the row starts on.
        var line: Int { Int(storedLine) }
        /// The value, nil when the row has none.
        var y: Double? { value.isNaN ? nil : value }
    }

    /// Collects a panel's rows one at a time, as the CSV is read.
    struct Reader {
        let file: String
        let header: [String]
        let idColumn: Int, dsColumn: Int, yColumn: Int
        let covariateColumns: [Int]
        /// Series ids, each once, in order of first appearance.
        var names: [String] = []
        var index: [String: Int32] = [:]
        var rows: [Row] = []
        /// Each row's covariates, row after row.
        var covariates: [Double] = []
        /// The earliest date read (the weekly grid's anchor).
        var anchor: CivilDate?

        /// Checks the header: `unique_id`, `ds` and `y` are needed; other columns are covariates.
        init(header: [String], file: String) throws {
            func required(_ name: String) throws -> Int {
                guard let c = header.firstIndex(of: name) else {
                    throw InputError(location: SourceLocation(file: file, line: 1, column: 1), path: name,
                                     message: "required column missing (the header has: \(header.joined(separator: ", ")))")
                }
                return c
            }
            self.file = file
            self.header = header
            let known = [try required("unique_id"), try required("ds"), try required("y")]
            (idColumn, dsColumn, yColumn) = (known[0], known[1], known[2])
            covariateColumns = header.indices.filter { !known.contains($0) }
        }

        /// An error at a field, naming the column and the series.
        func error(line: Int, column: Int, _ message: String, series: String? = nil) -> InputError {
            CSVTable.fieldError(file: file, header: header, line: line, column: column, message, series: series)
        }

        /// The `c`-th covariate of the row at `index`.
        func covariate(_ c: Int, ofRow index: Int32) -> Double { covariates[Int(index) * covariateColumns.count + c] }

        /// Reads one row's fields.
        mutating func add(_ fields: [String], line: Int) throws {
            let id = fields[idColumn].trimmedBlanks
            if id.isEmpty { throw error(line: line, column: idColumn, "empty series id") }
            guard let d = PanelLoader.date(fields[dsColumn]) else {
                throw error(line: line, column: dsColumn, "'\(fields[dsColumn])' is not a date (YYYY-MM-DD, or a date-time)", series: id)
            }
            if anchor == nil || d < anchor! { anchor = d }
            var y: Double?
            if !CSVTable.isMissing(fields[yColumn]) {
                guard let v = Double(decimal: fields[yColumn].trimmedBlanks) else {
                    throw error(line: line, column: yColumn, "'\(fields[yColumn])' is not a number", series: id)
                }
                guard v >= 0 else { throw error(line: line, column: yColumn, "negative value \(v): sales panels must be ≥ 0", series: id) }
                y = v
            }
            for c in covariateColumns {
                guard let v = Double(decimal: fields[c].trimmedBlanks) else {
                    throw error(line: line, column: c, CSVTable.isMissing(fields[c]) ? "missing covariate value" : "'\(fields[c])' is not a number", series: id)
                }
                covariates.append(v)
            }
            guard rows.count < Int32.max, line <= UInt32.max else { throw error(line: line, column: idColumn, "more than \(Int32.max) rows") }
            let series: Int32
            if let k = index[id] { series = k } else {
                series = Int32(names.count)
                index[id] = series
                names.append(id)
            }
            rows.append(Row(series: series, day: Int32(d.daysSinceEpoch), storedLine: UInt32(line), index: Int32(rows.count), value: y ?? .nan))
        }
    }

    /// Loads a CSV file row by row: only the typed rows are kept, never the cells' text.
    public func load(path: String) throws -> Loaded {
        var reader: Reader?
        try CSVTable.stream(path: path, header: { reader = try Reader(header: $0, file: path) }, row: { try reader!.add($0, line: $1) })
        return try load(reader!)
    }

    /// Loads a CSV table already in memory.
    public func load(_ table: CSVTable) throws -> Loaded {
        var reader = try Reader(header: table.header, file: table.file)
        for (r, fields) in table.rows.enumerated() { try reader.add(fields, line: table.lines[r]) }
        return try load(reader)
    }
}
