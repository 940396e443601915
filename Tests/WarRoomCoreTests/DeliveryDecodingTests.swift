import Testing
import WarRoomCore

/// The `delivery:` section: defaults, `all` then per-source replacement, lateness, and every
/// bad value located at its line and field.
@Suite("Scenario delivery section")
struct DeliveryDecodingTests {
    /// The base test scenario with `delivery` appended (its first line is line `firstLine`).
    static func decode(_ delivery: String) throws -> Scenario {
        try Scenario.decode(yaml: baseScenario + "\ndelivery:\n" + delivery + "\n", file: "test.yaml")
    }

    static var firstLine: Int { baseScenario.split(separator: "\n", omittingEmptySubsequences: false).count + 2 }

    static func error(_ delivery: String) -> InputError? {
        do { _ = try decode(delivery); return nil } catch let e as InputError { return e } catch { return nil }
    }

    @Test("Without a delivery section every source is instant; all sets every source, a named source replaces it")
    func defaults() throws {
        #expect(try Scenario.decode(yaml: baseScenario, file: "test.yaml").delivery.isInstant)
        let s = try Self.decode("""
              all: { mode: microBatch, every: 15m, delay: { median: 1m, p99: 5m } }
              pos: { mode: streaming, delay: { median: 2s, p99: 30s } }
              competitor: { mode: daily, outages: { perWeek: 2, duration: 4h }, duplicates: 0.01, reorder: 0.1 }
              lateness: 20m
            """)
        #expect(s.delivery[.crm] == DeliveryModel(mode: .microBatch(every: 15 * SimTime.minute), delay: DelaySpec(median: SimTime.minute, p99: 5 * SimTime.minute)))
        #expect(s.delivery[.pos].mode == .streaming && s.delivery[.pos].delay == DelaySpec(median: 2 * SimTime.second, p99: 30 * SimTime.second))
        #expect(s.delivery[.competitor] == DeliveryModel(mode: .daily(hour: 6), outagesPerWeek: 2, outageDuration: 4 * SimTime.hour, duplicates: 0.01, reorder: 0.1))
        #expect(s.delivery.lateness == 20 * SimTime.minute)
        #expect(!s.delivery.isInstant)
    }

    @Test("Every bad delivery value names its line and field", arguments: [
        ("  pos: { mode: streaming }", "delivery.pos.delay", "missing required field"),
        ("  pos: { mode: batch }", "delivery.pos.mode", "expected one of"),
        ("  pos: { mode: microBatch, every: 2d }", "delivery.pos.every", "must be at most 1d"),
        ("  pos: { mode: microBatch }", "delivery.pos.every", "missing required field"),
        ("  pos: { mode: instant, delay: { median: 1s, p99: 2s } }", "delivery.pos.delay", "is not used with mode instant"),
        ("  pos: { mode: streaming, hour: 3, delay: { median: 1s, p99: 2s } }", "delivery.pos.hour", "is not used with mode streaming"),
        ("  pos: { mode: streaming, delay: { median: 1m, p99: 10s } }", "delivery.pos.delay.p99", "must be at least the median"),
        ("  pos: { mode: daily, hour: 24 }", "delivery.pos.hour", "must be ≥ 0 and ≤ 23"),
        ("  pos: { mode: daily, duplicates: 0.9 }", "delivery.pos.duplicates", "must be ≥ 0.0 and ≤ 0.5, got 0.9"),
        ("  pos: { mode: daily, outages: { perWeek: 1, duration: 30s } }", "delivery.pos.outages.duration", "must be at least 1m"),
        ("  pso: { mode: daily }", "delivery.pso", "did you mean 'pos'?"),
        ("  lateness: 8d", "delivery.lateness", "must be at most 7d"),
    ])
    func badValues(line: String, path: String, message: String) {
        let e = Self.error(line)
        #expect(e?.path == path, "\(String(describing: e))")
        #expect(e?.message.contains(message) == true, "\(String(describing: e))")
        #expect(e?.location.line == Self.firstLine, "\(String(describing: e))")
    }
}
