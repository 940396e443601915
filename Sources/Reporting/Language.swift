import Foundation
import WarRoomCore

/// The language of reports, summaries and chart labels: English or Simplified Chinese.
///
/// The builders of a report say every phrase in English through `L(_:_:)`; the phrase is looked
/// up in the catalog of the language the report is being built in (`Language.$current`), so the
/// same builder code writes both languages.
public enum Language: String, Sendable, CaseIterable {
    /// English.
    case en
    /// Simplified Chinese.
    case zh

    /// The language a report is being built in, bound around a report's construction with
    /// `Language.$current.withValue(.zh) { … }` (English when nothing is bound).
    @TaskLocal public static var current: Language = .en

    /// The language of the environment's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, first set
    /// wins, as POSIX orders them): Chinese for `zh…`, English otherwise.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty { return value.lowercased().hasPrefix("zh") ? .zh : .en }
        }
        return .en
    }

    /// The language of a report: the command line's if given, else the scenario's (`language:`),
    /// else the environment's locale.
    public static func choose(_ flag: Language?, scenario: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> Language {
        flag ?? scenario.flatMap(Language.init(rawValue:)) ?? fromEnvironment(environment)
    }

    /// The value of HTML's `lang` attribute.
    public var htmlTag: String { self == .zh ? "zh-Hans" : "en" }
}

/// The phrase `english` in the current language, with `{0}`, `{1}`, … replaced by `arguments`
/// (already formatted: numbers go through `Format`); in English a count of one takes the
/// singular ("1 seeds" is written "1 seed", `EnglishPlurals`). A phrase missing from the catalog is
/// written in English and recorded in `Catalog.missing` (the tests require none).
public func L(_ english: String, _ arguments: String...) -> String {
    var text = english
    if Language.current == .zh {
        if let zh = Catalog.chinese[english] {
            text = zh
        } else {
            Catalog.noteMissing(english)
        }
    }
    // In English a count of one takes the singular: only where the phrase itself counts ("{0}
    // seeds" with 1), never inside an argument (a store named "Region 1 stores" keeps its name).
    if Language.current == .en {
        for (i, a) in arguments.enumerated() where a == "1" && text.contains("{\(i)} ") {
            text = EnglishPlurals.apply(text.replacingOccurrences(of: "{\(i)}", with: "1"))
        }
    }
    for (i, a) in arguments.enumerated().reversed() { text = text.replacingOccurrences(of: "{\(i)}", with: a) }
    return text
}

/// The translations, keyed by the English phrase.
public enum Catalog {
    /// English phrase → Simplified Chinese.
    public static let chinese: [String: String] = Dictionary(chinesePairs + chineseLatencyPairs + chineseDeliveryPairs, uniquingKeysWith: { first, _ in first })

    private static let lock = NSLock()
    nonisolated(unsafe) private static var missingPhrases = Set<String>()

    static func noteMissing(_ phrase: String) {
        lock.lock()
        missingPhrases.insert(phrase)
        lock.unlock()
    }

    /// Phrases asked for in Chinese that the catalog lacks, sorted.
    public static var missing: [String] {
        lock.lock()
        defer { lock.unlock() }
        return missingPhrases.sorted()
    }

    /// English phrases that appear more than once in the catalog's source (a mistake: only the
    /// first translation would count).
    public static var duplicates: [String] {
        var seen = Set<String>(), twice: [String] = []
        for (k, _) in chinesePairs + chineseLatencyPairs + chineseDeliveryPairs where !seen.insert(k).inserted { twice.append(k) }
        return twice
    }
}

/// Numbers, money, dates and simulated times written the way the current language writes them.
public enum Format {
    /// 1234567 → "1,234,567" (both languages group digits by three in business figures).
    public static func count(_ n: Int) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A duration in whichever unit reads best: "45 s", "32 min", "15.3 h" (delays, data ages).
    public static func duration(_ ms: Millis) -> String {
        let s = Double(ms) / 1000
        if s < 120 { return String(format: "%.0f s", s) }
        if s < 7200 { return String(format: "%.0f min", s / 60) }
        return String(format: "%.1f h", s / 3600)
    }

