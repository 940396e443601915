/// The product code a sale line carries in `Event.sku`: its category times 100,000 plus the
/// item's number within the category.
///
/// Inventory and promotion events carry the bare category instead (see `EventKind`).
///
/// ```swift
/// let code = ProductCode(category: 2, item: 17)
/// code.rawValue   // 200017
/// ProductCode(rawValue: 200017).category   // 2
/// ```
public struct ProductCode: Sendable, Hashable, RawRepresentable {
    /// Item numbers per category.
    public static let itemsPerCategory: Int32 = 100_000

    /// The packed code, as events carry it.
    public var rawValue: Int32

    /// A code from its packed value.
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The code of item `item` of category `category`.
    @inlinable public init(category: Int, item: Int) {
        rawValue = Int32(category) * ProductCode.itemsPerCategory + Int32(item)
    }

    /// The product's category.
    @inlinable public var category: Int32 { rawValue / ProductCode.itemsPerCategory }

    /// The item's number within its category.
    @inlinable public var item: Int32 { rawValue % ProductCode.itemsPerCategory }
}
