import Alerting
import Testing

@Suite("Watermark")
struct WatermarkTests {
    @Test("Events behind the watermark are counted as late; others advance it")
    func lateness() {
        var w = Watermark(allowedLateness: 100)
        #expect(w.value == .min)
        // (event time, on time?) in arrival order.
        let arrivals: [(Int64, Bool)] = [(1000, true), (950, true), (900, true), (899, false), (1200, true), (1000, false)]
        for (time, onTime) in arrivals {
            let accepted = w.observe(time)
            #expect(accepted == onTime, "event at \(time)")
        }
        #expect(w.value == 1100)
        #expect(w.lateEvents == 2)
        #expect(w.maxEventTime == 1200)
    }
}
