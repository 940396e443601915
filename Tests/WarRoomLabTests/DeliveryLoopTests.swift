import Foundation
import Testing
import WarRoomCore
import WarRoomTestSupport
@testable import WarRoomLab
@testable import Alerting

/// The closed loop with delayed delivery: alerts come out when their data arrives, actions start
/// from then, and the shadow engine on instant delivery accounts for every difference.
@Suite("Closed loop with data delivery")
struct DeliveryLoopTests {
    /// The smoke world with `delivery` appended, and the preset rules.
    static func loop(_ delivery: String) throws -> ClosedLoop {
        let text = try String(contentsOfFile: Repository.smokeScenario, encoding: .utf8) + "\ndelivery:\n" + delivery + "\n"
        let scenario = try Scenario.decode(yaml: text, file: "smoke+delivery.yaml")
        let rules = try RuleSet.load(path: Repository.presets)
        let loop = ClosedLoop(scenario: scenario, seed: scenario.seed, ruleSet: rules, applyActions: true)
        while !loop.isFinished { try loop.step(observe: { _ in }, truth: { _ in }) }
        return loop
    }

    @Test("T+1 with whole batches: every alert comes out the next morning or later, its actions from then, and it is the instant run's alert")
    func tPlusOne() throws {
        let stage = try #require(try Self.loop("  all: { mode: daily, hour: 6 }\n  lateness: 0").alerting)
        #expect(stage.delivered && !stage.alerts.isEmpty)
        for a in stage.alerts where a.kind == .fired {
            // The data of a tick's day lands at 06:00 the next day at the earliest.
            #expect(a.emittedAt >= SimTime.start(ofDay: SimTime.dayIndex(a.time - 1) + 1) + 6 * SimTime.hour, "\(a)")
        }
        // An action starts no earlier than its alert came out.
        let emitted = Dictionary(uniqueKeysWithValues: stage.records.map { ($0.seq, $0.emittedTime ?? .max) })
        #expect(!stage.actions.isEmpty)
        #expect(stage.actions.allSatisfy { $0.start >= emitted[$0.alertSeq]! })
        // Batches land whole and in event order: no event is late, every firing is the instant one's.
        let comparison = stage.deliveryComparison
        #expect(comparison.allSatisfy { $0.lateEvents == 0 && $0.missed == 0 && $0.extra == 0 && $0.firings == $0.instantFirings })
        #expect(comparison.contains { $0.firings > 0 && ($0.medianDelay ?? 0) >= 6 * SimTime.hour })
    }

    @Test("Streaming with no lateness allowed: events come late, are counted per rule, and a rule that lost none fires as on instant delivery")
    func streamingLate() throws {
        // Competitor intelligence and the CRM instant: an event that arrives the instant it happens is
        // never behind the watermark, so the rules reading only them lose nothing.
        let stage = try #require(try Self.loop("""
              all: { mode: streaming, delay: { median: 10m, p99: 3h } }
              competitor: { mode: instant }
              crm: { mode: instant }
              lateness: 0
            """).alerting)
        let comparison = stage.deliveryComparison
        #expect(stage.lateEvents > 0)
        #expect(comparison.contains { $0.lateEvents > 0 })
        // A rule that lost no event fires exactly what it fires on instant delivery (its values at
        // every tick are of the same events); the rules that lost some account for every difference.
        for c in comparison where c.lateEvents == 0 {
            #expect(c.missed == 0 && c.extra == 0 && c.firings == c.instantFirings, "\(c)")
        }
        #expect(comparison.contains { $0.lateEvents == 0 && $0.firings > 0 })
        #expect(stage.alerts.allSatisfy { $0.emittedAt >= $0.time })
    }
}
