import Foundation
import Testing
import WarRoomTestSupport
import WarRoomCore

@Suite("Scenario variants")
struct VariantTests {
    static let smoke = URL(fileURLWithPath: Repository.smokeScenario)

    func decode(_ variants: String) throws -> Scenario {
        let text = try String(contentsOf: Self.smoke, encoding: .utf8) + "variants:\n" + variants
        return try Scenario.decode(yaml: text, file: "v.yaml")
    }

    func message(_ variants: String) -> String {
        do { _ = try decode(variants); return "no error" } catch { return "\(error)" }
    }

    /// Line of the first variant entry in the test documents (the smoke file's length + 2).
    var firstLine: Int { (try? String(contentsOf: Self.smoke, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).count) ?? 0 }

    @Test("Overrides land at their field paths; the base scenario is untouched")
    func overrides() throws {
        let s = try decode("""
              - name: baseline
              - name: harder
                description: twice as hard
                set:
                  "competitors.shocks[0].churnMultiplier": 6
                  demand.linesPerStoreDay: 90
              - name: quiet
                playbook: off

            """)
        #expect(s.variants.map(\.name) == ["baseline", "harder", "quiet"])
        #expect(s.variants[0].scenario == { var b = s; b.variants = []; return b }())
        #expect(s.variants[1].scenario.competitors.shocks[0].churnMultiplier == 6 && s.competitors.shocks[0].churnMultiplier == 3)
        #expect(s.variants[1].scenario.demand.linesPerStoreDay == 90)
        #expect(s.variants[1].overrides == ["competitors.shocks[0].churnMultiplier = 6", "demand.linesPerStoreDay = 90"])
        #expect(!s.variants[2].applyActions && s.variants[1].applyActions)
    }

    @Test("A bad override gets the scenario's own check, at the override's line, naming the variant")
    func errors() {
        let l = firstLine + 1
        #expect(message("  - name: a\n    set:\n      demand.linesPerStoreDay: -5\n")
                == "v.yaml:\(l + 2):32: demand.linesPerStoreDay: in variant 'a': must be ≥ 0.0 and ≤ 100000.0, got -5")
        #expect(message("  - name: a\n    set:\n      \"competitors.shocks[3].reach\": 0.5\n")
                == "v.yaml:\(l + 2):38: variants[0].set.competitors.shocks[3].reach: index 3 is past the end of a list of 1")
        #expect(message("  - name: a\n    set:\n      demand.colour: 5\n").hasPrefix("v.yaml:\(l + 2):22: demand.colour: in variant 'a': unknown field"))
        #expect(message("  - name: a\n  - name: a\n") == "v.yaml:\(l + 1):11: variants[1].name: duplicate variant name 'a'")
        #expect(message("  - name: a\n    set:\n      nosuch.field: 1\n") == "v.yaml:\(l + 2):21: variants[0].set.nosuch.field: the scenario has no field 'nosuch' there")
    }
}
