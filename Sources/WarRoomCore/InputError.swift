/// Where in a user's file a value stands.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file's path as the user gave it.
    public var file: String
    /// Line number, starting from 1 (0 when unknown).
    public var line: Int
    /// Column number, starting from 1 (0 when unknown).
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and terminals link to.
    public var description: String { "\(file):\(line):\(column)" }
}

/// An error in a file the user wrote (a scenario or a rule file): it names the file, line,
/// column and field path, and says what was expected.
///
/// Printed as one line, e.g.
/// `scenarios/x.yaml:12:14: world.regions[0].cities[1].stores: must be ≥ 1, got -3`.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the offending value stands.
    public var location: SourceLocation
    /// The field path, e.g. `demand.hourOfDay[3]`; empty for the document itself.
    public var path: String
    /// What is wrong and what was expected.
    public var message: String

    /// Creates an error at a location.
    public init(location: SourceLocation, path: String, message: String) {
        self.location = location
        self.path = path
        self.message = message
    }

    /// The one-line message shown to the user.
    public var description: String {
        path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}

/// The scenario's errors are input errors: the name says which file kind it came from.
public typealias ScenarioError = InputError
