import Testing
import WarRoomCore

/// Places, customer ids and product codes: the world layout answers where a key lies.
@Suite struct PlaceTests {
    /// Two regions; the first has two cities (5 and 3 stores), the second one city of 4; reps own 2 stores.
    let layout = WorldLayout(world: WorldSpec(regions: [
        RegionSpec(name: "East", cities: [CitySpec(name: "Alpha", stores: 5), CitySpec(name: "Beta", stores: 3)]),
        RegionSpec(name: "West", cities: [CitySpec(name: "Gamma", stores: 4)]),
    ], categories: []), storesPerRep: 2)

    @Test func customerID() {
        let id = CustomerID(store: 7, index: 12_345)
        #expect(id.store == 7)
        #expect(id.index == 12_345)
        #expect(id.rawValue == 7 << 24 | 12_345)
        #expect(CustomerID(rawValue: id.rawValue) == id)
        #expect(CustomerID(store: 7, index: 0) < CustomerID(store: 7, index: 1))
        #expect(CustomerID(store: 6, index: CustomerID.maxPerStore - 1) < CustomerID(store: 7, index: 0))
        #expect(id.description == String(id.rawValue))
    }

    @Test func productCode() {
        let code = ProductCode(category: 3, item: 99_999)
        #expect(code.rawValue == 399_999)
        #expect(code.category == 3)
        #expect(code.item == 99_999)
        #expect(ProductCode(rawValue: 200_017).category == 2)
        #expect(ProductCode(rawValue: 200_017).item == 17)
    }

    @Test func whereAPlaceLies() {
        // Stores 0–4 in Alpha, 5–7 in Beta, 8–11 in Gamma; reps: Alpha 0 (0,1), 1 (2,3), 2 (4); Beta 3 (5,6), 4 (7); Gamma 5, 6.
        #expect(layout.city(of: .store(6)) == 1)
        #expect(layout.region(of: .store(9)) == 1)
        #expect(layout.city(of: .account(CustomerID(store: 8, index: 3))) == 2)
        #expect(layout.store(of: .account(CustomerID(store: 8, index: 3))) == 8)
        #expect(layout.store(of: .rep(3)) == 5)
        #expect(layout.city(of: .rep(3)) == 1)
        #expect(layout.region(of: .rep(5)) == 1)
        #expect(layout.city(of: .region(0)) == nil)
        #expect(layout.region(of: .region(1)) == 1)
        #expect(layout.region(of: .global) == nil)
        // Ids outside the world lie nowhere, rather than trapping.
        #expect(layout.city(of: .store(12)) == nil)
        #expect(layout.city(of: .rep(99)) == nil)
        #expect(layout.region(of: .region(2)) == nil)
        #expect(layout.stores(in: .city(7)).isEmpty)
    }

    @Test func storesAndCitiesOfAPlace() {
        #expect(layout.stores(in: .global) == Array(0..<12))
        #expect(layout.stores(in: .region(0)) == Array(0..<8))
        #expect(layout.stores(in: .city(1)) == [5, 6, 7])
        #expect(layout.stores(in: .rep(2)) == [4])
        #expect(layout.stores(in: .account(CustomerID(store: 3, index: 0))) == [3])
        #expect(layout.cities(in: .region(0)) == [0, 1])
        #expect(layout.cities(in: .global) == [0, 1, 2])
        #expect(layout.cities(in: .store(10)) == [2])
        for place: Place in [.global, .region(1), .city(0), .store(4), .rep(4), .account(CustomerID(store: 7, index: 1))] {
            // contains(_:store:) agrees with stores(in:) for every store.
            #expect(layout.stores.indices.filter { layout.contains(place, store: $0) } == layout.stores(in: place))
        }
        #expect(layout.place(.store(7), isIn: 1))
        #expect(!layout.place(.region(0), isIn: 1))
    }

    @Test func recordNames() {
        #expect(layout.recordName(of: .global) == "all")
        #expect(layout.recordName(of: .region(1)) == "region:West")
        #expect(layout.recordName(of: .city(1)) == "city:Beta")
        #expect(layout.recordName(of: .store(5)) == "store:5")
        #expect(layout.recordName(of: .rep(2)) == "rep:2")
        #expect(layout.recordName(of: .account(CustomerID(store: 1, index: 2))) == "account:\((1 << 24) | 2)")
        #expect(layout.count(of: .rep(0)) == 7)
        #expect(layout.count(of: .city(0)) == 3)
    }
}
