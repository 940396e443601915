import Foundation

/// A CSV file read into memory (the file itself mapped, not copied): a header and rows of text fields, each row with its line number,
/// so that every later error can name the file, line and column. `stream(path:header:row:)` reads
/// a file row by row instead, for readers that keep typed values rather than every cell's text.
///
/// RFC 4180: comma-separated, fields optionally in double quotes (a doubled quote inside a quoted
/// field is one quote; quoted fields may hold commas and line breaks), LF or CRLF line ends, a
/// UTF-8 byte-order mark allowed. Blank lines are skipped.
///
/// ```swift
/// let table = try CSVTable.load(path: "sales.csv")
/// let y = table.column(named: "y")
/// ```
public struct CSVTable: Sendable {
    /// The file's path as the user gave it.
    public var file: String
    /// Column names.
    public var header: [String]
    /// Rows of fields (each as long as the header).
    public var rows: [[String]]
    /// The 1-based line each row starts on.
    public var lines: [Int]

    /// The largest file read (bytes): 2 GiB.
    public static let maximumBytes = 2 << 30

    /// Reads and parses a file.
    public static func load(path: String) throws -> CSVTable {
        try parse(mapped(path: path), file: path)
    }

    /// Reads a file row by row without keeping its rows (the file mapped, not copied): `header`
    /// gets the column names once checked, then `row` each row's fields (as many as the header
    /// has) with the 1-based line the row starts on.
    public static func stream(path: String, header: ([String]) throws -> Void, row: ([String], Int) throws -> Void) throws {
        try stream(mapped(path: path), file: path, header: header, row: row)
    }

    /// Reads CSV bytes row by row (`stream(path:header:row:)`).
    public static func stream(_ data: Data, file: String, header: ([String]) throws -> Void, row: ([String], Int) throws -> Void) throws {
        var names: [String]?
        try data.withUnsafeBytes { bytes in
            try scan(bytes: bytes, file: file) { record, line in
                guard let n = names else {
                    let checked = try checkHeader(record, line: line, file: file)
                    names = checked
                    try header(checked)
                    return
                }
                guard record.count == n.count else {
                    throw InputError(location: SourceLocation(file: file, line: line, column: 1), path: "",
                                     message: "\(record.count) fields, but the header has \(n.count)")
                }
                try row(record, line)
            }
        }
        if names == nil {
            throw InputError(location: SourceLocation(file: file, line: 1, column: 1), path: "", message: "the file is empty (a header line is needed)")
        }
    }

    /// The memory, in bytes, that `load(path:)` would take for the file's cells at most, from a
    /// byte count of its separators and line ends (no parsing): each cell a `String` (16 bytes,
    /// and its bytes when longer than fits inline), each row an array and a line number.
    public static func estimatedLoadBytes(path: String) throws -> Double {
        let data = try mapped(path: path)
        var separators = 0, lines = 1
        data.withUnsafeBytes { bytes in
            for b in bytes {
                if b == UInt8(ascii: ",") { separators += 1 } else if b == 10 { lines += 1 }
            }
        }
        return 16 * Double(separators + lines) + Double(data.count) + 48 * Double(lines)
    }

    /// The file at `path` mapped into memory, after its size is checked.
    static func mapped(path: String) throws -> Data {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else {
            throw InputError(location: SourceLocation(file: path, line: 0, column: 0), path: "", message: "cannot read the file")
        }
        guard size <= maximumBytes else {
            throw InputError(location: SourceLocation(file: path, line: 0, column: 0), path: "",
                             message: "file is \(size) bytes; the limit is \(maximumBytes)")
        }
        do { return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw InputError(location: SourceLocation(file: path, line: 0, column: 0), path: "", message: "cannot read the file: \(error.localizedDescription)")
        }
    }

    /// The longest field read (bytes): 1 MiB. Longer is not a table (a binary file, a log line),
    /// and refusing it early keeps a gigabyte-long line from being copied field by field.
    public static let maximumFieldBytes = 1 << 20
    /// The most fields on one line.
    public static let maximumFields = 100_000

    /// Parses CSV bytes.
    public static func parse(_ data: Data, file: String) throws -> CSVTable {
        var names: [String] = [], rows: [[String]] = [], lines: [Int] = []
        try stream(data, file: file, header: { names = $0 }, row: { rows.append($0); lines.append($1) })
        return CSVTable(file: file, header: names, rows: rows, lines: lines)
    }

