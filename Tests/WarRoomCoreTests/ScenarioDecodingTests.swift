import Foundation
import Testing
import WarRoomTestSupport
import WarRoomCore

/// A small valid scenario; tests change one line at a time and check the error it causes.
let baseScenario = """
name: test-world
seed: 3
calendar:
  start: 2026-03-02
  historyDays: 14
  liveDays: 7
world:
  regions:
    - name: North
      cities:
        - { name: Alpha, stores: 3 }
        - { name: Beta, stores: 2 }
  categories:
    - { name: basics, price: 20, share: 0.7 }
    - { name: devices, price: 300, share: 0.3 }
demand:
  linesPerStoreDay: 60
  promotions:
    - { name: p1, category: basics, scope: Alpha, startDay: 2, days: 3, discount: 0.1 }
customers:
  perStore: 10
  ordersPerWeek: 1.5
  churn: { weeklyRate: 0.05 }
  acquisition: { leadsPerStoreWeek: 3, conversion: 0.5 }
reps:
  storesPerRep: 3
  visitsPerDay: 4
competitors:
  shocks:
    - { name: s1, kind: productLaunch, city: Beta, startDay: 3, durationDays: 10, reach: 0.5, churnMultiplier: 3 }

"""

/// The base scenario with line `n` (1-based) replaced.
func replacingLine(_ n: Int, with text: String) -> String {
    var lines = baseScenario.components(separatedBy: "\n")
    lines[n - 1] = text
    return lines.joined(separator: "\n")
}

func decodeError(_ yaml: String) -> InputError? {
    do {
        _ = try Scenario.decode(yaml: yaml, file: "test.yaml")
        return nil
    } catch let error as InputError {
        return error
    } catch {
        return nil
    }
}

