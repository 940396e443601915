import Foundation
import WarRoomCore

extension Simulator {
    /// One store's accounts on one day: conversions of prospects, churn, orders, new leads.
    func simulateCustomers(ofStore s: Int, _ ctx: DayContext, _ sink: inout EventSink) {
        let sc = scenario
        let t = tables
        let info = layout.stores[s]
        let storeID = Int32(s)
        let d = ctx.day
        let d32 = Int32(d)
        let churn = sc.customers.churn
        let shocks = ctx.cityShocks[Int(info.city)]
        let stockouts = Double((stores[s].stockoutDays & 0x7F).nonzeroBitCount)

        // The CRM's count of active accounts at the start of the day: the churn-rate denominator.
        sink.emit(Event(time: ctx.dayStart, kind: .accountBase, store: storeID, city: info.city, region: info.region,
                        quantity: Int32(clamping: stores[s].active.count)))

        // Prospects whose account opens today become active.
        if !stores[s].prospects.isEmpty {
            var waiting: [Int] = []
            for index in stores[s].prospects {
                if customers[index].wonDay == d32 {
                    customers[index].status = .active
                    stores[s].active.append(index)
                    var rng = RandomStream(seed: seed, stream: .customerDay, entity: UInt64(bitPattern: customers[index].id), day: Int64(d))
                    sink.emit(Event(time: ctx.dayStart + t.timeOfDay(&rng), kind: .customerWon, store: storeID, city: info.city,
                               region: info.region, customer: customers[index].id, attr: FirstTouch.ownStore.rawValue))
                } else {
                    waiting.append(index)
                }
            }
            stores[s].prospects = waiting
        }

        let accountLevel = !accountsToday.isEmpty
        let churnIntervention = interventionFactor(store: s, at: ctx.dayStart) {
            if case let .churnHazard(m) = $0 { return m } else { return nil }
        }
        let trafficIntervention = interventionFactor(store: s, at: ctx.dayStart + SimTime.day / 2) {
            if case let .traffic(m) = $0 { return m } else { return nil }
        }
        let categories = sc.world.categories
        let nc = categories.count
        var orderLineAmount = 0.0
        for c in 0..<nc { orderLineAmount += categories[c].share * categories[c].unitsPerLine * sc.customers.orderSizeMultiplier * t.meanPriceFen[c] }
        var expectedLines = 0.0
        var lines: Int32 = 0, units: Int64 = 0, amount: Int64 = 0

        var stillActive: [Int] = []
        stillActive.reserveCapacity(stores[s].active.count)
        for index in stores[s].active {
            let c = customers[index]
            var rng = RandomStream(seed: seed, stream: .customerDay, entity: UInt64(bitPattern: c.id), day: Int64(d))
            var multiplier = 1.0, orderFactor = 1.0
            var reached = false
            for shock in shocks where c.susceptibility < shock.threshold {
                reached = true
                multiplier *= shock.churnMultiplier
                orderFactor *= shock.orderFactor
            }
            let recency = Double(min(d - Int(c.lastOrderDay), 90)) / 30
            let visited: Double = d - Int(c.lastVisitDay) <= 14 ? 1 : 0
            let logTerm = churn.recencyEffect * (recency - t.recencyCentre) - churn.visitEffect * (visited - t.visitCentre)
                + churn.stockoutEffect * stockouts
            var accountChurn = 1.0, accountOrders = 1.0
            if accountLevel, let f = accountsToday[c.id] { (accountChurn, accountOrders) = (f.churn, f.orders) }
            let hazard = min(0.99, t.baseHazard * c.frailty * exp(logTerm) * multiplier * churnIntervention * accountChurn)
            if d >= 0 {
                customerTruth.append(CustomerDayTruth(customer: c.id, day: d32, churnProbability: hazard, reachedByCompetitor: reached,
                                                     frailty: c.frailty))
            }
            if rng.uniform() < hazard {
                customers[index].status = .lost
                customers[index].lostDay = d32
                sink.emit(Event(time: ctx.dayStart + t.timeOfDay(&rng), kind: .customerLost, store: storeID, city: info.city,
                           region: info.region, customer: c.id,
                           attr: reached ? FirstTouch.competitorExperienceStore.rawValue : FirstTouch.ownStore.rawValue))
                continue
            }
            stillActive.append(index)

            let rate = sc.customers.ordersPerWeek / 7 * c.orderRate * ctx.dayOfWeekFactor * orderFactor * trafficIntervention * accountOrders
            expectedLines += rate * sc.customers.linesPerOrder
            let orders = rng.poisson(rate)
            if orders == 0 { continue }
            var orderAmount: Int64 = 0
            for _ in 0..<orders {
                let time = ctx.dayStart + t.timeOfDay(&rng)
                let n = 1 + t.extraOrderLines.sample(&rng)
                for _ in 0..<n {
                    let cat = t.category(&rng)
                    let sku = rng.below(categories[cat].skus)
                    let q = 1 + t.orderUnits[cat].sample(&rng)
                    let a = t.skuPriceFlat[t.skuOffset[cat] + sku] * Int64(q)
                    lines += 1; units += Int64(q); amount += a; orderAmount += a
                    sink.emit(Event(time: time, kind: .sale, store: storeID, city: info.city, region: info.region,
                               customer: c.id, sku: ProductCode(category: cat, item: sku).rawValue, quantity: Int32(q), amount: a, attr: 1))
                }
            }
            customers[index].lastOrderDay = d32
            withWeek(index, day: d) { $0.orders += Int32(orders); $0.amount += orderAmount }
        }
        stores[s].active = stillActive

        // The store's account lines join its walk-in lines in the sales panel and the truth.
        sales[s].lines += lines
        sales[s].accountLines += lines
        sales[s].units += units
        sales[s].amount += amount
        storeTruth[s].expectedLines += expectedLines
        storeTruth[s].expectedAmount += expectedLines * orderLineAmount / 100

        acquire(store: s, ctx, shocks: shocks, &sink)
    }

