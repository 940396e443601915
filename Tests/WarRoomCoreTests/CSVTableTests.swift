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
    }
}
