extension Double {
    /// A finite decimal number read from text (`12`, `-0.18`, `1e-3`), or nil: `Double(_:)`
    /// alone also reads hexadecimal (`0x1F`, `0x1p3`), infinities, NaN and overflows to
    /// infinity (`1e400`), none of which anyone means in a scenario, a rule or a data file.
    ///
    /// Inlinable, so that callers in other modules get it specialised for their string type
    /// (a panel's millions of `Substring` cells) rather than through the generic witness.
    @inlinable
    public init?<S: StringProtocol>(decimal text: S) {
        guard !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) || $0 == 46 || $0 == 101 || $0 == 69 || $0 == 43 || $0 == 45 }),
              let v = Double(text), v.isFinite else { return nil }
        self = v
    }
}
