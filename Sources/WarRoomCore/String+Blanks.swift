import Foundation

extension String {
    /// The text without leading and trailing white space (`CharacterSet.whitespaces`: spaces and
    /// tabs, Unicode ones included), without a trip through Foundation when there is none: the
    /// common case of a data file's millions of fields.
    public var trimmedBlanks: String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        func plain(_ b: UInt8) -> Bool { b < 0x80 && b != 0x20 && b != 0x09 }
        if plain(first) && plain(last) { return self }
        return trimmingCharacters(in: .whitespaces)
    }
}
