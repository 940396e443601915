import Foundation

/// Where the tests find the repository's own files: scenarios, rule presets, the built executable.
public enum Repository {
    /// The repository root, from this file's path (`Tests/WarRoomTestSupport/Repository.swift`).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The path of a file under the repository root, such as `scenarios/smoke.yaml`.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The small smoke scenario (`scenarios/smoke.yaml`): a few seconds in a debug build.
    public static let smokeScenario = path("scenarios/smoke.yaml")

    /// The small backtest scenario (`scenarios/backtest-small.yaml`).
    public static let backtestScenario = path("scenarios/backtest-small.yaml")

    /// The rule presets (`scenarios/rules/presets.yaml`).
    public static let presets = path("scenarios/rules/presets.yaml")
}