    /// An amount in CNY: "¥12.35 M" in English; "¥1,234.6万" or "¥1.23亿" in Chinese.
    public static func money(_ cny: Double) -> String {
        let sign = cny < 0 ? "-" : ""
        let a = abs(cny)
        switch Language.current {
        case .en:
            return a >= 1e6 ? sign + String(format: "¥%.2f M", a / 1e6) : sign + "¥" + count(Int(a.rounded()))
        case .zh:
            if a >= 1e8 { return sign + String(format: "¥%.2f亿", a / 1e8) }
            if a >= 1e4 { return sign + "¥" + grouped(a / 1e4, decimals: 1) + "万" }
            return sign + "¥" + count(Int(a.rounded()))
        }
    }

    /// A value with `decimals` decimals and grouped thousands: 12345.67 → "12,345.7".
    public static func grouped(_ v: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", abs(v))
        let parts = text.split(separator: ".", maxSplits: 1)
        let whole = count(Int(parts[0]) ?? 0)
        return (v < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "-" : "") + whole + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A calendar date given as `yyyy-mm-dd`: unchanged in English, "2026年1月5日" in Chinese.
    public static func date(_ iso: String) -> String {
        guard Language.current == .zh else { return iso }
        let p = iso.split(separator: "-")
        guard p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]) else { return iso }
        return "\(y)年\(m)月\(d)日"
    }

    /// The scenario's first live day (day 0), for calendar dates in a report; set by the report
    /// builders around the charts and tables they draw.
    @TaskLocal public static var liveStart: CivilDate?

    /// An event time (milliseconds from the first live day) in the scenario's calendar:
    /// "2026-03-06 10:00" ("2026年3月6日 10:00"), with seconds and milliseconds when it has them;
    /// without a calendar (`liveStart` unset), `dayClock`.
    public static func time(_ t: Millis) -> String {
        let day = SimTime.dayIndex(t), ms = t - SimTime.start(ofDay: day)
        guard liveStart != nil else { return dayClock(day: day, milliseconds: ms) }
        var clock = String(format: "%02d:%02d", Int(ms / 3_600_000), Int(ms / 60_000 % 60))
        if ms % 60_000 != 0 { clock += String(format: ":%02d", Int(ms / 1000 % 60)) }
        if ms % 1000 != 0 { clock += String(format: ".%03d", Int(ms % 1000)) }
        return self.day(day) + " " + clock
    }

    /// The date of a day index (from the first live day; history negative): "2026-03-06"
    /// ("2026年3月6日"), or "day 60" without a calendar.
    public static func day(_ d: Int) -> String {
        guard let start = liveStart else { return Language.current == .zh ? "第\(d)天" : "day \(d)" }
        return date(start.adding(days: d).description)
    }

    /// A day index (from the first live day; history negative) as a chart tick: "03-06" ("3月6日"),
    /// or the index itself without a calendar.
    public static func dayTick(_ day: Double) -> String {
        guard let start = liveStart else { return compact(day) }
        let d = start.adding(days: Int(day.rounded(.down)))
        return Language.current == .zh ? "\(d.month)月\(d.day)日" : String(format: "%02d-%02d", d.month, d.day)
    }

    /// A simulated time given as live day and milliseconds into it: "day 60 10:00:00.000", "第60天 10:00:00.000".
    public static func dayClock(day: Int, milliseconds ms: Int64) -> String {
        let clock = String(format: "%02d:%02d:%02d.%03d", Int(ms / 3_600_000), Int(ms / 60_000 % 60), Int(ms / 1000 % 60), Int(ms % 1000))
        return Language.current == .zh ? "第\(day)天 \(clock)" : "day \(day) \(clock)"
    }

    /// Compact axis text: 1.2k, 3.4M in English; 1.2万, 3.4亿 in Chinese.
    public static func compact(_ v: Double) -> String {
        let a = abs(v)
        func trim(_ s: String) -> String { s.hasSuffix(".0") ? String(s.dropLast(2)) : s }
        switch Language.current {
        case .en:
            if a >= 1e9 { return trim(String(format: "%.1f", v / 1e9)) + "G" }
            if a >= 1e6 { return trim(String(format: "%.1f", v / 1e6)) + "M" }
            if a >= 1e3 { return trim(String(format: "%.1f", v / 1e3)) + "k" }
        case .zh:
            if a >= 1e8 { return trim(String(format: "%.1f", v / 1e8)) + "亿" }
            if a >= 1e4 { return trim(String(format: "%.1f", v / 1e4)) + "万" }
        }
        if a >= 10 || a == 0 || v == v.rounded() { return trim(String(format: "%.0f", v)) }
        let s = String(format: "%.2f", v)
        return s.hasSuffix("0") ? String(s.dropLast()) : s
    }
}
