import Foundation
import WarRoomCore

extension Simulator {
    /// One store's day: promotion execution, walk-in sale lines hour by hour against its
    /// inventory (lines finding too little stock are lost), inventory reports and
    /// replenishment, competitor signals.
    ///
    /// The store's state and the event sink come in as `inout` so the per-line loop works on
    /// locals (no class-property access, no exclusivity checks in the hot path).
    func simulateStore(_ s: Int, _ ctx: DayContext, _ state: inout StoreState, _ sink: inout EventSink) {
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
        var anyDiscount = false
        if !ctx.promotions.isEmpty {
            var prng = RandomStream(seed: seed, stream: .storePromotion, entity: UInt64(s), day: Int64(d))
            for p in ctx.promotions where layout.contains(p.scope, store: s) {
                let executed = prng.bernoulli(p.compliance)
                sink.emit(Event(time: ctx.dayStart + Millis(t.openingHour) * SimTime.hour + Millis(prng.below(Int(SimTime.hour))),
                                kind: .promotion, store: storeID, city: info.city, region: info.region,
                                sku: Int32(p.category), attr: executed ? 1 : 0))
                if executed {
                    promoFactor[p.category] *= pow(1 - p.discount, sc.demand.priceElasticity)
                    keep[p.category] *= 1 - p.discount
                    anyDiscount = true
                }
            }
        }

        // Walk-in intensity by category, and its cumulative shares for drawing a line's category.
        let base = sc.demand.linesPerStoreDay * state.sizeMultiplier * ctx.calendarFactor
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
        let skus = categories.map(\.skus)

        var rng = RandomStream(seed: seed, stream: .storeSales, entity: UInt64(s), day: Int64(d))
        var srng = RandomStream(seed: seed, stream: .competitorSignals, entity: UInt64(s), day: Int64(d))
        let reportEvery = sc.demand.inventory.reportEveryHours
        let leadTime = Millis(sc.demand.inventory.leadTimeHours) * SimTime.hour
        var lines: Int32 = 0, units: Int64 = 0, amount: Int64 = 0, lost: Int32 = 0
        var expectedLines = 0.0
        var signalsToday: Int32 = 0
        let shockKind = ctx.cityShockKind[city]
        var onHand = state.onHand
        state.onHand = []
        let interventionsActive = !activeToday.isEmpty

        for h in 0..<24 {
            let hourStart = ctx.dayStart + Millis(h) * SimTime.hour
            for c in 0..<nc where state.pendingQuantity[c] > 0 && state.pendingArrival[c] <= hourStart {
                onHand[c] += state.pendingQuantity[c]
                state.pendingQuantity[c] = 0
                sink.emit(Event(time: hourStart, kind: .inventory, store: storeID, city: info.city, region: info.region,
                                sku: Int32(c), quantity: Int32(clamping: onHand[c]), attr: 1))
            }
            if h % reportEvery == 0 {
                for c in 0..<nc {
                    sink.emit(Event(time: hourStart, kind: .inventory, store: storeID, city: info.city, region: info.region,
                                    sku: Int32(c), quantity: Int32(clamping: onHand[c])))
                    if onHand[c] < state.reorderPoint[c] && state.pendingQuantity[c] == 0 {
                        state.pendingQuantity[c] = state.orderUpTo[c] - onHand[c]
                        state.pendingArrival[c] = hourStart + leadTime
                    }
                }
            }

            let share = t.hourShare[h]
            if share > 0 {
                var traffic = ctx.cityHourTraffic[city * 24 + h]
                if interventionsActive {
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
                    let sku = rng.below(skus[c])
                    let q = 1 + t.walkInUnits[c].sample(&rng)
                    guard onHand[c] >= q else {
                        lost += 1
                        continue
                    }
                    onHand[c] -= q
                    var price = t.skuPriceFlat[t.skuOffset[c] + sku]
                    if anyDiscount && keep[c] != 1 { price = max(1, Int64((Double(price) * keep[c]).rounded())) }
                    let a = price * Int64(q)
                    lines += 1; units += Int64(q); amount += a
                    sink.emit(Event(time: time, kind: .sale, store: storeID, city: info.city, region: info.region,
                                    sku: ProductCode(category: c, item: sku).rawValue, quantity: Int32(q), amount: a))
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
                    sink.emit(Event(time: hourStart + Millis(srng.below(Int(SimTime.hour))), kind: .competitorSignal,
                                    store: storeID, city: info.city, region: info.region, attr: kind.rawValue))
                    signalsToday += 1
                }
            }
        }

        state.onHand = onHand
        state.signals[(d % 7 + 7) % 7] = signalsToday
        state.stockoutDays = (state.stockoutDays << 1) | (lost > 0 ? 1 : 0)
        sales.append(StoreDaySales(store: storeID, day: Int32(d), lines: lines, units: units, amount: amount, accountLines: 0))
        storeTruth.append(StoreDayTruth(store: storeID, day: Int32(d), expectedLines: expectedLines,
                                        expectedAmount: expectedLines * amountPerLine / 100, lostLines: lost,
                                        shockFactor: ctx.cityHourTraffic[city * 24 + 12]))
    }
}
