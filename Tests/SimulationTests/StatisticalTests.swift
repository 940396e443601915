import Foundation
import Simulation
import Testing
import WarRoomTestSupport
import WarRoomCore

/// Each test compares simulated totals with the configured expectation at a tolerance well
/// under 10 %, with enough draws that a rate off by 10 % fails.
@Suite("Simulated rates match the configuration")
struct StatisticalTests {
    @Test("Walk-in lines per store-day, sales amount and the hour-of-day profile")
    func walkInDemand() throws {
        // No customers, flat calendar, no price spread: expected lines and amounts are exact.
        let hours = "  hourOfDay: [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 1, 0, 0, 0, 0]"
        let s = try scenario(world(cities: "        - { name: Alpha, stores: 20 }", liveDays: 30, historyDays: 0, lines: 200,
                                   perStore: 0, extraDemand: hours, priceSpread: 0, leadsPerStoreWeek: 0))
        let r = simulate(s, seed: 21)
        let sales = r.events.filter { $0.kind == .sale }
        let perStoreDay = Double(sales.count) / Double(20 * 30)
        #expect(abs(perStoreDay / 200 - 1) < 0.02, "lines per store-day \(perStoreDay), configured 200")
        let amountPerLine = Double(sales.reduce(0) { $0 + $1.amount }) / Double(sales.count) / 100
        let expectedPerLine = 0.7 * 1.5 * 20 + 0.3 * 1 * 300
        #expect(abs(amountPerLine / expectedPerLine - 1) < 0.03, "amount per line \(amountPerLine), expected \(expectedPerLine)")
        var byHour = [Int](repeating: 0, count: 24)
        for e in sales { byHour[Int((e.time % SimTime.day) / SimTime.hour)] += 1 }
        let weights: [Double] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 1, 0, 0, 0, 0]
        let total = weights.reduce(0, +)
        for h in 0..<24 {
            let expected = Double(sales.count) * weights[h] / total
            if expected == 0 { #expect(byHour[h] == 0) } else { #expect(abs(Double(byHour[h]) / expected - 1) < 0.05) }
        }
        // The truth log's expectation agrees with the configuration.
        let expectedLines = r.storeTruth.reduce(0) { $0 + $1.expectedLines }
        #expect(abs(expectedLines / Double(20 * 30 * 200) - 1) < 1e-9)
    }

    @Test("Daily churn matches the configured weekly rate")
    func churnRate() throws {
        // No covariate effects and no frailty: every customer's daily hazard is 1 − (1 − w)^(1/7).
        let s = try scenario(world(cities: "        - { name: Alpha, stores: 100 }", liveDays: 60, historyDays: 0, lines: 5,
                                   perStore: 50, churn: "{ weeklyRate: 0.05 }"))
        let r = simulate(s, seed: 8)
        let lost = r.events.filter { $0.kind == .customerLost }.count
        let customerDays = r.customerTruth.count
        let daily = 1 - pow(0.95, 1.0 / 7)
        let expected = Double(customerDays) * daily
        #expect(r.customerTruth.allSatisfy { abs($0.churnProbability - daily) < 1e-12 })
        #expect(abs(Double(lost) / expected - 1) < 0.06, "lost \(lost), expected \(expected)")
    }

    @Test("With every effect on, losses match the truth log's probabilities, and a shock raises them")
    func churnAgainstTruth() throws {
        let shock = "{ name: s, kind: productLaunch, city: Beta, startDay: 10, rampDays: 2, durationDays: 60, reach: 0.6, churnMultiplier: 4 }"
        let s = try scenario(world(cities: "        - { name: Alpha, stores: 60 }\n        - { name: Beta, stores: 60 }", liveDays: 40,
                                   historyDays: 30, lines: 5, perStore: 40, shocks: shock))
        let r = simulate(s, seed: 9)
        let lost = r.events.filter { $0.kind == .customerLost }
        let expected = r.customerTruth.reduce(0) { $0 + $1.churnProbability }
        #expect(abs(Double(lost.count) / expected - 1) < 0.06, "lost \(lost.count), expected \(expected)")
        let betaAfter = lost.filter { $0.city == 1 && $0.time >= 13 * SimTime.day }.count
        let alphaAfter = lost.filter { $0.city == 0 && $0.time >= 13 * SimTime.day }.count
        #expect(Double(betaAfter) > 1.5 * Double(alphaAfter), "Beta \(betaAfter), Alpha \(alphaAfter)")
        let reachedShare = Double(lost.filter { $0.city == 1 && $0.time >= 13 * SimTime.day && $0.attr == FirstTouch.competitorExperienceStore.rawValue }.count) / Double(betaAfter)
        #expect(reachedShare > 0.7)
    }

    @Test("An intervention acts on the world: halving the churn hazard halves losses")
    func intervention() throws {
        let s = try scenario(world(cities: "        - { name: Alpha, stores: 100 }", liveDays: 40, historyDays: 0, lines: 5,
                                   perStore: 50, churn: "{ weeklyRate: 0.05 }"))
        let base = simulate(s, seed: 12).events.filter { $0.kind == .customerLost }.count
        let halved = simulate(s, seed: 12) {
            $0.apply(Intervention(place: .global, start: 0, end: 40 * SimTime.day, effect: .churnHazard(multiplier: 0.5)))
        }.events.filter { $0.kind == .customerLost }.count
        #expect(abs(Double(halved) / Double(base) - 0.5) < 0.06, "base \(base), halved \(halved)")
    }

    @Test("Lead scans arrive at the configured rate")
    func leads() throws {
        let s = try scenario(world(cities: "        - { name: Alpha, stores: 100 }", liveDays: 70, historyDays: 0, lines: 5, perStore: 1))
        let r = simulate(s, seed: 14)
        let leads = r.events.filter { $0.kind == .leadScan }.count
        let expected = 3.0 / 7 * 100 * 70
        #expect(abs(Double(leads) / expected - 1) < 0.05, "leads \(leads), expected \(expected)")
    }

    @Test("An account-level intervention acts on that account alone")
    func accountIntervention() throws {
        let s = try scenario(world(cities: "        - { name: Alpha, stores: 20 }", liveDays: 60, historyDays: 0, lines: 5,
                                   perStore: 50, churn: "{ weeklyRate: 0.2 }"))
        // Store 0's first 25 accounts: ids 0 << 24 | 0 … 24.
        let protected = Set((0..<25).map { Int64($0) })
        let base = simulate(s, seed: 17).events.filter { $0.kind == .customerLost }
        let r = simulate(s, seed: 17) { sim in
            for id in protected {
                sim.apply(Intervention(place: .store(0), start: 0, end: 60 * SimTime.day, effect: .churnHazard(multiplier: 0), customer: id))
            }
        }.events.filter { $0.kind == .customerLost }
        #expect(base.contains { protected.contains($0.customer) })
        #expect(!r.contains { protected.contains($0.customer) })
        // Every other account of store 0 lives exactly as before.
        let others = { (e: Event) in e.store == 0 && !protected.contains(e.customer) }
        #expect(r.filter(others) == base.filter(others))
    }
}
