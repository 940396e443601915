@testable import Alerting
import Testing
import WarRoomCore

@Suite("The window state's floor")
struct WindowStateFloorTests {
    /// `count` store rules of distinct windows (100 h, 101 h, …) every hour.
    func rules(_ count: Int, lateness: String = "0s") throws -> RuleSet {
        var text = "lateness: \(lateness)\nrules:\n"
        for i in 0..<count {
            text += """
              - id: r\(i)
                scope: store
                signal: { function: sum, field: amount, events: [sale], window: \(100 + i)h }
                compare: { threshold: "> 1000000" }
                every: 1h
                tier: rep

            """
        }
        return try RuleSet.decode(yaml: text, file: "r.yaml")
    }

    @Test("One rule: each key's ring of the next power of two above window, lateness, 3 and the headroom, in full")
    func closedForm() throws {
        // 100 panes of window, no lateness, 3 spare, headroom min(12 h, max(8, 100)) = 12: 115 → a ring of 128.
        let engine = AlertEngine(ruleSet: try rules(1))
        let floor = engine.windowStateFloor { $0 == .store ? 237 : 0 }
        #expect(floor.count == 1 && floor[0].rule == "r0")
        #expect(floor[0].bytes == Double(237 * 128 * MemoryLayout<Pane>.stride))
    }

    @Test("Beyond the ring budget, each further key counts one block of 8 panes")
    func beyondTheBudget() throws {
        let budget = 64 * 128 * MemoryLayout<Pane>.stride  // rings for 64 keys
        let engine = AlertEngine(ruleSet: try rules(2), ringBudget: budget)
        let floor = engine.windowStateFloor { _ in 100 }
        #expect(floor[0].bytes == Double((64 * 128 + 36 * 8) * MemoryLayout<Pane>.stride))
        // The second rule's window of 101 h still takes a ring of 128 panes.
        #expect(floor[1].bytes == floor[0].bytes)
        // Variants of one signal share one state, so they add nothing.
        let shared = try RuleSet.decode(yaml: """
            rules:
              - { id: a, scope: store, signal: { function: sum, field: amount, events: [sale], window: 100h }, compare: { threshold: "> 1" }, every: 1h, tier: rep }
              - { id: b, scope: store, signal: { function: sum, field: amount, events: [sale], window: 100h }, compare: { threshold: "> 2" }, every: 1h, tier: rep }
            """, file: "s.yaml")
        #expect(AlertEngine(ruleSet: shared).windowStateFloor { _ in 100 }.map(\.rule) == ["a"])
    }
}
