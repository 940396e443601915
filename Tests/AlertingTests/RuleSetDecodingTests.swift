import Alerting
import Foundation
import Testing
import WarRoomTestSupport
import WarRoomCore

@Suite("Rule files")
struct RuleSetDecodingTests {
    static let presets = Repository.presets

    @Test("The 27 presets load, cover the business case's rules, and each says what it answers")
    func presets() throws {
        let set = try RuleSet.load(path: Self.presets)
        #expect(set.rules.count == 27)
        #expect(Set(set.rules.map(\.id)).count == 27)
        for id in ["store-weekly-sales-yoy-drop", "region-churn-7d", "city-churn-7d", "competitor-signal-surge", "stockout-consumables",
                   "promotion-compliance-low", "lead-without-follow-up", "account-not-revisited-14d"] {
            #expect(set.rules.contains { $0.id == id }, "missing \(id)")
        }
        #expect(set.rules.allSatisfy { !$0.description.isEmpty })
        let industries = ["FMCG.", "PHARMA.", "CE."]
        for tag in industries { #expect(set.rules.contains { $0.description.hasPrefix(tag) }, "no \(tag) rule") }
        let yoy = try #require(set.rules.first { $0.id == "store-weekly-sales-yoy-drop" })
        #expect(yoy.comparison == .changeVersusLag(lag: 364 * SimTime.day, Condition(.below, -0.18)))
        let churn = try #require(set.rules.first { $0.id == "region-churn-7d" })
        #expect(churn.comparison == .threshold(Condition(.above, 0.052)))
        #expect(churn.tier == .regionalManager && churn.escalateAfter == 3 * SimTime.day)
    }

    func error(_ yaml: String) -> InputError? {
        do { _ = try RuleSet.decode(yaml: yaml, file: "r.yaml"); return nil } catch let e as InputError { return e } catch { return nil }
    }

    let valid = """
    rules:
      - id: a
        scope: store
        signal: { function: sum, field: amount, events: [sale], window: 24h }
        compare: { threshold: "> 10" }
        every: 1h
    """

    @Test("A valid rule decodes with its defaults")
    func decodes() throws {
        let set = try RuleSet.decode(yaml: valid, file: "r.yaml")
        let r = try #require(set.rules.first)
        #expect(r.every == SimTime.hour && r.holdFor == 0 && r.cooldown == 0 && r.tier == .rep && r.clear == nil)
        #expect(r.aggregates.first?.window == SimTime.day)
        #expect(set.allowedLateness == 0)
    }

    @Test("Malformed rules name the file, line, column and what was expected", arguments: [
        ("window: 24h", "window: 90m", 4, "rules[0].signal.window", "must be a multiple of every (1h)"),
        ("window: 24h", "window: soon", 4, "rules[0].signal.window", "expected a duration"),
        ("events: [sale]", "events: [sales]", 4, "rules[0].signal.events[0]", "expected one of sale, inventory"),
        ("scope: store", "scope: planet", 3, "rules[0].scope", "expected one of store, city, region, rep, customer, global"),
        ("\"> 10\"", "\"about 10\"", 5, "rules[0].compare.threshold", "expected a condition such as"),
        ("\"> 10\"", "\"> 0x10\"", 5, "rules[0].compare.threshold", "expected a condition such as"),
        ("\"> 10\"", "\"> inf\"", 5, "rules[0].compare.threshold", "expected a condition such as"),
        ("every: 1h", "every: 0", 6, "rules[0].every", "must be at least 1ms"),
        ("every: 1h", "every:", 6, "rules[0].every", "has no value: write one, or leave the field out for its default"),
        ("function: sum", "function: median", 4, "rules[0].signal.function", "expected one of count, sum, avg"),
        ("field: amount", "field: price", 4, "rules[0].signal.field", "expected one of amount"),
        ("compare: { threshold: \"> 10\" }", "compare: { zScore: 28d, condition: \"> 3\" }\n    tier: boss", 6, "rules[0].tier", "expected one of rep, regional-manager, hq"),
    ])
    func errors(original: String, replacement: String, line: Int, path: String, message: String) throws {
        #expect(valid.contains(original))
        let e = try #require(error(valid.replacingOccurrences(of: original, with: replacement)))
        #expect(e.location.file == "r.yaml")
        #expect(e.location.line == line, "\(e)")
        #expect(e.location.column > 0)
        #expect(e.path == path, "\(e)")
        #expect(e.message.contains(message), "\(e)")
    }

    @Test("Cross-field rules: baselines only for counts and sums, unique ids, bounded panes")
    func crossField() throws {
        let avg = try #require(error(valid.replacingOccurrences(of: "function: sum", with: "function: avg")
            .replacingOccurrences(of: "{ threshold: \"> 10\" }", with: "{ ratioToBaseline: 28d, condition: \"> 3\" }")))
        #expect(avg.message.contains("compares a count or a sum"))
        let twice = try #require(error(valid + "\n" + valid.split(separator: "\n").dropFirst().joined(separator: "\n")))
        #expect(twice.message == "rule id 'a' is used twice")
        let panes = try #require(error(valid.replacingOccurrences(of: "every: 1h", with: "every: 1m")
            .replacingOccurrences(of: "window: 24h", with: "window: 30d")))
        #expect(panes.message.contains("panes per key"))
        let unknown = try #require(error(valid.replacingOccurrences(of: "every: 1h", with: "every: 1h\n    cooldwn: 1h")))
        #expect(unknown.message.contains("did you mean 'cooldown'?"))
        let absenceCompare = try #require(error("""
        rules:
          - id: b
            scope: customer
            signal: { absence: { trigger: { events: [lead_scan] }, followUp: { events: [visit] }, within: 48h } }
            compare: { threshold: "> 1" }
            every: 1h
        """))
        #expect(absenceCompare.message == "an absence rule has no comparison")
    }
}
