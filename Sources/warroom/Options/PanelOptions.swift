import Foundation
import ArgumentParser
import Forecasting
import WarRoomCore

/// How a user's panel is read, for `backtest --data` and `forecast`: `--freq`, `--season`,
/// `--gaps`, and `--max-memory SIZE`, the most memory its common grid may take, as bytes or with
/// a unit (`512M`, `4G`, `1.5GiB`; default a quarter of this machine's memory).
struct PanelOptions: ParsableArguments {
    @Option(help: "Frequency of the panel: daily, weekly or monthly.")
    var freq = PanelLoader.Frequency.daily
    @Option(help: "Seasonal period of the panel (default: 7 for D, 52 for W, 12 for M).")
    var season: Int?
    @Option(help: "Dates missing inside a series of the panel: refuse them, or zero (fill with 0).")
    var gaps = PanelLoader.Gaps.refuse
    @Option(name: .customLong("max-memory"), help: "The most memory the panel's grid may take (e.g. 512M, 4G; default: a quarter of this machine's).")
    var maxMemory: ByteCount?

    /// The budget in bytes.
    var bytes: Int { maxMemory?.bytes ?? PanelLoader.defaultMaxBytes }
}

/// A size in bytes read from `123`, `512K`, `512M`, `4G` or `1.5GiB` (powers of 1,024).
struct ByteCount: ExpressibleByArgument {
    /// The size.
    var bytes: Int

    init?(argument: String) {
        var text = Substring(argument.trimmingCharacters(in: .whitespaces).uppercased())
        if text.hasSuffix("IB") { text = text.dropLast(2) } else if text.hasSuffix("B") { text = text.dropLast() }
        var scale = 1.0
        if let unit = text.last, let power = ["K": 1, "M": 2, "G": 3, "T": 4][String(unit)] {
            scale = pow(1024, Double(power))
            text = text.dropLast()
        }
        guard let value = Double(decimal: text), value * scale >= 1, value * scale < Double(Int.max) else { return nil }
        bytes = Int(value * scale)
    }
}
