import Foundation
import Testing
import WarRoomCore

@Suite("CSV tables")
struct CSVTableTests {
    @Test("Quoted fields, doubled quotes, CRLF, a byte-order mark and blank lines")
    func parses() throws {
        let text = "\u{FEFF}id,name,note\r\n1,\"Smith, J.\",\"said \"\"hi\"\"\"\r\n\r\n2,Lee,\"two\nlines\"\n3,,\n"
        let t = try CSVTable.parse(Data(text.utf8), file: "x.csv")
        #expect(t.header == ["id", "name", "note"])
        #expect(t.rows == [["1", "Smith, J.", "said \"hi\""], ["2", "Lee", "two\nlines"], ["3", "", ""]])
        #expect(t.lines == [2, 4, 6])
        #expect(CSVTable.isMissing("") && CSVTable.isMissing(" NA ") && CSVTable.isMissing("null") && !CSVTable.isMissing("0"))
    }

    @Test("Broken files name the file, line and column")
    func errors() {
        func message(_ text: String) -> String {
            do { _ = try CSVTable.parse(Data(text.utf8), file: "bad.csv"); return "no error" } catch { return "\(error)" }
        }
        #expect(message("a,b\n1,2,3\n") == "bad.csv:2:1: 3 fields, but the header has 2")
        #expect(message("a,a\n1,2\n") == "bad.csv:1:2: a: duplicate column (also column 1)")
        #expect(message("a,b\n1,\"open\n") == "bad.csv:3:1: the file ends inside a quoted field")
        #expect(message("a,b\n1,x\"y\n").hasPrefix("bad.csv:2:4: a quote inside an unquoted field"))
        #expect(message("") == "bad.csv:1:1: the file is empty (a header line is needed)")
        #expect(message("a,,c\n") == "bad.csv:1:2: column 2 has no name")
        // What is not a table: a field of megabytes, a line of a hundred thousand fields, bytes that are not UTF-8.
        #expect(message("a,b\n1," + String(repeating: "x", count: 3 << 20) + "\n")
                == "bad.csv:2:3: a field longer than 1048576 bytes (1 MiB): is this a CSV file?")
        #expect(message("a,b\n1,\"" + String(repeating: "y\n", count: 1 << 20) + "\"\n").hasSuffix("a field longer than 1048576 bytes (1 MiB): is this a CSV file?"))
        // A field of exactly the limit is read, whatever follows it.
        #expect(message("a,b\n1," + String(repeating: "x", count: 1 << 20) + "\n2,3\n") == "no error")
        #expect(message("a\n" + String(repeating: ",", count: 200_000) + "\n") == "bad.csv:2:100001: more than 100000 fields on one line: is this a CSV file?")
        // Line numbers count a lone CR inside a quoted field as a line break, as LF and CRLF.
        #expect(message("a,b\n1,\"x\ry\"\n2,\"u\r\nv\"\n3,z\"\n") == "bad.csv:6:4: a quote inside an unquoted field (quote the whole field and double the quote)")
        var latin1 = Data("a,b\n1,".utf8)
        latin1.append(contentsOf: [0x63, 0x61, 0x66, 0xE9, 0x0A])  // "café" in Latin-1
        do { _ = try CSVTable.parse(latin1, file: "bad.csv"); Issue.record("Latin-1 accepted") } catch {
            #expect("\(error)" == "bad.csv:2:3: field is not valid UTF-8")
        }
    }

    @Test("The memory a table's cells would take is bounded from a count of separators and lines")
    func estimate() throws {
        let folder = try FileManager.default.url(for: .itemReplacementDirectory, in: .userDomainMask,
                                                 appropriateFor: URL(fileURLWithPath: NSTemporaryDirectory()), create: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("t.csv")
        let text = "a,b,c\n" + String(repeating: "1,2,3\n", count: 1000)
        try Data(text.utf8).write(to: url)
        // 2,002 separators and 1,002 lines (the last one empty): 16 bytes a cell, 48 a row, the bytes themselves.
        #expect(try CSVTable.estimatedLoadBytes(path: url.path) == 16 * 3004 + Double(text.utf8.count) + 48 * 1002)
    }
}

@Suite("Out-of-space errors")
struct OutOfSpaceTests {
    @Test("ENOSPC and EDQUOT, Foundation's out-of-space write error, and either underneath another error, are out of space; others are not")
    func classes() {
        #expect(NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC)).isOutOfSpace)
        #expect(NSError(domain: NSPOSIXErrorDomain, code: Int(EDQUOT)).isOutOfSpace)
        #expect(CocoaError(.fileWriteOutOfSpace).isOutOfSpace)
        let wrapped = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteUnknown.rawValue,
                              userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))])
        #expect(wrapped.isOutOfSpace)
        #expect(!NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES)).isOutOfSpace)
        #expect(!CocoaError(.fileWriteNoPermission).isOutOfSpace)
    }
}
