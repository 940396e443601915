import Foundation
import Reporting
import RunStore
import Testing
import WarRoomTestSupport
import WarRoomLab

/// The text of a file.
private func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

/// Latin words of four letters or more in the visible text of a page, minus `allowed`: what a
/// Chinese reader would meet in English.
private func englishWords(inHTML html: String, allowed: Set<String>) -> Set<String> {
    // The page names its input files: the words of the checkout's and the temporary folder's
    // paths are names, wherever the repository happens to be cloned.
    let paths = Repository.root.path + "/" + FileManager.default.temporaryDirectory.path
    let allowed = allowed.union(paths.matches(of: /[A-Za-z]+/).map { String($0.output) })
    let body = html.components(separatedBy: "<body>").last ?? html
    var words = Set<String>()
    for match in body.matches(of: />([^<>]+)</) {
        // Hexadecimal digests are not words.
        for w in String(match.output.1).matches(of: /[A-Za-z][A-Za-z]{3,}/)
        where !allowed.contains(String(w.output)) && !String(w.output).allSatisfy(\.isHexDigit) {
            words.insert(String(w.output))
        }
    }
    return words
}

@Suite("Reports in Simplified Chinese and English")
struct ReportLanguageTests {
    @Test("A run in Chinese: every phrase translated, same figures as in English, alerts' messages in Chinese; re-created in English")
    func runReport() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = RunPipeline.Options(scenarioPath: Repository.backtestScenario)
        options.rulesPath = Repository.presets
        options.databasePath = folder.appendingPathComponent("runs.db").path
        options.outDirectory = folder.appendingPathComponent("zh").path
        options.language = .zh
        let zh = try RunPipeline.run(options)
        options.outDirectory = folder.appendingPathComponent("en").path
        options.language = .en
        let en = try RunPipeline.run(options)
        #expect(Catalog.missing.isEmpty, "phrases without a translation: \(Catalog.missing)")

        let page = try text(zh.reportPath + "/index.html"), summary = try text(zh.reportPath + "/summary.md")
        #expect(page.contains("<html lang=\"zh-Hans\">") && page.contains("预测与流失模型") && page.contains("各大区每日销售额"))
        #expect(page.contains("按层级和日期的告警") && page.contains("30 天流失标签的 ROC 曲线") && page.contains("任务卡"))
        #expect(summary.hasPrefix("# WarRoom 运行 — backtest-small，种子 11"))
        // What stays Latin: names from the scenario and the rule file, model and metric names, units.
        let store = try RunStore(path: options.databasePath)
        let record = try #require(try store.run(id: zh.runID))
        let ruleWords = Set((record.source?.rulesText ?? "").matches(of: /[A-Za-z]+/).map { String($0.output) })
        let scenarioWords = Set(record.scenarioText.matches(of: /[A-Za-z]+/).map { String($0.output) })
        let allowed: Set<String> = ["WarRoom", "WAPE", "MASE", "Brier", "DESIGN", "regression", "seasonal", "naive", "oracle",
                                    "warroom", "bench", "sweep", "load", "scenarios", "yaml", "backtest", "small",
                                    "recency", "months", "days", "since", "order", "orders", "amount", "trend", "visited", "visit",
                                    "calls", "positive", "call", "share", "total", "store", "competitor", "signals", "city",
                                    "exposure", "tenure", "region", "actions"]
        let english = englishWords(inHTML: page, allowed: allowed.union(ruleWords).union(scenarioWords))
        #expect(english.isEmpty, "English left in the Chinese page: \(english.sorted())")
        #expect(page.contains("第") && page.contains("万"), "dates and money in Chinese form")
        #expect(try text(en.reportPath + "/index.html").contains("<html lang=\"en\">"))

