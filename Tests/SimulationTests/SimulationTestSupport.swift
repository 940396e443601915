import Simulation
import WarRoomCore
import WarRoomTestSupport


/// Everything one simulated run shows, gathered for assertions.
struct SimulationRecord {
    var events: [Event] = []
    var sales: [StoreDaySales] = []
    var snapshots: [CustomerSnapshot] = []
    var storeTruth: [StoreDayTruth] = []
    var customerTruth: [CustomerDayTruth] = []
    var digest = EventDigest()
}

/// Runs a simulator to its end, keeping every output.
func simulate(_ s: Scenario, seed: UInt64, keepEvents: Bool = true, setUp: (Simulator) -> Void = { _ in }) -> SimulationRecord {
    let sim = Simulator(scenario: s, seed: seed)
    setUp(sim)
    var r = SimulationRecord()
    while sim.step(observe: { obs in
        for e in obs.events { r.digest.add(e) }
        if keepEvents { r.events.append(contentsOf: obs.events) }
        r.sales.append(contentsOf: obs.sales)
        r.snapshots.append(contentsOf: obs.snapshots)
    }, truth: { t in
        r.storeTruth.append(contentsOf: t.stores)
        r.customerTruth.append(contentsOf: t.customers)
    }) {}
    return r
}

/// A world template: `CITIES` is replaced by the city list; everything else is fixed.
func world(cities: String, liveDays: Int = 5, historyDays: Int = 7, lines: Double = 60, perStore: Int = 8,
           extraDemand: String = "", churn: String = "{ weeklyRate: 0.05, recencyEffect: 0.5, visitEffect: 0.5, frailtySpread: 0.5 }",
           shocks: String = "", storesPerRep: Int = 5, priceSpread: Double = 0.3, leadsPerStoreWeek: Double = 3) -> String {
    """
    name: test-world
    seed: 11
    calendar: { start: 2026-03-02, historyDays: \(historyDays), liveDays: \(liveDays) }
    world:
      regions:
        - name: East
          cities:
    \(cities)
      categories:
        - { name: basics, price: 20, priceSpread: \(priceSpread), skus: 10, share: 0.7, unitsPerLine: 1.5 }
        - { name: devices, price: 300, priceSpread: \(priceSpread), skus: 5, share: 0.3, unitsPerLine: 1 }
    demand:
      linesPerStoreDay: \(lines)
    \(extraDemand)
    customers:
      perStore: \(perStore)
      ordersPerWeek: 1.5
      churn: \(churn)
      acquisition: { leadsPerStoreWeek: \(leadsPerStoreWeek), conversion: 0.5 }
    reps: { storesPerRep: \(storesPerRep), visitsPerDay: 4, callsPerDay: 3 }
    competitors:
      backgroundSignalsPerStoreWeek: 2
      shocks: [\(shocks)]
    """
}
