import Foundation

/// Durations as rule and scenario files write them: `0`, `500ms`, `30s`, `15m`, `24h`, `7d`, `2w`,
/// as milliseconds of event time (named so as not to shadow the standard library's `Duration`).
public enum DurationText {
    /// The milliseconds a duration's text stands for, nil when it is not one (or beyond 3,660 days).
    public static func parse(_ text: String) -> Millis? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "0" { return 0 }
        let units: [(String, Millis)] = [("ms", 1), ("s", SimTime.second), ("m", SimTime.minute), ("h", SimTime.hour),
                                          ("d", SimTime.day), ("w", 7 * SimTime.day)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            let number = t.dropLast(suffix.count)
            // "ms" ends with "s": only accept a plain number in front.
            guard let n = Int64(number), n >= 0, n <= 3660 * SimTime.day / scale else { continue }
            return n * scale
        }
        return nil
    }

    /// A duration as the shortest exact text, e.g. `48h`, `7d`.
    public static func format(_ ms: Millis) -> String {
        if ms == 0 { return "0" }
        for (suffix, scale) in [("w", 7 * SimTime.day), ("d", SimTime.day), ("h", SimTime.hour), ("m", SimTime.minute), ("s", SimTime.second)]
        where ms % scale == 0 { return "\(ms / scale)\(suffix)" }
        return "\(ms)ms"
    }
}
