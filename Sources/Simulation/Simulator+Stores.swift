import Foundation
import WarRoomCore

extension Simulator {
    /// One store's day: promotion execution, walk-in sale lines hour by hour against its
    /// inventory (lines finding too little stock are lost), inventory reports and
    /// replenishment, competitor signals.
    func simulateStore(_ s: Int, _ ctx: DayContext) {
        let sc = scenario
        let t = tables
        let info = layout.stores[s]
        let city = Int(info.city)
        let storeID = Int32(s)
        let categories = sc.world.categories
        let nc = categories.count
        let d = ctx.day

        // Promotions: executed or not, with photo evidence when executed.
        var promoFactor = [Double](repeating: 1, count: nc)
        var keep = [Double](repeating: 1, count: nc)  // share of the list price paid
        if !ctx.promotions.isEmpty {
            var prng = RandomStream(seed: seed, stream: .storePromotion, entity: UInt64(s), day: Int64(d))
            for p in ctx.promotions where layout.contains(p.scope, store: s) {
                let executed = prng.bernoulli(p.compliance)
                emit(Event(time: ctx.dayStart + Millis(t.openingHour) * SimTime.hour + Millis(prng.below(Int(SimTime.hour))),
                           kind: .promotion, store: storeID, city: info.city, region: info.region,
                           sku: Int32(p.category), attr: executed ? 1 : 0))
                if executed {
                    promoFactor[p.category] *= pow(1 - p.discount, sc.demand.priceElasticity)
                    keep[p.category] *= 1 - p.discount
                }
            }
        }

        // Walk-in intensity by category, and its cumulative shares for drawing a line's category.
        let base = sc.demand.linesPerStoreDay * stores[s].sizeMultiplier * ctx.calendarFactor
        var lambda = [Double](repeating: 0, count: nc)
        var amountPerLine = 0.0
        for c in 0..<nc {
            lambda[c] = base * categories[c].share * promoFactor[c]
            amountPerLine += lambda[c] * categories[c].unitsPerLine * t.meanPriceFen[c] * keep[c]
        }
        let lambdaDay = lambda.reduce(0, +)
        amountPerLine = lambdaDay > 0 ? amountPerLine / lambdaDay : 0
        var cdf = [Double](repeating: 1, count: nc)
        var acc = 0.0
        for c in 0..<nc { acc += lambda[c]; cdf[c] = lambdaDay > 0 ? acc / lambdaDay : 1 }
        let priceFen: [[Int64]] = (0..<nc).map { c in
            keep[c] == 1 ? t.skuPriceFen[c] : t.skuPriceFen[c].map { max(1, Int64((Double($0) * keep[c]).rounded())) }
        }

        var rng = RandomStream(seed: seed, stream: .storeSales, entity: UInt64(s), day: Int64(d))
        var srng = RandomStream(seed: seed, stream: .competitorSignals, entity: UInt64(s), day: Int64(d))
        let reportEvery = sc.demand.inventory.reportEveryHours
        let leadTime = Millis(sc.demand.inventory.leadTimeHours) * SimTime.hour
        var lines: Int32 = 0, units: Int64 = 0, amount: Int64 = 0, lost: Int32 = 0
        var expectedLines = 0.0
        var signalsToday: Int32 = 0
        let shockKind = ctx.cityShockKind[city]

        for h in 0..<24 {
            let hourStart = ctx.dayStart + Millis(h) * SimTime.hour
            for c in 0..<nc where stores[s].pendingQuantity[c] > 0 && stores[s].pendingArrival[c] <= hourStart {
                stores[s].onHand[c] += stores[s].pendingQuantity[c]
                stores[s].pendingQuantity[c] = 0
                emit(Event(time: hourStart, kind: .inventory, store: storeID, city: info.city, region: info.region,
                           sku: Int32(c), quantity: Int32(clamping: stores[s].onHand[c]), attr: 1))
            }
            if h % reportEvery == 0 {
                for c in 0..<nc {
                    emit(Event(time: hourStart, kind: .inventory, store: storeID, city: info.city, region: info.region,
                               sku: Int32(c), quantity: Int32(clamping: stores[s].onHand[c])))
                    if stores[s].onHand[c] < stores[s].reorderPoint[c] && stores[s].pendingQuantity[c] == 0 {
                        stores[s].pendingQuantity[c] = stores[s].orderUpTo[c] - stores[s].onHand[c]
                        stores[s].pendingArrival[c] = hourStart + leadTime
                    }
                }
            }

            let share = t.hourShare[h]
            if share > 0 {
                var traffic = ctx.cityHourTraffic[city * 24 + h]
                if !interventions.isEmpty {
                    traffic *= interventionFactor(store: s, at: hourStart + SimTime.hour / 2) {
                        if case let .traffic(m) = $0 { return m } else { return nil }
                    }
                }
                let lambdaHour = lambdaDay * share * traffic
                expectedLines += lambdaHour
                let n = rng.poisson(lambdaHour)
                for _ in 0..<n {
                    let time = hourStart + Millis(rng.below(Int(SimTime.hour)))
                    let u = rng.uniform()
                    var c = 0
                    while c < nc - 1 && u >= cdf[c] { c += 1 }
                    let sku = rng.below(categories[c].skus)
                    let q = 1 + t.walkInUnits[c].sample(&rng)
                    if stores[s].onHand[c] >= q {
                        stores[s].onHand[c] -= q
                        let a = priceFen[c][sku] * Int64(q)
                        lines += 1; units += Int64(q); amount += a
                        emit(Event(time: time, kind: .sale, store: storeID, city: info.city, region: info.region,
                                   sku: Int32(c * 100_000 + sku), quantity: Int32(q), amount: a))
                    } else {
                        lost += 1
                    }
                }
            }

            let signalRate = ctx.cityHourSignals[city * 24 + h]
            if signalRate > 0 {
                let n = srng.poisson(signalRate)
                for _ in 0..<n {
                    let kind: CompetitorSignalKind
                    let u = srng.uniform()
                    switch shockKind {
                    case .productLaunch?: kind = u < 0.5 ? .newListing : (u < 0.8 ? .experienceStore : .priceCut)
                    case .priceWar?: kind = u < 0.7 ? .priceCut : (u < 0.85 ? .newListing : .experienceStore)
                    case nil: kind = CompetitorSignalKind(rawValue: UInt32(srng.below(3)))!
                    }
                    emit(Event(time: hourStart + Millis(srng.below(Int(SimTime.hour))), kind: .competitorSignal,
                               store: storeID, city: info.city, region: info.region, attr: kind.rawValue))
                    signalsToday += 1
                }
            }
        }

        stores[s].signals[(d % 7 + 7) % 7] = signalsToday
        stores[s].stockoutDays = (stores[s].stockoutDays << 1) | (lost > 0 ? 1 : 0)
        sales.append(StoreDaySales(store: storeID, day: Int32(d), lines: lines, units: units, amount: amount, accountLines: 0))
        storeTruth.append(StoreDayTruth(store: storeID, day: Int32(d), expectedLines: expectedLines,
                                        expectedAmount: expectedLines * amountPerLine / 100, lostLines: lost,
                                        shockFactor: ctx.cityHourTraffic[city * 24 + 12]))
    }
}
