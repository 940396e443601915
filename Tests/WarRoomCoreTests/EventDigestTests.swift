import Testing
import WarRoomCore

@Suite("Event digest")
struct EventDigestTests {
    let a = Event(time: 1, kind: .sale, store: 1, customer: 5, sku: 3, quantity: 2, amount: 1000)
    let b = Event(time: 2, kind: .visit, store: 1, customer: 5, rep: 2, attr: 77)

    @Test("The digest depends on every field and on order")
    func sensitivity() {
        func digest(_ events: [Event]) -> String {
            var d = EventDigest()
            for e in events { d.add(e) }
            return d.hex
        }
        #expect(digest([a, b]) == digest([a, b]))
        #expect(digest([a, b]) != digest([b, a]))
        #expect(digest([a]) != digest([a, a]))
        var changed = a
        changed.amount += 1
        #expect(digest([a]) != digest([changed]))
        changed = a
        changed.region = 1
        #expect(digest([a]) != digest([changed]))
        changed = a
        changed.kind = .call
        #expect(digest([a]) != digest([changed]))
        #expect(digest([]).count == 32)
    }

    @Test("Visit evidence and call outcomes survive packing")
    func packing() {
        let v = VisitEvidence(dwellMinutes: 37, photo: true, locationVerified: false, voiceNote: true)
        #expect(VisitEvidence(packed: v.packed) == v)
        let c = CallOutcome(objection: 1, responseTenths: 32, concreteROI: true, positive: false)
        #expect(CallOutcome(packed: c.packed) == c)
    }
}