    /// Lead scans at a store; some convert into accounts after a delay.
    private func acquire(store s: Int, _ ctx: DayContext, shocks: [DayContext.CustomerShock], _ sink: inout EventSink) {
        let acq = scenario.customers.acquisition
        let info = layout.stores[s]
        var capture = 1.0
        for shock in shocks { capture *= 1 - shock.leadCapture }
        let boost = interventionFactor(store: s, at: ctx.dayStart + SimTime.day / 2) {
            if case let .acquisition(m) = $0 { return m } else { return nil }
        }
        var rng = RandomStream(seed: seed, stream: .acquisition, entity: UInt64(s), day: Int64(ctx.day))
        let leads = rng.poisson(acq.leadsPerStoreWeek / 7 * ctx.dayOfWeekFactor * capture * boost)
        for _ in 0..<leads {
            let id = Simulator.customerID(store: s, local: stores[s].nextLocal)
            stores[s].nextLocal += 1
            let leadTime = ctx.dayStart + tables.timeOfDay(&rng)
            sink.emit(Event(time: leadTime, kind: .leadScan, store: Int32(s), city: info.city,
                       region: info.region, customer: id, attr: FirstTouch.ownStore.rawValue))
            stores[s].openLeads.append((id, leadTime))
            if rng.bernoulli(acq.conversion) {
                let due = ctx.day + 1 + Int(rng.exponential() * acq.conversionDays)
                if due < endDay {
                    let index = addCustomer(id: id, store: s, status: .prospect, wonDay: due)
                    stores[s].prospects.append(index)
                }
            }
        }
    }

    /// Weekly snapshots of every active customer, at the end of the week's last day.
    func takeSnapshots(day d: Int) {
        let w = Int32(floorDiv(d, 7))
        for s in stores.indices {
            let signals7d = stores[s].signals.reduce(0, +)
            for index in stores[s].active {
                let c = customers[index]
                var orders28: Int32 = 0, amount28: Int64 = 0, amountPrev: Int64 = 0, calls: Int32 = 0, positive: Int32 = 0
                for k in 0..<8 {
                    let b = weeks[index * 8 + k]
                    let age = Int(w) - Int(b.week)
                    if age >= 0 && age < 4 {
                        orders28 += b.orders; amount28 += b.amount
                        calls += Int32(b.calls); positive += Int32(b.positiveCalls)
                    } else if age >= 4 && age < 8 {
                        amountPrev += b.amount
                    }
                }
                let tenure = Int32(d) - c.wonDay
                snapshots.append(CustomerSnapshot(
                    customer: c.id, day: Int32(d), store: c.store, tenureDays: tenure,
                    daysSinceOrder: min(Int32(d) - c.lastOrderDay, tenure),
                    orders28d: orders28, amount28d: amount28, amountPrev28d: amountPrev,
                    daysSinceVisit: min(Int32(clamping: d - Int(c.lastVisitDay)), tenure),
                    calls28d: calls, positiveCalls28d: positive, competitorSignals7d: signals7d,
                    callsTotal: c.callsTotal, positiveCallsTotal: c.positiveCallsTotal))
            }
        }
    }
}