@Suite("Scenario decoding and validation")
struct ScenarioDecodingTests {
    @Test("The base scenario and every shipped scenario decode")
    func valid() throws {
        let s = try Scenario.decode(yaml: baseScenario, file: "test.yaml")
        #expect(s.name == "test-world")
        #expect(s.world.cities.map(\.stores) == [3, 2])
        #expect(s.demand.promotions[0].scope == .city(0))
        #expect(s.competitors.shocks[0].city == 1)
        let folder = Repository.root.appendingPathComponent("scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 2)
        for f in files { _ = try Scenario.load(path: folder.appendingPathComponent(f).path) }
    }

    @Test("A value out of range names file, line, column, field path and the bound")
    func outOfRange() throws {
        let e = try #require(decodeError(replacingLine(11, with: "        - { name: Alpha, stores: -3 }")))
        #expect(e.location == SourceLocation(file: "test.yaml", line: 11, column: 34))
        #expect(e.path == "world.regions[0].cities[0].stores")
        #expect(e.message == "must be ≥ 1 and ≤ 100000, got -3")
        #expect(e.description == "test.yaml:11:34: world.regions[0].cities[0].stores: must be ≥ 1 and ≤ 100000, got -3")
    }

    @Test("A missing required field is named at its parent")
    func missing() throws {
        let e = try #require(decodeError(replacingLine(17, with: "  storeSizeSpread: 0.1")))
        #expect(e.path == "demand.linesPerStoreDay")
        #expect(e.message == "missing required field")
        #expect(e.location.line == 17)
    }

    @Test("An unknown field is refused with a suggestion")
    func unknownField() throws {
        let e = try #require(decodeError(replacingLine(17, with: "  linesPerStorDay: 60")))
        #expect(e.path == "demand.linesPerStorDay")
        #expect(e.message.contains("did you mean 'linesPerStoreDay'?"))
        #expect(e.location.line == 17 && e.location.column == 3)
    }

    @Test("A wrong type says what was expected")
    func wrongType() throws {
        let e = try #require(decodeError(replacingLine(17, with: "  linesPerStoreDay: lots")))
        #expect(e.path == "demand.linesPerStoreDay")
        #expect(e.message == "expected a finite number, got 'lots'")
        let list = try #require(decodeError(replacingLine(17, with: "  linesPerStoreDay: [1, 2]")))
        #expect(list.message == "expected a number, got a list")
    }

    @Test("A bad date, an unknown reference and a duplicate name are refused")
    func references() throws {
        let date = try #require(decodeError(replacingLine(4, with: "  start: 2026-02-30")))
        #expect(date.path == "calendar.start")
        #expect(date.message.contains("YYYY-MM-DD"))
        let city = try #require(decodeError(replacingLine(30, with:
            "    - { name: s1, kind: productLaunch, city: Gamma, startDay: 3, durationDays: 10 }")))
        #expect(city.path == "competitors.shocks[0].city")
        #expect(city.message.contains("unknown city 'Gamma'"))
        #expect(city.location.line == 30)
        let category = try #require(decodeError(replacingLine(19, with:
            "    - { name: p1, category: toys, startDay: 2, days: 3, discount: 0.1 }")))
        #expect(category.path == "demand.promotions[0].category")
        let twice = try #require(decodeError(replacingLine(12, with: "        - { name: Alpha, stores: 2 }")))
        #expect(twice.path == "world.regions[0].cities[1].name")
        #expect(twice.message == "city 'Alpha' is named twice")
        let kind = try #require(decodeError(replacingLine(30, with:
            "    - { name: s1, kind: flood, city: Beta, startDay: 3, durationDays: 10 }")))
        #expect(kind.message == "expected one of productLaunch, priceWar, got 'flood'")
        let late = try #require(decodeError(replacingLine(30, with:
            "    - { name: s1, kind: priceWar, city: Beta, startDay: 7, durationDays: 10 }")))
        #expect(late.path == "competitors.shocks[0].startDay")
    }

    @Test("Cross-field rules: shares add up to 1, profiles have the right length")
    func crossField() throws {
        let shares = try #require(decodeError(replacingLine(15, with: "    - { name: devices, price: 300, share: 0.2 }")))
        #expect(shares.path == "world.categories")
        #expect(shares.message.contains("add up to 1"))
        let hours = try #require(decodeError(replacingLine(17, with: "  linesPerStoreDay: 60\n  hourOfDay: [1, 2, 3]")))
        #expect(hours.path == "demand.hourOfDay")
        #expect(hours.message == "needs at least 24 items, got 3")
        let name = try #require(decodeError(replacingLine(1, with: "name: ../../etc")))
        #expect(name.path == "name")
    }

    @Test("YAML syntax errors carry the parser's position")
    func syntax() throws {
        let e = try #require(decodeError(replacingLine(17, with: "  linesPerStoreDay: [60")))
        #expect(e.message.hasPrefix("YAML syntax error"))
        #expect(e.location.line >= 17)
        let duplicate = try #require(decodeError(replacingLine(2, with: "seed: 3\nseed: 4")))
        #expect(duplicate.message == "duplicate key 'seed'")
        #expect([2, 3].contains(duplicate.location.line))
        let empty = try #require(decodeError(""))
        #expect(empty.message == "the document is empty")
        let notMapping = try #require(decodeError("- just\n- a list\n"))
        #expect(notMapping.message.hasPrefix("expected a mapping"))
    }

    @Test("Products of sizes are checked before anything is allocated")
    func sizeLimits() throws {
        let stores = try #require(decodeError(replacingLine(11, with: "        - { name: Alpha, stores: 100000 }")))
        #expect(stores.message.contains("at most 100000 are supported"))
        let many = replacingLine(11, with: "        - { name: Alpha, stores: 60000 }").replacingOccurrences(of: "perStore: 10", with: "perStore: 100")
        let customers = try #require(decodeError(many))
        #expect(customers.path == "customers.perStore")
        #expect(customers.message.contains("exceeds the limit"))
        let busy = try #require(decodeError(replacingLine(17, with: "  linesPerStoreDay: 100000\n  storeSizeSpread: 2")))
        #expect(busy.message.contains("GiB"))
    }

    @Test("Alias bombs and deep nesting are refused")
    func hostileYAML() throws {
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...7 { bomb += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        bomb += "name: *a7\n"
        let e = try #require(decodeError(bomb))
        #expect(e.message.contains("alias bomb") || e.message.contains("expected"))
        // A decoder that walks the aliases must stop: walk the whole tree explicitly.
        let root = try YAMLValue.parse(bomb, file: "bomb.yaml")
        func walk(_ v: YAMLValue) throws {
            if v.isSequence { for item in try v.sequence(maxCount: 1_000_000) { try walk(item) } }
            if v.isMapping { for (_, item) in try v.mapping() { try walk(item) } }
        }
        #expect(throws: InputError.self) { try walk(root) }
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let deepRoot = try YAMLValue.parse("name: " + deep, file: "deep.yaml")
        #expect(throws: InputError.self) { try walk(deepRoot) }
    }
}
