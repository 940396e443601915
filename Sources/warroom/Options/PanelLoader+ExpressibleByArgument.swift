import ArgumentParser
import Forecasting

/// `--freq D|W|M` (any case, as before).
extension PanelLoader.Frequency: ExpressibleByArgument {
    /// The frequency named by `D`, `W` or `M`, in either case.
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}

/// `--gaps refuse|zero`.
extension PanelLoader.Gaps: ExpressibleByArgument {}
