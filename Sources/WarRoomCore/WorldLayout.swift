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

    /// The store ids of a place (none for an id outside the world).
    public func stores(in place: Place) -> [Int] {
        switch place {
        case .global: return Array(stores.indices)
        case .region(let r): return stores.indices.filter { stores[$0].region == Int16(r) }
        case .city(let c): return cities.indices.contains(c) ? Array(cities[c].stores) : []
        case .store(let s): return stores.indices.contains(s) ? [s] : []
        case .rep(let r): return reps.indices.contains(r) ? Array(reps[r].stores) : []
        case .account(let id): return stores.indices.contains(id.store) ? [id.store] : []
        }
    }

    /// Whether a store lies in a place.
    @inlinable public func contains(_ place: Place, store: Int) -> Bool {
        switch place {
        case .global: return true
        case .region(let r): return stores[store].region == Int16(r)
        case .city(let c): return stores[store].city == Int16(c)
        case .store(let s): return store == s
        case .rep(let r): return stores[store].rep == Int32(r)
        case .account(let id): return store == id.store
        }
    }

    /// The one store a place stands for: the store itself, an account's home store, or the first
    /// store of a rep's territory; nil for wider places and for ids outside the world.
    public func store(of place: Place) -> Int? {
        switch place {
        case .store(let s): return stores.indices.contains(s) ? s : nil
        case .account(let id): return stores.indices.contains(id.store) ? id.store : nil
        case .rep(let r): return reps.indices.contains(r) ? reps[r].stores.lowerBound : nil
        case .global, .region, .city: return nil
        }
    }

    /// The city a place lies in; nil for regions, the network and ids outside the world.
    public func city(of place: Place) -> Int? {
        switch place {
        case .city(let c): return cities.indices.contains(c) ? c : nil
        case .rep(let r): return reps.indices.contains(r) ? Int(reps[r].city) : nil
        case .store, .account: return store(of: place).map { Int(stores[$0].city) }
        case .global, .region: return nil
        }
    }

    /// The region a place lies in; nil for the network and ids outside the world.
    public func region(of place: Place) -> Int? {
        if case .region(let r) = place { return regions.indices.contains(r) ? r : nil }
        return city(of: place).map { Int(cities[$0].region) }
    }

    /// The cities a place covers: its own city, a region's cities, or every city.
    public func cities(in place: Place) -> [Int] {
        switch place {
        case .global: return Array(cities.indices)
        case .region(let r): return cities.indices.filter { Int(cities[$0].region) == r }
        default: return city(of: place).map { [$0] } ?? []
        }
    }

    /// Whether a place lies in (or is) a city.
    public func place(_ place: Place, isIn city: Int) -> Bool { self.city(of: place) == city }

    /// How many ids a kind of place has in this world (the network counts one).
    public func count(of place: Place) -> Int {
        switch place {
        case .global: return 1
        case .region: return regions.count
        case .city: return cities.count
        case .store: return stores.count
        case .rep: return reps.count
        case .account: return 0
        }
    }

    /// A place as run stores and exports write it: `all`, `region:Zhejiang`, `city:Hangzhou`,
    /// `store:5`, `rep:3` or `account:<customer id>`.
    public func recordName(of place: Place) -> String {
        switch place {
        case .global: return "all"
        case .region(let r): return "region:" + (regions.indices.contains(r) ? regions[r] : String(r))
        case .city(let c): return "city:" + (cities.indices.contains(c) ? cities[c].name : String(c))
        case .store(let s): return "store:\(s)"
        case .rep(let r): return "rep:\(r)"
        case .account(let id): return "account:\(id)"
        }
    }
}
