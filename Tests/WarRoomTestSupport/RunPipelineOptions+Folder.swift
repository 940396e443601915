import Foundation
import WarRoomLab

extension RunPipeline.Options {
    /// Options for a run of `scenarioPath` whose report goes to `folder/out` and whose run store is
    /// `folder/database`: the set-up every end-to-end test starts from.
    public static func writing(_ scenarioPath: String, into folder: URL, out: String = "out", database: String = "runs.db") -> Self {
        var options = RunPipeline.Options(scenarioPath: scenarioPath)
        options.outDirectory = folder.appendingPathComponent(out).path
        options.databasePath = folder.appendingPathComponent(database).path
        return options
    }
}