        // The language changes words, never figures: metrics.json is the same but for the clock.
        func stable(_ path: String) throws -> [String] {
            let metrics = try text(path + "/metrics.json")
            #expect(metrics.contains("\"load_curve\""))
            return try stableMetrics(metrics)
        }
        #expect(try stable(zh.reportPath) == stable(en.reportPath))
        #expect(record.source?.language == "zh")
        let first = try #require(try store.alertLatencies(run: record.number).first)
        #expect(first >= 0)

        // Re-created in English from the store: metrics.json is byte-identical, the page English.
        let recreated = try RunPipeline.recreate(runID: zh.runID, databasePath: options.databasePath,
                                                 outDirectory: folder.appendingPathComponent("again").path, language: .en)
        #expect(try text(recreated.reportPath + "/metrics.json") == text(zh.reportPath + "/metrics.json"))
        let englishPage = try text(recreated.reportPath + "/index.html")
        #expect(englishPage.contains("<html lang=\"en\">") && englishPage.contains("Forecasts and churn model"))
        // The three tiers' messages are written again in the language asked for, task card included,
        // whatever language the run was made in: the English run's report re-created in Chinese.
        #expect(englishPage.contains("Task card — ") && !englishPage.contains("任务卡 — "))
        let chinese = try RunPipeline.recreate(runID: en.runID, databasePath: options.databasePath,
                                               outDirectory: folder.appendingPathComponent("again-zh").path, language: .zh)
        let chinesePage = try text(chinese.reportPath + "/index.html")
        #expect(!chinesePage.contains("Task card — ") && !chinesePage.contains("accounts lost in"), "the stored English messages came back")
        #expect(englishWords(inHTML: chinesePage, allowed: allowed.union(ruleWords).union(scenarioWords)).isEmpty)
        #expect(try text(chinese.reportPath + "/metrics.json") == text(en.reportPath + "/metrics.json"))
    }

    @Test("A sweep, a comparison and a latency report in Chinese have every phrase translated")
    func otherReports() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = try writeSweepScenario(in: folder)
        var sweep = Sweep.Options(scenarioPath: folder.appendingPathComponent(scenario).path)
        sweep.replications = 2
        sweep.outDirectory = folder.appendingPathComponent("out").path
        sweep.databasePath = nil
        sweep.language = .zh
        _ = try Sweep.run(sweep)
        let sweepPage = try text(folder.appendingPathComponent("out/smoke-sweep/index.html").path)
        #expect(sweepPage.contains("假设情景对比") && sweepPage.contains("反事实孪生"))

        var run = RunPipeline.Options.writing(Repository.smokeScenario, into: folder, out: "runs")
        let a = try RunPipeline.run(run)
        run.seed = 8
        let b = try RunPipeline.run(run)
        let comparison = try RunComparison.compare(a.runID, b.runID, databasePath: run.databasePath, outDirectory: run.outDirectory, language: .zh)
        #expect(try text(comparison + "/index.html").contains("不同的指标"))

        var load = LoadSweep.Options(scenarioPath: Repository.smokeScenario, rulesPath: Repository.presets)
        load.loadFractions = [0.5]
        load.seconds = 0.05
        load.warmup = 0.01
        load.ruleCounts = [1, 27]
        load.storeCounts = [8, 16]
        load.cardinalityDays = 2
        load.repeats = 1
        let latency = try LoadSweep.run(load) { _, _, _ in }
        let files = Dictionary(latency.files(language: .zh), uniquingKeysWith: { x, _ in x })
        let latencyPage = String(decoding: try #require(files["index.html"]), as: UTF8.self)
        #expect(latencyPage.contains("告警引擎延迟与扩展性") && latencyPage.contains("吞吐量与规则数量"))
        // metrics.json is for programs: English keys and texts in every language.
        #expect(files["metrics.json"] == Dictionary(latency.files(language: .en), uniquingKeysWith: { x, _ in x })["metrics.json"])
        #expect(Catalog.missing.isEmpty, "phrases without a translation: \(Catalog.missing)")
    }
}
