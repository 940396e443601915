import ArgumentParser
import Foundation
import WarRoomCore
import WarRoomLab

/// A command whose work is in the lab: `run()` turns a failure into one line on standard error,
/// `error: message`, and the lab's exit status, so a command only says what it does in `runLab()`.
protocol LabCommand: ParsableCommand {
    /// Does the command's work and prints its result.
    func runLab() throws
}

extension LabCommand {
    /// Runs `runLab()`, reporting its errors.
    func run() throws { try reportingErrors(runLab) }

    /// Runs `body`; a `LabError` ends the process with its exit status, an `InputError` (a user's
    /// file at fault) with 65, any other error with 1, after `error: message` on standard error.
    func reportingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as LabError {
            Self.printError(error.description)
            throw ExitCode(error.exitCode)
        } catch let error as InputError {
            Self.printError(error.description)
            throw ExitCode(LabError.invalidInput)
        } catch {
            Self.printError("\(error)")
            throw ExitCode.failure
        }
    }

    /// Writes `error: message` on standard error.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }
}

/// A lab command that prints on standard output and takes `--quiet` to print nothing there.
protocol QuietLabCommand: LabCommand {
    /// The command's `--quiet`.
    var quietOption: QuietOption { get }
}

extension QuietLabCommand {
    /// Silences standard output when asked, then runs `runLab()`, reporting its errors.
    func run() throws {
        quietOption.apply()
        try reportingErrors(runLab)
    }
}
