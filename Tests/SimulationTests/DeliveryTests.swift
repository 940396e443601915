import Simulation
import Testing
import WarRoomCore

/// Each delivery model against what it promises: instant is the identity, streaming delays have
/// the stated median and p99, a batch arrives whole at its close plus one delay, T+1 arrives the
/// next day at the stated hour, duplicates and hold-backs at their rates, outages defer.
@Suite("Delivery models")
struct DeliveryTests {
    /// `n` sale events of store 0 spread evenly over `days` days, in time order.
    static func events(_ n: Int, days: Int, kind: EventKind = .sale) -> [Event] {
        (0..<n).map { i in Event(time: Millis(i) * (Millis(days) * SimTime.day) / Millis(n), kind: kind, store: 0, quantity: Int32(i % 1000)) }
    }

    static func deliverAll(_ events: [Event], _ model: DeliveryModel, source: DataSource = .pos, seed: UInt64 = 7) -> (arrived: [DeliveredEvent], delivery: Delivery) {
        var spec = DeliverySpec()
        spec[source] = model
        let days = SimTime.dayIndex(events.last!.time) + 1
        var delivery = Delivery(spec: spec, seed: seed, days: days)
        let out = delivery.deliverAll(events, days: days)
        return (out, delivery)
    }

    @Test("Instant delivery is the identity: same events, same order, arrival = event time")
    func instant() {
        let xs = Self.events(10_000, days: 3)
        let (arrived, _) = Self.deliverAll(xs, .instant)
        #expect(arrived.map(\.event) == xs)
        #expect(arrived.allSatisfy { $0.arrival == $0.event.time })
    }

    @Test("Streaming delays have the stated median and p99 (lognormal)")
    func streaming() {
        let xs = Self.events(200_000, days: 10)
        let model = DeliveryModel(mode: .streaming, delay: DelaySpec(median: 30 * SimTime.second, p99: 5 * SimTime.minute))
        let (arrived, _) = Self.deliverAll(xs, model)
        let delays = arrived.map { Double($0.arrival - $0.event.time) }.sorted()
        let median = delays[delays.count / 2], p99 = delays[delays.count * 99 / 100]
        #expect(abs(median / 30_000 - 1) < 0.02, "median \(median)")
        #expect(abs(p99 / 300_000 - 1) < 0.05, "p99 \(p99)")
        // Delays disorder the stream: arrival order is not event order.
        #expect(arrived.map(\.event) != xs)
        #expect(arrived.count == xs.count)
    }

    @Test("A micro-batch arrives whole at its close plus one delay drawn for the batch")
    func microBatch() {
        let xs = Self.events(50_000, days: 2)
        let every = 15 * SimTime.minute
        let model = DeliveryModel(mode: .microBatch(every: every), delay: DelaySpec(median: SimTime.minute, p99: 10 * SimTime.minute))
        let (arrived, _) = Self.deliverAll(xs, model)
        var arrivalOfBatch: [Int64: Millis] = [:]
        for d in arrived {
            let batch = d.event.time / every
            #expect(d.arrival >= (batch + 1) * every)
            if let a = arrivalOfBatch[batch] { #expect(a == d.arrival) } else { arrivalOfBatch[batch] = d.arrival }
        }
        // Within a batch, events keep their order.
        #expect(arrived.map(\.event).sorted { $0.time < $1.time } == xs)
        #expect(Set(arrivalOfBatch.values).count > 100)
    }

    @Test("T+1: a day's events arrive the next day, at or after the stated hour")
    func daily() {
        let xs = Self.events(20_000, days: 4)
        let (arrived, _) = Self.deliverAll(xs, DeliveryModel(mode: .daily(hour: 6), delay: DelaySpec(median: 10 * SimTime.minute, p99: SimTime.hour)))
        for d in arrived {
            let next = SimTime.start(ofDay: SimTime.dayIndex(d.event.time) + 1)
            #expect(d.arrival >= next + 6 * SimTime.hour && d.arrival < next + 30 * SimTime.hour)
        }
    }

    @Test("Duplicates and hold-backs come at their rates; outages defer arrivals to their end")
    func faults() {
        let xs = Self.events(100_000, days: 20, kind: .competitorSignal)
        let model = DeliveryModel(mode: .streaming, delay: DelaySpec(median: SimTime.minute, p99: 10 * SimTime.minute),
                                  outagesPerWeek: 7, outageDuration: 2 * SimTime.hour, duplicates: 0.05, reorder: 0.1)
        let (arrived, delivery) = Self.deliverAll(xs, model, source: .competitor)
        // Binomial bounds at about 5 standard deviations.
        #expect(abs(delivery.duplicated - 5_000) < 350)
        #expect(abs(delivery.heldBack - 10_000) < 500)
        #expect(arrived.count == xs.count + delivery.duplicated)
        // About one outage a day of 2 hours: about a twelfth of arrivals fall in one.
        let share = Double(delivery.deferredByOutage) / Double(arrived.count)
        #expect(share > 0.04 && share < 0.14, "share \(share)")
        // A deferred arrival lands on an outage's end, shared by every event it held.
        var counts: [Millis: Int] = [:]
        for d in arrived { counts[d.arrival, default: 0] += 1 }
        #expect(counts.values.filter { $0 > 50 }.count >= 10)
    }

    @Test("Same seed, same arrivals; another seed, other arrivals; other sources untouched")
    func determinism() {
        var xs = Self.events(5_000, days: 2)
        xs += Self.events(5_000, days: 2, kind: .call)
        xs.sort { $0.time < $1.time }
        let model = DeliveryModel(mode: .streaming, delay: DelaySpec(median: SimTime.minute, p99: SimTime.hour))
        let a = Self.deliverAll(xs, model).arrived, b = Self.deliverAll(xs, model).arrived, c = Self.deliverAll(xs, model, seed: 8).arrived
        #expect(a == b)
        #expect(a != c)
        #expect(a.filter { $0.event.kind == .call }.allSatisfy { $0.arrival == $0.event.time })
    }
}
