import Foundation
import WarRoomCore

extension Simulator {
    /// The id of a store's n-th customer: stable whatever the size of the rest of the world.
    static func customerID(store: Int, local: Int64) -> Int64 { CustomerID(store: store, index: local).rawValue }

    func setUpWorld() {
        let sc = scenario
        let first = -sc.calendar.historyDays
        for s in layout.stores.indices {
            var rng = RandomStream(seed: seed, stream: .storeProfile, entity: UInt64(s))
            let size = rng.lognormalMeanOne(sigma: sc.demand.storeSizeSpread)
            var reorder: [Int] = [], upTo: [Int] = []
            for cat in sc.world.categories {
                let unitsPerDay = sc.demand.linesPerStoreDay * cat.share * size * cat.unitsPerLine
                reorder.append(Int((sc.demand.inventory.reorderDays * unitsPerDay).rounded(.up)))
                upTo.append(max(1, Int((sc.demand.inventory.orderUpToDays * unitsPerDay).rounded(.up))))
            }
            let n = sc.world.categories.count
            stores.append(StoreState(sizeMultiplier: size, onHand: upTo, pendingQuantity: Array(repeating: 0, count: n),
                                     pendingArrival: Array(repeating: 0, count: n), reorderPoint: reorder, orderUpTo: upTo))
            for _ in 0..<sc.customers.perStore {
                let id = Simulator.customerID(store: s, local: stores[s].nextLocal)
                stores[s].nextLocal += 1
                var prng = RandomStream(seed: seed, stream: .customerProfile, entity: UInt64(bitPattern: id), day: 1)
                let tenure = prng.below(720)
                let sinceOrder = Int(prng.exponential() * 7 / max(sc.customers.ordersPerWeek, 0.01))
                let index = addCustomer(id: id, store: s, status: .active, wonDay: first - tenure)
                customers[index].lastOrderDay = Int32(clamping: first - min(sinceOrder, tenure))
                stores[s].active.append(index)
            }
        }
        reps = Array(repeating: RepState(), count: layout.reps.count)
    }

    /// Appends a customer with its latent traits drawn from its own stream.
    func addCustomer(id: Int64, store: Int, status: CustomerStatus, wonDay: Int) -> Int {
        var rng = RandomStream(seed: seed, stream: .customerProfile, entity: UInt64(bitPattern: id))
        let churn = scenario.customers.churn
        customers.append(CustomerState(id: id, store: Int32(store), status: status, wonDay: Int32(wonDay),
                                       lastOrderDay: Int32(wonDay),
                                       frailty: rng.lognormalMeanOne(sigma: churn.frailtySpread),
                                       susceptibility: rng.uniform(),
                                       orderRate: rng.lognormalMeanOne(sigma: 0.3)))
        weeks.append(contentsOf: repeatElement(WeekBucket(), count: 8))
        return customers.count - 1
    }

    /// The week bucket of a customer for week `w`, emptied when it last held an older week.
    @inline(__always)
    func withWeek(_ customer: Int, day: Int, _ body: (inout WeekBucket) -> Void) {
        let w = Int32(floorDiv(day, 7))
        let i = customer * 8 + Int(UInt32(bitPattern: w) % 8)
        if weeks[i].week != w { weeks[i] = WeekBucket(week: w) }
        body(&weeks[i])
    }
}

/// Integer division rounding toward minus infinity.
@inline(__always)
func floorDiv(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
