import WarRoomCore

extension Rule.Scope {
    /// The place a key of this scope names: a store, city, region, rep, account or the network.
    ///
    /// ```swift
    /// Rule.Scope.customer.place(ofKey: alert.key)   // .account(CustomerID(rawValue: alert.key))
    /// ```
    public func place(ofKey key: Int64) -> Place {
        switch self {
        case .store: return .store(Int(key))
        case .city: return .city(Int(key))
        case .region: return .region(Int(key))
        case .rep: return .rep(Int(key))
        case .customer: return .account(CustomerID(rawValue: key))
        case .global: return .global
        }
    }

    /// The kind of place keys of this scope name, with a placeholder id (for counting ids).
    public var placeKind: Place { place(ofKey: 0) }
}

extension Alert {
    /// The place the alert's key names under its rule's scope.
    public func place(in rule: Rule) -> Place { rule.scope.place(ofKey: key) }
}
