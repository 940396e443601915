import Testing
import WarRoomCore

@Suite("Calendar dates")
struct CivilDateTests {
    @Test("Known weekdays and days of the year")
    func knownDates() throws {
        let monday = try #require(CivilDate(iso: "2026-01-05"))
        #expect(monday.weekday == 0)
        #expect(monday.dayOfYear == 5)
        #expect(try #require(CivilDate(iso: "1970-01-01")).daysSinceEpoch == 0)
        #expect(try #require(CivilDate(iso: "2000-02-29")).weekday == 1)   // a Tuesday
        #expect(try #require(CivilDate(iso: "2024-12-31")).dayOfYear == 366)
    }

    @Test("Days since the epoch round-trip over four centuries")
    func roundTrip() {
        for n in stride(from: -30_000, through: 120_000, by: 37) {
            #expect(CivilDate(daysSinceEpoch: n).daysSinceEpoch == n)
        }
        #expect(CivilDate(iso: "2026-01-05")!.adding(days: -371).description == "2024-12-30")
    }

    @Test("Malformed or impossible dates are refused", arguments: ["2026-02-29", "2026-13-01", "2026-1-5", "20260105", "", "2026-04-31", "abcd-ef-gh"])
    func invalid(text: String) {
        #expect(CivilDate(iso: text) == nil)
    }
}
