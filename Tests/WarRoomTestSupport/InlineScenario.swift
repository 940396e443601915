import Foundation
import WarRoomCore

/// A scenario from YAML text, as if read from `file`.
public func scenario(_ yaml: String, file: String = "test.yaml") throws -> Scenario {
    try Scenario.decode(yaml: yaml, file: file)
}

/// The text of a repository scenario (such as `smoke`) with `extra` YAML appended, written to
/// `folder/name.yaml`; returns the written path.
public func writeScenario(basedOn base: String, appending extra: String = "", in folder: URL, name: String) throws -> String {
    let text = try String(contentsOfFile: Repository.path("scenarios/\(base).yaml"), encoding: .utf8) + extra
    let url = folder.appendingPathComponent("\(name).yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// A JSON object from text, or an error saying the text is not one.
public func jsonObject(_ text: String) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw NotAJSONObject(text: String(text.prefix(200)))
    }
    return object
}

/// Text that was expected to hold a JSON object did not.
public struct NotAJSONObject: Error, CustomStringConvertible {
    /// The start of the text.
    public var text: String
    /// The message.
    public var description: String { "not a JSON object: \(text)" }
}
