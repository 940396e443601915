/// The file given as a run store is something else: a directory, not SQLite, a damaged SQLite
/// file, or another program's database. Nothing in it was changed.
public struct NotARunStore: Error, Sendable, CustomStringConvertible {
    /// The path given.
    public var path: String
    /// What the file is instead.
    public var reason: String

    /// One line for the user, with what to do.
    public var description: String {
        "\(path) is not a run store: \(reason); give --db a new file or an existing run store (nothing in it was changed)"
    }
}
