import Foundation

extension YAMLValue {
    /// A duration such as `24h`.
    public func duration(min: Millis = 0) throws -> Millis {
        let text = try string()
        guard let d = DurationText.parse(text) else {
            throw error("expected a duration such as 500ms, 30s, 15m, 24h, 7d or 2w, got '\(text)'")
        }
        if d < min { throw error("must be at least \(DurationText.format(min)), got \(text)") }
        return d
    }
}
