import Foundation
import Reporting
import RunStore
import WarRoomCore

/// An error the lab reports to the user: one clear message and an exit status.
///
/// An error in a user's file keeps the `InputError` it came from, so a caller can still point
/// at the file, line and column (`location`); its message is the input error's own.
public struct LabError: Error, CustomStringConvertible {
    /// The message, one line.
    public var description: String
    /// The process exit status to use.
    public var exitCode: Int32
    /// The error in the user's file behind this one, if any.
    public var input: InputError?
    /// Whether a write behind this error failed because the disk is full.
    public var outOfSpace = false

    /// Creates an error.
    public init(_ message: String, exitCode: Int32 = 1) {
        description = message
        self.exitCode = exitCode
    }

    /// An error in a user's file (scenario, rules, data): its message, exit status `invalidInput`.
    public init(_ input: InputError) {
        description = input.description
        exitCode = Self.invalidInput
        self.input = input
    }

    /// Where in the user's file the error stands (file, line, column), when it came from one.
    public var location: SourceLocation? { input?.location }

    /// Exit status for invalid input files (scenario, rules): 65, EX_DATAERR of sysexits.
    public static let invalidInput: Int32 = 65
    /// Exit status of a run stopped by SIGINT or SIGTERM: 130, as shells report an interrupt.
    public static let interrupted: Int32 = 130
    /// Exit status of a run stopped by a full disk: 74, EX_IOERR of sysexits.
    public static let diskFull: Int32 = 74

    /// Whether `error` says the disk is full: SQLite's `SQLITE_FULL`, a report or file write that
    /// ran out of space, or a file-system error saying so.
    static func isDiskFull(_ error: Error) -> Bool {
        if let e = error as? SQLiteError { return e.isDiskFull }
        if let e = error as? LabError { return e.outOfSpace }
        if let e = error as? ReportFolder.WriteError { return e.outOfSpace }
        return error.isOutOfSpace
    }
}
