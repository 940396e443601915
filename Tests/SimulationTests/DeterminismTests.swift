import Simulation
import Testing
import WarRoomTestSupport
import WarRoomCore

@Suite("Reproducibility and stream independence")
struct DeterminismTests {
    let shock = "{ name: s, kind: productLaunch, city: Alpha, startDay: 1, rampDays: 1, durationDays: 10, trafficEffect: -0.2, reach: 0.5, churnMultiplier: 3, signalsPerStoreDay: 5, leadCapture: 0.2 }"

    @Test("Same seed ⇒ same stream; different seed ⇒ different stream")
    func seeds() throws {
        let s = try scenario(world(cities: "        - { name: Alpha, stores: 4 }\n        - { name: Beta, stores: 3 }", shocks: shock))
        let a = simulate(s, seed: 1), b = simulate(s, seed: 1), c = simulate(s, seed: 2)
        #expect(a.events.count > 1000)
        #expect(a.digest.hex == b.digest.hex)
        #expect(a.events == b.events)
        #expect(a.sales == b.sales)
        #expect(a.digest.hex != c.digest.hex)
    }

    @Test("A store's events are the same whether the world holds 10 or 237 stores")
    func independence() throws {
        let small = try scenario(world(cities: "        - { name: Alpha, stores: 10 }", shocks: shock))
        let grownCity = try scenario(world(cities: "        - { name: Alpha, stores: 237 }", shocks: shock))
        let moreCities = try scenario(world(cities: "        - { name: Alpha, stores: 10 }\n        - { name: Beta, stores: 120 }\n        - { name: Gamma, stores: 107 }",
                                            shocks: shock))
        let a = simulate(small, seed: 5)
        for big in [grownCity, moreCities] {
            let b = simulate(big, seed: 5)
            let mine = b.events.filter { $0.store < 10 }
            #expect(mine.count == a.events.count)
            #expect(mine == a.events)
            #expect(b.sales.filter { $0.store < 10 } == a.sales)
            #expect(b.storeTruth.filter { $0.store < 10 } == a.storeTruth)
        }
    }

    @Test("The world without its shock is the same world before the onset, and outside the shocked city throughout")
    func withoutShock() throws {
        // What the backtest's oracle without shocks rests on: removing a shock changes no draw it does not touch.
        let cities = "        - { name: Alpha, stores: 4 }\n        - { name: Beta, stores: 3 }"
        let late = "{ name: s, kind: productLaunch, city: Alpha, startDay: 2, rampDays: 1, durationDays: 10, trafficEffect: -0.2, reach: 0.5, churnMultiplier: 3, signalsPerStoreDay: 5, leadCapture: 0.2 }"
        let shocked = simulate(try scenario(world(cities: cities, shocks: late)), seed: 9)
        let calm = simulate(try scenario(world(cities: cities)), seed: 9)
        #expect(shocked.storeTruth.count == calm.storeTruth.count)
        var differs = 0
        for (a, b) in zip(shocked.storeTruth, calm.storeTruth) {
            #expect(a.store == b.store && a.day == b.day)
            if a.day < 2 || a.store >= 4 {
                #expect(a.expectedAmount == b.expectedAmount && a.expectedLines == b.expectedLines, "store \(a.store) day \(a.day)")
            } else if a.expectedAmount < b.expectedAmount {
                differs += 1
            }
        }
        // After the onset the shocked city's expected sales are lower on every store-day.
        #expect(differs == 4 * 3)
    }

    @Test("Events leave the simulator in time order, live days only")
    func ordered() throws {
        let s = try scenario(world(cities: "        - { name: Alpha, stores: 6 }", shocks: shock))
        let r = simulate(s, seed: 3)
        #expect(r.events.first.map { $0.time >= 0 } == true)
        #expect(r.events.last.map { $0.time < 5 * SimTime.day } == true)
        #expect(zip(r.events, r.events.dropFirst()).allSatisfy { $0.time <= $1.time })
    }

    @Test("The live sales panel is exactly the sum of the live sale events")
    func panelMatchesEvents() throws {
        let s = try scenario(world(cities: "        - { name: Alpha, stores: 6 }", shocks: shock))
        let r = simulate(s, seed: 4)
        var lines: [String: (Int32, Int64, Int64)] = [:]
        for e in r.events where e.kind == .sale {
            let key = "\(e.store)/\(SimTime.dayIndex(e.time))"
            let v = lines[key] ?? (0, 0, 0)
            lines[key] = (v.0 + 1, v.1 + Int64(e.quantity), v.2 + e.amount)
        }
        let live = r.sales.filter { $0.day >= 0 }
        #expect(live.count == 6 * 5)
        for row in live {
            let v = lines["\(row.store)/\(row.day)"] ?? (0, 0, 0)
            #expect(v.0 == row.lines && v.1 == row.units && v.2 == row.amount)
        }
        // History has the same panel, without events.
        #expect(r.sales.filter { $0.day < 0 }.count == 6 * 7)
    }
}
