@testable import Alerting
import Simulation
import Testing
import WarRoomCore

/// The engine on streams disordered by random delivery models (streaming delays, batches, T+1,
/// outages, duplicates, hold-backs): it must fire exactly what the brute-force reference fires
/// on the events that arrived before the watermark passed them, and count the same late events,
/// per rule too.
@Suite("Alert engine on delivered streams against the brute-force reference")
struct DeliveryPropertyTests {
    /// A random delivery model for one source.
    static func model(_ rng: inout RandomStream) -> DeliveryModel {
        var m = DeliveryModel()
        switch rng.below(4) {
        case 0: return .instant
        case 1:
            m.mode = .streaming
            let median = Millis(1 + rng.below(20)) * SimTime.minute
            m.delay = DelaySpec(median: median, p99: median * Millis(1 + rng.below(6)))
        case 2:
            m.mode = .microBatch(every: Millis([5, 15, 60][rng.below(3)]) * SimTime.minute)
            if rng.below(2) == 0 { m.delay = DelaySpec(median: SimTime.minute, p99: 10 * SimTime.minute) }
        default:
            m.mode = .daily(hour: rng.below(24))
        }
        if rng.below(3) == 0 {
            m.outagesPerWeek = Double(1 + rng.below(20))
            m.outageDuration = Millis(1 + rng.below(6)) * SimTime.hour
        }
        if rng.below(3) == 0 { m.duplicates = 0.1 * rng.uniform() }
        if rng.below(3) == 0 { m.reorder = 0.2 * rng.uniform() }
        return m
    }

    /// A world's events (in time order) delivered day by day, as the closed loop does, then
    /// whatever is still on its way: the engine's input in arrival order.
    static func delivered(_ events: [Event], spec: DeliverySpec, seed: UInt64) -> [Event] {
        let days = (events.last.map { SimTime.dayIndex($0.time) } ?? 0) + 1
        var delivery = Delivery(spec: spec, seed: seed, days: days)
        var out: [Event] = []
        var i = 0
        for day in 0..<days {
            var today: [Event] = []
            while i < events.count && SimTime.dayIndex(events[i].time) == day { today.append(events[i]); i += 1 }
            let arrived = delivery.deliver(today, day: day, until: SimTime.start(ofDay: day + 1))
            #expect(zip(arrived, arrived.dropFirst()).allSatisfy { $0.arrival <= $1.arrival })
            #expect(arrived.allSatisfy { $0.arrival >= $0.event.time })
            out += arrived.map(\.event)
        }
        out += delivery.deliver([], day: days, until: .max).map(\.event)
        #expect(delivery.undelivered == 0)
        #expect(out.count == events.count + delivery.duplicated)
        return out
    }

    @Test("Random rules on randomly delivered streams fire what the reference fires on what arrived in time", arguments: Array(1...200))
    func agreesWithBruteForce(seed: Int) {
        var rng = RandomStream(seed: UInt64(seed), stream: .synthetic, entity: 4242)
        let hours = 48 + rng.below(72)
        var world = EnginePropertyTests.stream(&rng, hours: hours, lateness: 0)
        world.sort { $0.time < $1.time }  // the world happens in order; delivery disorders it
        var spec = DeliverySpec()
        for source in DataSource.allCases { spec[source] = Self.model(&rng) }
        let events = Self.delivered(world, spec: spec, seed: UInt64(seed))
        let rules = (0..<(1 + rng.below(4))).map { EnginePropertyTests.rule(&rng, id: $0) }
        let lateness = [0, 30 * SimTime.minute, 2 * SimTime.hour, SimTime.day][rng.below(4)]
        let ruleSet = RuleSet(rules: rules, allowedLateness: lateness)
        let end = Millis(hours) * SimTime.hour
        EnginePropertyTests().compare(events, ruleSet, end: end, tickWork: [.inline, .perEvent(2), .deferred][seed % 3], layout: seed % 3, seed: seed)

        let engine = AlertEngine(ruleSet: ruleSet)
        engine.process(events)
        #expect(engine.lateEventsByRule == BruteForceEvaluator.lateByRule(ruleSet, events: events))
    }

    @Test("Delivery really disorders: over the random cases, events come late and rules lose some (the test is not vacuous)")
    func disorderHappens() {
        var late = 0, lateRules = 0
        for seed in 1...40 {
            var rng = RandomStream(seed: UInt64(seed), stream: .synthetic, entity: 4242)
            let hours = 48 + rng.below(72)
            var world = EnginePropertyTests.stream(&rng, hours: hours, lateness: 0)
            world.sort { $0.time < $1.time }
            var spec = DeliverySpec()
            for source in DataSource.allCases { spec[source] = Self.model(&rng) }
            let events = Self.delivered(world, spec: spec, seed: UInt64(seed))
            let rules = (0..<(1 + rng.below(4))).map { EnginePropertyTests.rule(&rng, id: $0) }
            let engine = AlertEngine(ruleSet: RuleSet(rules: rules, allowedLateness: 30 * SimTime.minute))
            engine.process(events)
            late += engine.lateEvents
            lateRules += engine.lateEventsByRule.filter { $0 > 0 }.count
        }
        #expect(late > 1000)
        #expect(lateRules > 20)
    }
}
