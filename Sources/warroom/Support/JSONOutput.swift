import Reporting
import WarRoomLab

/// What `--json` prints: one document, its schema version and kind first (`JSONDocument`).
enum JSONOutput {
    /// Prints `body` as a document of `kind` on standard output.
    static func print(_ kind: String, _ body: JSONValue) {
        Swift.print(JSONDocument.make(kind, body).rendered(), terminator: "")
    }
}
