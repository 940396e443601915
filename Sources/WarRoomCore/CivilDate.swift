/// A calendar date (proleptic Gregorian), with the arithmetic the simulator needs and nothing
/// that depends on the machine's time zone or locale.
public struct CivilDate: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// Year, e.g. 2026.
    public var year: Int
    /// Month, 1–12.
    public var month: Int
    /// Day of month, 1–31.
    public var day: Int

    /// Parses `YYYY-MM-DD`; nil when malformed or not a real date.
    public init?(iso text: String) { self.init(iso: Substring(text)) }

    /// Parses `YYYY-MM-DD` from part of a string (a data file's field); nil when malformed or not a real date.
    public init?(iso text: Substring) {
        // Byte by byte, without arrays: a data file has millions of these.
        guard text.utf8.count == 10 else { return nil }
        var y = 0, m = 0, d = 0, i = 0
        for c in text.utf8 {
            if i == 4 || i == 7 {
                guard c == UInt8(ascii: "-") else { return nil }
            } else {
                guard c >= 48 && c <= 57 else { return nil }
                let digit = Int(c - 48)
                if i < 4 { y = y * 10 + digit } else if i < 7 { m = m * 10 + digit } else { d = d * 10 + digit }
            }
            i += 1
        }
        guard (1900...2200).contains(y), (1...12).contains(m), d >= 1, d <= CivilDate.daysIn(month: m, year: y) else { return nil }
        year = y; month = m; day = d
    }

    /// The date `n` days after 1970-01-01.
    public init(daysSinceEpoch n: Int) {
        // Howard Hinnant's civil_from_days.
        let z = n + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01 (Hinnant's days_from_civil).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Day of week, 0 = Monday … 6 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (3).
        let w = (daysSinceEpoch + 3) % 7
        return w < 0 ? w + 7 : w
    }

    /// Day of the year, 1–366.
    public var dayOfYear: Int {
        daysSinceEpoch - CivilDate(year: year, month: 1, day: 1).daysSinceEpoch + 1
    }

    /// The date `n` days later (earlier when negative).
    public func adding(days n: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + n) }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Orders dates in time.
    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }

    static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
