import Foundation
import WarRoomCore

extension Simulator {
    /// One rep's working day (Monday to Friday): visits by the scenario's policy, then calls.
    /// A visit lowers the customer's churn hazard for 14 days, from the next day on.
    func simulateRep(_ r: Int, _ ctx: DayContext, _ sink: inout EventSink) {
        guard ctx.weekday < 5 else { return }
        let spec = scenario.reps
        let territory = layout.reps[r]
        var candidates: [Int] = []
        for s in territory.stores { candidates.append(contentsOf: stores[s].active) }
        if candidates.isEmpty { return }
        var rng = RandomStream(seed: seed, stream: .repDay, entity: UInt64(r), day: Int64(ctx.day))
        let repID = Int32(r)

        var time = ctx.dayStart + 9 * SimTime.hour

        // First, follow up lead scans from earlier days, oldest first; leads older than a week are dropped.
        var leads: [(store: Int, id: Int64, time: Millis)] = []
        for s in territory.stores {
            stores[s].openLeads.removeAll { $0.time < ctx.dayStart - 7 * SimTime.day }
            for lead in stores[s].openLeads where lead.time < ctx.dayStart { leads.append((s, lead.id, lead.time)) }
        }
        leads.sort { ($0.time, $0.id) < ($1.time, $1.id) }
        let leadVisits = min(spec.leadVisitsPerDay, leads.count)
        for lead in leads.prefix(leadVisits) {
            time += Millis(15 + rng.below(30)) * SimTime.minute
            let dwell = min(240, max(3, Int((20 * rng.lognormalMeanOne(sigma: 0.5)).rounded())))
            let evidence = VisitEvidence(dwellMinutes: dwell, photo: rng.bernoulli(0.9), locationVerified: rng.bernoulli(0.95),
                                         voiceNote: rng.bernoulli(0.6))
            let store = layout.stores[lead.store]
            sink.emit(Event(time: min(time, ctx.dayStart + SimTime.day - 1), kind: .visit, store: Int32(lead.store), city: store.city,
                            region: store.region, customer: lead.id, rep: repID, attr: evidence.packed))
            stores[lead.store].openLeads.removeAll { $0.id == lead.id }
            time += Millis(dwell) * SimTime.minute
        }

        // Then accounts, by the scenario's policy.
        let k = min(spec.visitsPerDay - leadVisits, candidates.count)
        var chosen: [Int] = []
        switch spec.visitPolicy {
        case .random:
            for i in 0..<k {
                let j = i + rng.below(candidates.count - i)
                candidates.swapAt(i, j)
                chosen.append(candidates[i])
            }
        case .roundRobin:
            chosen = candidates.sorted {
                (customers[$0].lastVisitDay, customers[$0].id) < (customers[$1].lastVisitDay, customers[$1].id)
            }.prefix(k).map { $0 }
        case .ranked:
            let scored = candidates.map { (index: $0, score: visitPriority($0, day: ctx.day)) }
            chosen = scored.sorted { $0.score != $1.score ? $0.score > $1.score : customers[$0.index].id < customers[$1.index].id }
                .prefix(k).map(\.index)
        }

        for index in chosen {
            let c = customers[index]
            time += Millis(15 + rng.below(30)) * SimTime.minute
            let dwell = min(240, max(3, Int((25 * rng.lognormalMeanOne(sigma: 0.5)).rounded())))
            let evidence = VisitEvidence(dwellMinutes: dwell, photo: rng.bernoulli(0.9), locationVerified: rng.bernoulli(0.95),
                                         voiceNote: rng.bernoulli(0.6))
            let store = layout.stores[Int(c.store)]
            sink.emit(Event(time: min(time, ctx.dayStart + SimTime.day - 1), kind: .visit, store: c.store, city: store.city,
                       region: store.region, customer: c.id, rep: repID, attr: evidence.packed))
            customers[index].lastVisitDay = Int32(ctx.day)
            time += Millis(dwell) * SimTime.minute
        }

        // Calls: objections, how fast and how concretely the rep answers, and the outcome.
        for i in 0..<spec.callsPerDay {
            let index = candidates[rng.below(candidates.count)]
            let c = customers[index]
            let u = rng.uniform()
            let objection = u < 0.5 ? 0 : (u < 0.75 ? 1 : (u < 0.9 ? 2 : 3))
            let tenths = min(4095, Int((50 * rng.lognormalMeanOne(sigma: 0.6)).rounded()))
            let roi = rng.bernoulli(0.5)
            let strong = objection == 0 || (roi && tenths <= 32)
            // Frail customers (latent) are harder to win on the phone: calls carry churn signal.
            let p = min(0.95, max(0.02, 0.35 * (strong ? 1.41 : 1) / c.frailty.squareRoot()))
            let positive = rng.bernoulli(p)
            let outcome = CallOutcome(objection: objection, responseTenths: tenths, concreteROI: roi, positive: positive)
            let store = layout.stores[Int(c.store)]
            let callTime = ctx.dayStart + 13 * SimTime.hour + Millis(i) * 15 * SimTime.minute + Millis(rng.below(Int(10 * SimTime.minute)))
            sink.emit(Event(time: min(callTime, ctx.dayStart + SimTime.day - 1), kind: .call, store: c.store, city: store.city,
                       region: store.region, customer: c.id, rep: repID, attr: outcome.packed))
            customers[index].callsTotal += 1
            if positive {
                customers[index].positiveCallsTotal += 1
                customers[index].lastPositiveCallDay = Int32(ctx.day)
            }
            withWeek(index, day: ctx.day) {
                $0.calls += 1
                if positive { $0.positiveCalls += 1 }
            }
        }
    }
}
