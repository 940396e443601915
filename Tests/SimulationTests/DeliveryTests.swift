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

    /// Checks one day's hand-over: in arrival order with ties in the order given (events are
    /// given in time order, so by event time), every arrival in [`from`, `until`).
    static func checkHandOver(_ out: [DeliveredEvent], from: Millis, until: Millis) {
        #expect(zip(out, out.dropFirst()).allSatisfy { ($0.arrival, $0.event.time) <= ($1.arrival, $1.event.time) })
        #expect(out.allSatisfy { $0.arrival >= from && $0.arrival < until && $0.arrival >= $0.event.time })
    }

    @Test("Every ordering path (in order, two radix passes, three, comparison) hands over each event once, in arrival order, when it is due",
          arguments: [
              // Batches land in order: no sort.
              DeliveryModel(mode: .microBatch(every: SimTime.hour)),
              // Delays of seconds to minutes: arrivals within a day and a bit (two passes).
              DeliveryModel(mode: .streaming, delay: DelaySpec(median: 5 * SimTime.second, p99: SimTime.minute), duplicates: 0.02, reorder: 0.05),
              // Delays of days: the carry and the day span more than 3.1 days (three passes).
              DeliveryModel(mode: .streaming, delay: DelaySpec(median: 2 * SimTime.day, p99: 12 * SimTime.day)),
              // T+1 with hold-backs and outages: two-day late copies.
              DeliveryModel(mode: .daily(hour: 6), delay: DelaySpec(median: SimTime.hour, p99: 6 * SimTime.hour), outagesPerWeek: 3,
                            outageDuration: 4 * SimTime.hour, duplicates: 0.03, reorder: 0.2),
          ])
    func orderingPaths(model: DeliveryModel) {
        let days = 12
        let xs = Self.events(60_000, days: days)
        var spec = DeliverySpec()
        spec[.pos] = model
        var delivery = Delivery(spec: spec, seed: 11, days: days)
        var seen: [Event] = []
        var i = 0
        for day in 0..<days {
            var j = i
            while j < xs.count && SimTime.dayIndex(xs[j].time) <= day { j += 1 }
            let out = delivery.deliver(Array(xs[i..<j]), day: day, until: SimTime.start(ofDay: day + 1))
            Self.checkHandOver(out, from: day == 0 ? .min : SimTime.start(ofDay: day), until: SimTime.start(ofDay: day + 1))
            #expect(delivery.deliverBatch([], day: day, until: SimTime.start(ofDay: day + 1)).count == 0, "nothing due twice")
            seen += out.map(\.event)
            i = j
        }
        let tail = delivery.deliver([], day: days, until: .max)
        Self.checkHandOver(tail, from: SimTime.start(ofDay: days), until: .max)
        seen += tail.map(\.event)
        #expect(delivery.undelivered == 0)
        // Each event once, plus its copy when it was sent twice.
        #expect(seen.count == xs.count + delivery.duplicated)
        #expect(Set(seen) == Set(xs))
    }

    @Test("Arrivals 60 days apart (too wide for the packed keys) are ordered by comparison, the same way")
    func wideSpan() {
        let model = DeliveryModel(mode: .streaming, delay: DelaySpec(median: SimTime.minute, p99: SimTime.hour))
        var spec = DeliverySpec()
        spec[.pos] = model
        var delivery = Delivery(spec: spec, seed: 3, days: 61)
        let early = Self.events(2_000, days: 1), late = Self.events(2_000, days: 1).map { e -> Event in
            var e = e
            e.time += 60 * SimTime.day
            return e
        }
        // Nothing of day 0 is due yet; then day 60 comes with it waiting: a span of 60 days.
        #expect(delivery.deliver(early, day: 0, until: 0).isEmpty)
        let out = delivery.deliver(late, day: 60, until: .max)
        Self.checkHandOver(out, from: 0, until: .max)
        #expect(out.count == 4_000)
        #expect(out.prefix(2_000).allSatisfy { $0.event.time < SimTime.day })
    }
}

