/// The ids of a scenario's world: stores numbered region by region and city by city, reps
/// owning runs of consecutive stores inside one city.
///
/// Numbering is stable under growth: adding stores to a later city, or cities after the
/// existing ones, leaves every existing id unchanged, so entity streams stay identical.
public struct WorldLayout: Sendable, Equatable {
    /// One store.
    public struct Store: Sendable, Equatable {
        /// Global store id.
        public var id: Int32
        /// City id.
        public var city: Int16
        /// Region id.
        public var region: Int16
        /// Rep id responsible for the store.
        public var rep: Int32
        /// Index of the store within its city.
        public var indexInCity: Int
    }

    /// One city.
    public struct City: Sendable, Equatable {
        /// City name.
        public var name: String
        /// Region id.
        public var region: Int16
        /// Store ids of the city.
        public var stores: Range<Int>
    }

    /// One rep and its territory.
    public struct Rep: Sendable, Equatable {
        /// Rep id.
        public var id: Int32
        /// City of the territory.
        public var city: Int16
        /// Store ids of the territory.
        public var stores: Range<Int>
    }

    /// Stores by id.
    public var stores: [Store]
    /// Cities by id.
    public var cities: [City]
    /// Region names by id.
    public var regions: [String]
    /// Reps by id.
    public var reps: [Rep]

    /// Lays out a world.
    public init(world: WorldSpec, storesPerRep: Int) {
        stores = []; cities = []; reps = []
        regions = world.regions.map(\.name)
        // Rep ids are spaced per city so that growing one city does not renumber another's reps.
        for (r, region) in world.regions.enumerated() {
            for city in region.cities {
                let cityID = Int16(cities.count)
                let first = stores.count
                for i in 0..<city.stores {
                    let rep = Int32(reps.count + i / storesPerRep)
                    stores.append(Store(id: Int32(stores.count), city: cityID, region: Int16(r), rep: rep, indexInCity: i))
                }
                var s = first
                while s < stores.count {
                    let end = min(s + storesPerRep, stores.count)
                    reps.append(Rep(id: Int32(reps.count), city: cityID, stores: s..<end))
                    s = end
                }
                cities.append(City(name: city.name, region: Int16(r), stores: first..<stores.count))
            }
        }
    }

    /// The store ids of a place.
    public func stores(in place: PlaceScope) -> [Int] {
        switch place {
        case .all: return Array(stores.indices)
        case .region(let r): return stores.indices.filter { stores[$0].region == Int16(r) }
        case .city(let c): return Array(cities[c].stores)
        case .store(let s): return [s]
        }
    }

    /// Whether a store lies in a place.
    @inlinable public func contains(_ place: PlaceScope, store: Int) -> Bool {
        switch place {
        case .all: return true
        case .region(let r): return stores[store].region == Int16(r)
        case .city(let c): return stores[store].city == Int16(c)
        case .store(let s): return store == s
        }
    }
}
