/// A place in the world: the network, a region, a city, a store, a rep's territory or one account.
///
/// Alert keys, action targets, promotions and interventions all name places by id;
/// ``WorldLayout`` answers which stores, city and region a place lies in and what it is called.
///
/// ```swift
/// layout.city(of: .account(CustomerID(store: 5, index: 0)))   // the city of store 5
/// layout.stores(in: .rep(3))                                   // rep 3's territory
/// ```
public enum Place: Sendable, Hashable {
    /// Every store.
    case global
    /// The stores of one region.
    case region(Int)
    /// The stores of one city.
    case city(Int)
    /// One store.
    case store(Int)
    /// The stores of one rep's territory.
    case rep(Int)
    /// One account (its home store's place, narrowed to the account).
    case account(CustomerID)
}
