import Foundation

/// A fresh, empty folder under the system's temporary directory; the caller removes it.
public func temporaryFolder(prefix: String = "warroom-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A path for a database that does not exist yet, under the system's temporary directory.
public func temporaryDatabasePath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("warroom-test-\(UUID().uuidString).db").path
}
