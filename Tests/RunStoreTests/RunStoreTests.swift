import Foundation
import RunStore
import Testing
import WarRoomTestSupport
import WarRoomCore

@Suite("Run store")
struct RunStoreTests {
    let layout: WorldLayout

    init() throws {
        let s = try Scenario.decode(yaml: """
            name: t
            calendar: { start: 2026-01-05, liveDays: 1 }
            world:
              regions: [{ name: East, cities: [{ name: A, stores: 3 }, { name: B, stores: 2 }] }]
              categories: [{ name: c, price: 1, share: 1 }]
            demand: { linesPerStoreDay: 1 }
            customers: { perStore: 1, ordersPerWeek: 1, churn: { weeklyRate: 0.01 }, acquisition: { leadsPerStoreWeek: 1, conversion: 0.5 } }
            reps: { storesPerRep: 2, visitsPerDay: 1 }
            """, file: "t.yaml")
        layout = WorldLayout(world: s.world, storesPerRep: s.reps.storesPerRep)
    }

    @Test("A run round-trips: record, panels, events, status and figures")
    func roundTrip() throws {
        let path = temporaryDatabasePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try RunStore(path: path)
        let run = try store.beginRun(id: "r1", scenarioName: "s", scenarioPath: "s.yaml", scenarioHash: "abc", scenarioText: "name: s\n",
                                     seed: 42, layout: layout)
        let sales = [StoreDaySales(store: 0, day: -1, lines: 10, units: 12, amount: 5000, accountLines: 2),
                     StoreDaySales(store: 1, day: 0, lines: 7, units: 7, amount: 700, accountLines: 0)]
        let snap = CustomerSnapshot(customer: 99, day: 6, store: 0, tenureDays: 30, daysSinceOrder: 2, orders28d: 3, amount28d: 100,
                                    amountPrev28d: 50, daysSinceVisit: 4, calls28d: 1, positiveCalls28d: 1, competitorSignals7d: 0)
        try store.writeDay(run: run, sales: sales, snapshots: [snap],
                           storeTruth: [StoreDayTruth(store: 0, day: 0, expectedLines: 9.5, expectedAmount: 50, lostLines: 0, shockFactor: 1)],
                           customerTruth: [CustomerDayTruth(customer: 99, day: 0, churnProbability: 0.01, reachedByCompetitor: false)])
        let events = (0..<1000).map { i in
            Event(time: Millis(i) * 1000, kind: EventKind.allCases[i % EventKind.allCases.count], store: Int32(i % 5), city: Int16(i % 2),
                  region: 0, customer: i % 3 == 0 ? -1 : Int64(i) << 24, rep: Int32(i % 4) - 1, sku: Int32(i), quantity: Int32(i % 7),
                  amount: Int64(i) * 137, attr: UInt32(i * 31))
        }
        let recorder = try EventRecorder(store: store, run: run)
        try recorder.record(Array(events[0..<130]))
        try recorder.record(Array(events[130...]))
        try store.writeCustomers(run: run, customers: [CustomerRecord(customer: 99, store: 0, wonDay: -30, lostDay: nil),
                                                       CustomerRecord(customer: 100, store: 1, wonDay: -3, lostDay: 2)],
                                 shocks: [ShockTruth(name: "x", city: 1, onset: 5, fullEffect: 6, end: 7, stores: [3, 4])])
        try store.finishRun(run, eventDigest: "d", events: 1000, wallSeconds: 1.5, reportPath: "/tmp/r", metricsJSON: "{}")

        let reopened = try RunStore(path: path)
        let record = try #require(try reopened.run(id: "r1"))
        #expect(record.status == .finished)
        #expect(record.seed == 42 && record.scenarioText == "name: s\n" && record.eventDigest == "d" && record.events == 1000)
        #expect(try reopened.runs().map(\.id) == ["r1"])
        #expect(try reopened.salesPanel(run: run) == sales.sorted { ($0.store, $0.day) < ($1.store, $1.day) })
        #expect(try reopened.events(run: run) == events)
        #expect(try reopened.count(.customerSnapshots, run: run) == 1)
        #expect(try reopened.count(.truthCustomerDay, run: run) == 1)
        #expect(try reopened.count(.customers, run: run) == 2)
        #expect(try reopened.count(.truthShocks, run: run) == 1)
        #expect(try reopened.integrityCheck() == "ok")
    }

    @Test("Run ids are unique, statuses change, a failed write leaves nothing behind")
    func statusesAndTransactions() throws {
        let path = temporaryDatabasePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try RunStore(path: path)
        let run = try store.beginRun(id: "r1", scenarioName: "s", scenarioPath: "s.yaml", scenarioHash: "", scenarioText: "", seed: 1, layout: layout)
        #expect(try store.hasRun(id: "r1"))
        #expect(throws: SQLiteError.self) {
            _ = try store.beginRun(id: "r1", scenarioName: "s", scenarioPath: "s.yaml", scenarioHash: "", scenarioText: "", seed: 1, layout: layout)
        }
        // An id chosen in the inserting transaction: the base, then -2, -3.
        let ids = try (0..<3).map { _ in
            try store.beginRun(uniqueIDFrom: "r1", scenarioName: "s", scenarioPath: "s.yaml", scenarioHash: "", scenarioText: "", seed: 1, layout: layout).id
        }
        #expect(ids == ["r1-2", "r1-3", "r1-4"])
        try store.markRun(run, status: .interrupted)
        #expect(try store.run(id: "r1")?.status == .interrupted)
        // A duplicate primary key in the middle of a batch rolls the whole batch back.
        let row = StoreDaySales(store: 0, day: 0, lines: 1, units: 1, amount: 1, accountLines: 0)
        #expect(throws: SQLiteError.self) {
            try store.writeDay(run: run, sales: [row, StoreDaySales(store: 1, day: 0, lines: 1, units: 1, amount: 1, accountLines: 0), row],
                               snapshots: [], storeTruth: [], customerTruth: [])
        }
        #expect(try store.salesPanel(run: run).isEmpty)
        #expect(RunStore.schemaVersion == 10)

        // What `warroom report` needs comes back as it was stored.
        #expect(try store.run(id: "r1")?.source == nil)
        let source = RunSource(rulesPath: "rules/presets.yaml", rulesText: "rules: []\n", applyActions: false, recordEvents: true, language: "zh")
        try store.setSource(run, source)
        try store.finishRun(run, eventDigest: "d", events: 1, wallSeconds: 1, reportPath: "/tmp/r", metricsJSON: "{}", measurementsJSON: "{\"a\":1}")
        let back = try #require(try store.run(id: "r1"))
        #expect(back.source == source && back.measurementsJSON == "{\"a\":1}")
    }
}
