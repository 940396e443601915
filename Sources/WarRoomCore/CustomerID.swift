/// A customer's id: its home store in the high bits and its index within the store in the low 24.
///
/// Events carry the raw value (`Event.customer`, `-1` for none) so they stay flat; code that
/// needs the store of a customer asks this type instead of shifting bits by hand.
///
/// ```swift
/// let id = CustomerID(store: 5, index: 12)
/// id.store   // 5
/// id.index   // 12
/// ```
public struct CustomerID: Sendable, Hashable, Comparable, RawRepresentable, CustomStringConvertible {
    /// Bits of the index within the store.
    public static let indexBits = 24
    /// The most customers one store can number.
    public static let maxPerStore: Int64 = 1 << indexBits

    /// The packed id, as events carry it.
    public var rawValue: Int64

    /// An id from its packed value.
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }

    /// The id of the `index`-th customer of `store`.
    @inlinable public init(store: Int, index: Int64) {
        assert(index >= 0 && index < CustomerID.maxPerStore, "customer index out of range")
        rawValue = Int64(store) << CustomerID.indexBits | index
    }

    /// The customer's home store.
    @inlinable public var store: Int { Int(rawValue >> CustomerID.indexBits) }

    /// The customer's index within its store.
    @inlinable public var index: Int64 { rawValue & (CustomerID.maxPerStore - 1) }

    /// Orders ids by their packed value (store first, then index).
    @inlinable public static func < (a: CustomerID, b: CustomerID) -> Bool { a.rawValue < b.rawValue }

    /// The packed value in decimal, as exports and action records write it.
    public var description: String { String(rawValue) }
}
