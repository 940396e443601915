import Foundation
import Reporting
import Testing

@Suite("Two languages")
struct LanguageTests {
    @Test("The language comes from --lang, else the scenario, else the locale (LC_ALL, LC_MESSAGES, LANG)")
    func choice() {
        #expect(Language.fromEnvironment(["LANG": "zh_CN.UTF-8"]) == .zh)
        #expect(Language.fromEnvironment(["LANG": "en_US.UTF-8"]) == .en)
        #expect(Language.fromEnvironment(["LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"]) == .en)
        #expect(Language.fromEnvironment(["LC_MESSAGES": "zh_TW", "LANG": "C"]) == .zh)
        #expect(Language.fromEnvironment(["LC_ALL": "", "LANG": "zh_CN"]) == .zh)
        #expect(Language.fromEnvironment([:]) == .en)
        let chinese = ["LANG": "zh_CN.UTF-8"]
        #expect(Language.choose(.en, scenario: "zh", environment: chinese) == .en)
        #expect(Language.choose(nil, scenario: "en", environment: chinese) == .en)
        #expect(Language.choose(nil, scenario: nil, environment: chinese) == .zh)
    }

    @Test("A phrase is looked up in the current language, its placeholders filled in any order")
    func phrases() {
        #expect(L("{0} live days, {1} stores", "90", "237") == "90 live days, 237 stores")
        Language.$current.withValue(.zh) {
            #expect(L("{0} live days, {1} stores", "90", "237") == "90 个实时日，237 家门店")
            // Chinese puts the second argument first here.
            #expect(L("account {0} of store {1}", "5", "12") == "门店 12 的账户 5")
            #expect(L("Sales") == "销售")
        }
    }

    @Test("The catalog translates each phrase once, keeping every placeholder")
    func catalog() {
        #expect(Catalog.duplicates.isEmpty, "\(Catalog.duplicates)")
        let placeholder = /\{\d\}/
        for (english, chinese) in Catalog.chinese {
            let a = Set(english.matches(of: placeholder).map { String($0.output) })
            let b = Set(chinese.matches(of: placeholder).map { String($0.output) })
            #expect(a == b, "\(english) → \(chinese)")
            #expect(!chinese.isEmpty)
        }
    }

    @Test("Numbers, money, dates and simulated times are written as each language writes them")
    func formats() {
        #expect(Format.count(1_234_567) == "1,234,567" && Format.count(-1000) == "-1,000" && Format.count(12) == "12")
        #expect(Format.grouped(12_345.67, decimals: 1) == "12,345.7")
        #expect(Format.money(12_345_678) == "¥12.35 M")
        #expect(Format.money(5_432) == "¥5,432")
        #expect(Format.date("2026-01-05") == "2026-01-05")
        #expect(Format.dayClock(day: 60, milliseconds: 36_000_123) == "day 60 10:00:00.123")
        #expect(Format.compact(12_000) == "12k" && Format.compact(3_400_000) == "3.4M")
        Language.$current.withValue(.zh) {
            #expect(Format.money(12_345_678) == "¥1,234.6万")
            #expect(Format.money(312_000_000) == "¥3.12亿")
            #expect(Format.money(-5_432) == "-¥5,432")
            #expect(Format.date("2026-01-05") == "2026年1月5日")
            #expect(Format.dayClock(day: 60, milliseconds: 36_000_123) == "第60天 10:00:00.123")
            #expect(Format.compact(12_000) == "1.2万" && Format.compact(340_000_000) == "3.4亿" && Format.compact(3_000) == "3000")
        }
    }

    @Test("The page declares its language; Markdown's own words are translated too")
    func rendering() {
        let report = Report(title: "t", subtitle: "s", figures: [.init(label: "a", value: "1")],
                            sections: [.init(title: "x", blocks: [.chart(title: "c", svg: "<svg></svg>")])])
        #expect(HTMLReport.render(report).contains("<html lang=\"en\">"))
        Language.$current.withValue(.zh) {
            #expect(HTMLReport.render(report).contains("<html lang=\"zh-Hans\">"))
            let md = MarkdownReport.render(report)
            #expect(md.contains("| 指标 | 数值 | 说明 |") && md.contains("图表见 index.html：c。"))
        }
    }
}

@Suite("English singulars")
struct EnglishPluralTests {
    @Test("A count of exactly one takes the singular in English; other counts and Chinese keep the phrase")
    func singulars() {
        #expect(L("{0} variants × {1} seeds", "4", "1") == "4 variants × 1 seed")
        #expect(L("{0} live days, {1} stores", "1", "1") == "1 live day, 1 store")
        #expect(L("{0} accounts lost", "11") == "11 accounts lost" && L("{0} accounts lost", "1") == "1 account lost")
        #expect(L("{0} alerts", "2,001") == "2,001 alerts" && L("{0} days", "0.1") == "0.1 days" && L("{0} cities", "1") == "1 city")
        #expect(L("{0} of the {1} accounts", "1", "70") == "1 of the 70 accounts")
        #expect(L("peak, {0} rules", "1") == "peak, 1 rule" && L("({0} escalations)", "1") == "(1 escalation)")
        // Arguments are never changed: a name that happens to hold "1 stores" keeps it.
        #expect(L("{0}: {1} alerts", "Region 1 stores", "1") == "Region 1 stores: 1 alert")
        #expect(Language.$current.withValue(.zh) { L("{0} variants × {1} seeds", "4", "1") } == "4 个变体 × 1 个种子")
    }
}
