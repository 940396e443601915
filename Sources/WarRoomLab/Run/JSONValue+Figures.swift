import Reporting

extension JSONValue {
    /// A number, or `null` when there is none.
    static func number(_ value: Double?) -> JSONValue { value.map { .double($0) } ?? .null }

    /// A whole number.
    static func count(_ value: Int) -> JSONValue { .int(Int64(value)) }
}
