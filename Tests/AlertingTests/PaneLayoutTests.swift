@testable import Alerting
import Testing
import WarRoomCore

@Suite("Pane layout")
struct PaneLayoutTests {
    /// A customer-scoped sum rule over `window`, compared with the same window `lag` earlier.
    static func rule(window: Millis, lag: Millis, every: Millis) -> Rule {
        Rule(id: "r", scope: .customer,
             signal: .aggregate(Aggregate(function: .sum, field: .amount, filter: EventFilter(kinds: [.sale]), window: window)),
             comparison: .changeVersusLag(lag: lag, Condition(.below, -0.5)), every: every)
    }

    @Test("Every key's ring slots are distinct and inside the store, across chunks and for rings larger than a chunk",
          arguments: [(SimTime.hour, SimTime.hour), (24 * SimTime.hour, 28 * SimTime.day), (7 * SimTime.day, 364 * SimTime.day)])
    func slotsAreABijection(window: Millis, lag: Millis) {
        // A 10-minute step over 364 days needs a ring of 65,536 panes: four chunks per key.
        let every = lag >= 364 * SimTime.day ? 10 * SimTime.minute : SimTime.hour
        let state = RuleState(rule: Self.rule(window: window, lag: lag, every: every), index: 0, allowedLateness: SimTime.minute)
        let keysPerChunk = max(1, PaneStore.chunkSize / Int(state.ring))
        let keyCount = min(3 * keysPerChunk + 5, 2_000)
        for k in 0..<keyCount { _ = state.keyIndex(Int64(1_000 + k)) }
        var seen = Set<Int>()
        for k in 0..<Int32(keyCount) {
            for p in 0..<state.ring {
                let s = state.slot(k, p)
                #expect(s >= 0 && s < state.panes[0].capacity)
                seen.insert(s)
            }
            // Panes one ring apart share a slot; negative panes map like their residues.
            #expect(state.slot(k, 5) == state.slot(k, 5 + state.ring) && state.slot(k, -1) == state.slot(k, state.ring - 1))
        }
        #expect(seen.count == keyCount * Int(state.ring))
    }

    @Test("A fresh store reads as empty panes everywhere (zeroed memory is an empty pane)")
    func freshMemoryIsEmpty() {
        let store = PaneStore()
        store.ensureCapacity(3 * PaneStore.chunkSize)
        for s in stride(from: 0, to: store.capacity, by: 997) {
            let pane = store.table.pane(s).pointee
            #expect(pane.id == .min && pane.count == 0 && pane.sum == 0)
        }
    }
}