    /// Splits CSV bytes into records in place (no copy of the file), handing each non-blank one to
    /// `record` with the line it starts on.
    static func scan(bytes all: UnsafeRawBufferPointer, file: String, record emit: ([String], Int) throws -> Void) throws {
        var field = [UInt8](), record: [String] = []
        var line = 1, recordLine = 1, column = 1, fieldColumn = 1
        var inQuotes = false, quotedField = false, afterQuote = false
        func fail(_ message: String) -> InputError {
            InputError(location: SourceLocation(file: file, line: line, column: column), path: "", message: message)
        }
        func text(_ bytes: [UInt8]) throws -> String {
            guard let s = String(validating: bytes, as: UTF8.self) else {
                throw InputError(location: SourceLocation(file: file, line: line, column: fieldColumn), path: "", message: "field is not valid UTF-8")
            }
            return s
        }
        let bom = all.count >= 3 && all[0] == 0xEF && all[1] == 0xBB && all[2] == 0xBF
        let bytes = bom ? UnsafeRawBufferPointer(rebasing: all[3...]) : all
        var i = 0
        func endField() throws {
            guard record.count < maximumFields else { throw fail("more than \(maximumFields) fields on one line: is this a CSV file?") }
            record.append(try text(field))
            field.removeAll(keepingCapacity: true)
            quotedField = false
            afterQuote = false
        }
        func endRecord() throws {
            if !(record.count == 1 && record[0].isEmpty && !quotedField) { try emit(record, recordLine) }
            record.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let b = bytes[i]
            // Only a byte that would make the field longer than the limit is refused.
            if field.count == maximumFieldBytes && (inQuotes ? b != UInt8(ascii: "\"") : !(b == UInt8(ascii: ",") || b == 10 || b == 13 || b == UInt8(ascii: "\""))) {
                throw InputError(location: SourceLocation(file: file, line: line, column: fieldColumn), path: "",
                                 message: "a field longer than \(maximumFieldBytes) bytes (1 MiB): is this a CSV file?")
            }
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") { field.append(b); i += 2; column += 2; continue }
                    inQuotes = false
                    afterQuote = true
                } else {
                    field.append(b)
                    // A line break inside a quoted field: LF, CRLF (counted at its LF) or a lone CR.
                    if b == UInt8(ascii: "\n") || (b == UInt8(ascii: "\r") && !(i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n"))) {
                        line += 1
                        column = 0
                    }
                }
            } else if b == UInt8(ascii: ",") {
                try endField()
                fieldColumn = column + 1
            } else if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                try endField()
                try endRecord()
                if b == UInt8(ascii: "\r") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                line += 1
                column = 0
                recordLine = line
                fieldColumn = 1
            } else if b == UInt8(ascii: "\"") {
                guard field.isEmpty && !afterQuote else { throw fail("a quote inside an unquoted field (quote the whole field and double the quote)") }
                inQuotes = true
                quotedField = true
            } else {
                if afterQuote { throw fail("text after the closing quote of a field") }
                field.append(b)
            }
            i += 1
            column += 1
        }
        if inQuotes { throw fail("the file ends inside a quoted field") }
        if !field.isEmpty || !record.isEmpty || quotedField {
            try endField()
            try endRecord()
        }
    }

    /// The header's names, trimmed, once each is known to be there and used once.
    static func checkHeader(_ header: [String], line: Int, file: String) throws -> [String] {
        let names = header.map { $0.trimmedBlanks }
        var seen: [String: Int] = [:]
        for (j, name) in names.enumerated() {
            if name.isEmpty { throw InputError(location: SourceLocation(file: file, line: line, column: j + 1), path: "", message: "column \(j + 1) has no name") }
            if let k = seen[name] {
                throw InputError(location: SourceLocation(file: file, line: line, column: j + 1), path: name, message: "duplicate column (also column \(k + 1))")
            }
            seen[name] = j
        }
        return names
    }

    /// The index of a column, if the header has it.
    public func column(named name: String) -> Int? { header.firstIndex(of: name) }

    /// The location of a field, for error messages.
    public func location(row: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: lines[row], column: column + 1)
    }

    /// An input error at a field.
    public func error(row: Int, column: Int, _ message: String, series: String? = nil) -> InputError {
        Self.fieldError(file: file, header: header, line: lines[row], column: column, message, series: series)
    }

    /// An input error at the field of `column` on `line`: the path is the column's name, and the
    /// series' id when given.
    public static func fieldError(file: String, header: [String], line: Int, column: Int, _ message: String, series: String? = nil) -> InputError {
        InputError(location: SourceLocation(file: file, line: line, column: column + 1), path: header[column] + (series.map { " (series \($0))" } ?? ""), message: message)
    }

    /// Whether a field counts as missing: empty, `NA`, `NaN`, `null` or `None` (any case).
    public static func isMissing(_ field: String) -> Bool {
        let t = field.trimmedBlanks
        guard t.utf8.count <= 4 else { return false }  // the longest missing marker; most fields are values
        let l = t.lowercased()
        return l.isEmpty || l == "na" || l == "nan" || l == "null" || l == "none"
    }
}
