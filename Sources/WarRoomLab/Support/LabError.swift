import WarRoomCore

/// An error the lab reports to the user: one clear message and an exit status.
public struct LabError: Error, CustomStringConvertible {
    /// The message, one line.
    public var description: String
    /// The process exit status to use.
    public var exitCode: Int32

    /// Creates an error.
    public init(_ message: String, exitCode: Int32 = 1) {
        description = message
        self.exitCode = exitCode
    }

    /// Exit status for invalid input files (scenario, rules): 65, EX_DATAERR of sysexits.
    public static let invalidInput: Int32 = 65
    /// Exit status of a run stopped by SIGINT or SIGTERM: 130, as shells report an interrupt.
    public static let interrupted: Int32 = 130
}
