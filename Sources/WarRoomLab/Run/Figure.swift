/// How the lab's JSON documents round their figures, in one place, so that a typed result holds
/// exactly the number its JSON prints.
enum Figure {
    /// `value` rounded to a multiple of 1/`scale` (1e6: six decimals; 1: a whole number).
    static func rounded(_ value: Double, scale: Double = 1e6) -> Double { (value * scale).rounded() / scale }

    /// `value` rounded, or nil when it is missing or not finite (the JSON's `null`).
    static func finite(_ value: Double?, scale: Double = 1e6) -> Double? {
        guard let value, value.isFinite else { return nil }
        return rounded(value, scale: scale)
    }
}
