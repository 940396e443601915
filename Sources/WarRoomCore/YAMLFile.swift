import Foundation

/// Reads a scenario or rule file's text the one way both are read: UTF-8, bounded, and whole.
public enum YAMLFile {
    /// The largest file read, in bytes.
    public static let maxBytes = 4 << 20

    /// Reads the file at `path`.
    ///
    /// A file whose last line has no newline is refused: a copy or download cut short mid-line
    /// can still be valid YAML with a shorter number, id or list, and would run with the wrong
    /// value; a whole file ends with a newline, as POSIX text files do and editors write them.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - kind: what the file is, for the messages ("scenario file", "rule file").
    /// - Throws: `InputError` naming the file (and the last line when it is cut short).
    public static func read(path: String, kind: String) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(location: .init(file: path, line: 0, column: 0), path: "", message: "cannot read the \(kind): \(error.localizedDescription)")
        }
        guard data.count <= maxBytes else {
            throw InputError(location: .init(file: path, line: 0, column: 0), path: "", message: "the \(kind) is larger than 4 MiB")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(location: .init(file: path, line: 0, column: 0), path: "", message: "the \(kind) is not UTF-8 text")
        }
        if let last = data.last, last != UInt8(ascii: "\n") {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            throw InputError(location: .init(file: path, line: lines.count, column: (lines.last?.count ?? 0) + 1), path: "",
                             message: "the \(kind) ends in the middle of a line (no newline at its end): it may have been cut short; "
                                 + "if it is whole, end it with a newline")
        }
        return text
    }
}
