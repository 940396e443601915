import Simulation
import Testing
import WarRoomTestSupport
import WarRoomCore

@Suite("Visit policies")
struct VisitPolicyTests {
    /// The visited accounts of each day, in order.
    func visits(_ policy: String, seed: UInt64 = 3) throws -> [[Int64]] {
        let text = world(cities: "        - { name: Alpha, stores: 4 }", liveDays: 28, historyDays: 7, perStore: 30)
            .replacingOccurrences(of: "reps: { storesPerRep: 5, visitsPerDay: 4, callsPerDay: 3 }",
                                  with: "reps: { storesPerRep: 5, visitsPerDay: 4, callsPerDay: 3, visitPolicy: \(policy) }")
        let record = simulate(try scenario(text), seed: seed)
        var byDay = [[Int64]](repeating: [], count: 28)
        for e in record.events where e.kind == .visit { byDay[Int(e.time / SimTime.day)].append(e.customer) }
        return byDay
    }

    @Test("Ranked visits are deterministic, differ from random and round-robin, and do not revisit an account within 14 days here")
    func ranked() throws {
        let a = try visits("ranked"), b = try visits("ranked")
        #expect(a == b)
        let random = try visits("random"), roundRobin = try visits("roundRobin")
        #expect(a != random && a != roundRobin)
        // 120 accounts, 4 visits a working day: a visit's 14-day effect makes a revisit within 14 days rank low.
        var last: [Int64: Int] = [:], early = 0, total = 0
        for (d, day) in a.enumerated() {
            for c in day {
                if let l = last[c], d - l <= 14 { early += 1 }
                last[c] = d
                total += 1
            }
        }
        #expect(total > 50 && early == 0, "\(early) of \(total) visits came back within 14 days")
    }
}
