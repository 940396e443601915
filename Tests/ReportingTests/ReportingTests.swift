import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Reporting
import Testing

/// Parses XML, returning nil when well-formed or the parser's error.
func xmlError(_ text: String) -> Error? {
    let parser = XMLParser(data: Data(text.utf8))
    return parser.parse() ? nil : (parser.parserError ?? NSError(domain: "xml", code: 1))
}

@Suite("Reports")
struct ReportingTests {
    @Test("JSON keeps key order, escapes strings and prints numbers stably")
    func json() {
        let v = JSONValue.object([("b", .int(1)), ("a", .array([.double(0.1), .double(2), .double(.nan), .null, .bool(true)])),
                                  ("s", .string("q\"\\\n\u{1}中"))])
        #expect(v.rendered() == """
        {
          "b": 1,
          "a": [
            0.1,
            2.0,
            null,
            null,
            true
          ],
          "s": "q\\"\\\\\\n\\u0001中"
        }

        """)
        #expect(v[path: "b"] == .int(1))
        #expect(v[path: "a.x"] == nil)
        let parsed = try? JSONSerialization.jsonObject(with: Data(v.rendered().utf8))
        #expect(parsed != nil)
    }

    @Test("A line chart is well-formed SVG and maps values to coordinates")
    func lineChart() {
        var chart = LineChart(title: "Sales <by> region & day", xLabel: "day", yLabel: "CNY",
                              series: [.init(name: "East", points: [(0, 0), (10, 50), (20, 100)]),
                                       .init(name: "West", points: [(0, 100), (20, 0)])])
        chart.markers = [.init(x: 10, label: "shock")]
        chart.bands = [.init(x0: 5, x1: 15, label: "ramp")]
        chart.references = [(y: 60, label: "threshold")]
        let svg = chart.svg()
        #expect(xmlError(svg) == nil)
        #expect(svg.contains("Sales &lt;by&gt; region &amp; day"))
        #expect(svg.components(separatedBy: "class=\"series\"").count == 3)
        #expect(svg.contains("class=\"marker\""))
        #expect(svg.contains("class=\"band\""))
        // x from 0 to 20 spans the plot from the left margin to the right edge.
        #expect(abs(chart.xPosition(0) - 72) < 1e-9)
        #expect(abs(chart.xPosition(20) - (760 - 24)) < 1e-9)
        #expect(abs(chart.xPosition(10) - (72 + (760 - 24 - 72) / 2)) < 1e-9)
        // y: 0 at the bottom of the plot, larger values higher up; the marker's label takes a row
        // above the plot, so the chart is one row taller.
        #expect(abs(chart.yPosition(0) - chart.layout.bottom) < 1e-9 && chart.layout.bottom == 340 - 78 + 14)
        #expect(chart.yPosition(100) < chart.yPosition(50))
        #expect(svg.contains("M72 \(Int(chart.yPosition(0)))") || svg.contains("M72 \(String(format: "%.2f", chart.yPosition(0)))"))
    }

    @Test("A bar chart's bars are proportional to their values")
    func barChart() {
        let chart = BarChart(title: "Events", unit: "events", bars: [(label: "sale", value: 100), (label: "visit", value: 25), (label: "none", value: 0)])
        #expect(xmlError(chart.svg()) == nil)
        #expect(abs(chart.barLength(25) * 4 - chart.barLength(100)) < 1e-9)
        #expect(chart.barLength(0) == 0)
        #expect(chart.svg().contains("data-label=\"visit\""))
    }

    @Test("Nice ticks cover the range in steps of 1, 2 or 5")
    func ticks() {
        #expect(SVG.niceTicks(0, 100) == [0, 20, 40, 60, 80, 100])
        #expect(SVG.niceTicks(0, 9) == [0, 2, 4, 6, 8])
        #expect(SVG.niceTicks(-371, 90, count: 8) == [-300, -200, -100, 0])
        #expect(SVG.compact(1_250_000) == "1.2M" || SVG.compact(1_250_000) == "1.3M")
    }

    @Test("The HTML page is self-contained and the Markdown holds the tables")
    func pages() {
        let chart = LineChart(title: "c", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(0, 1), (1, 2)])])
        let report = Report(title: "T", subtitle: "sub", figures: [.init(label: "Events", value: "1,000", note: "n")],
                            sections: [.init(title: "S", blocks: [.paragraph("p <b>"), .chart(title: "c", svg: chart.svg()),
                                                                   .table(.init(header: ["a", "b"], rows: [["1", "x|y"]]))])])
        let html = HTMLReport.render(report)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("prefers-color-scheme: dark"))
        #expect(html.contains("p &lt;b&gt;"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").dropFirst().allSatisfy { $0.hasPrefix("www.w3.org/2000/svg") })
        #expect(!html.contains("https://"))
        let md = MarkdownReport.render(report)
        #expect(md.contains("| 1 | x\\|y |"))
        #expect(md.contains("*Chart in index.html: c.*"))
    }

    @Test("A report folder is written whole or not at all, and replaces an older one")
    func atomicFolder() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("warroom-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let dest = base.appendingPathComponent("run-s1")
        try ReportFolder.write([(name: "a.csv", contents: Data("one".utf8)), (name: "b.csv", contents: Data("one".utf8))], to: dest)
        try ReportFolder.write([(name: "b.csv", contents: Data("two".utf8))], to: dest, optional: ["a.csv"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dest.path) == ["b.csv"])
        #expect(try String(contentsOf: dest.appendingPathComponent("b.csv"), encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path) == ["run-s1"])
        // A folder holding anything this report does not write (a note, the user's own CSV or
        // Markdown, a subfolder) is kept.
        for extra in ["notes.txt", "my_analysis.csv", "notes.md", "drafts"] {
            let mine = base.appendingPathComponent("mine-\(extra)")
            try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
            if extra == "drafts" {
                try FileManager.default.createDirectory(at: mine.appendingPathComponent(extra), withIntermediateDirectories: true)
            } else {
                try Data("mine".utf8).write(to: mine.appendingPathComponent(extra))
            }
            #expect(throws: ReportFolder.WriteError.self) { try ReportFolder.write([(name: "b.csv", contents: Data())], to: mine) }
            #expect(try FileManager.default.contentsOfDirectory(atPath: mine.path) == [extra])
            try FileManager.default.removeItem(at: mine)
        }
        // A destination that cannot be created fails cleanly and leaves nothing behind.
        let blocked = base.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocked)
        #expect(throws: ReportFolder.WriteError.self) {
            try ReportFolder.write([(name: "a.txt", contents: Data())], to: blocked.appendingPathComponent("run"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).sorted() == ["file", "run-s1"])
    }
}

@Suite("Safe names, CSV fields and the forest plot")
struct SafeOutputTests {
    @Test("A name from user input cannot climb out of its folder or hide itself")
    func safeNames() {
        #expect(SafeName.component("../../etc") == "_.._etc")
        #expect(!SafeName.component("a/b\\c").contains("/") && !SafeName.component("a/b\\c").contains("\\"))
        #expect(SafeName.component(".hidden") == "hidden")
        #expect(SafeName.component("") == "data" && SafeName.component("///") == "data")
        #expect(SafeName.component(String(repeating: "x", count: 200)).count == 64)
        #expect(SafeName.component("sales-2024_v1.2") == "sales-2024_v1.2")
    }

    @Test("CSV fields are quoted when they must be; numbers keep ten significant digits and NaN is empty")
    func csvFields() {
        #expect(CSVWriter.field("plain") == "plain")
        #expect(CSVWriter.field("a,b") == "\"a,b\"" && CSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.number(3) == "3" && CSVWriter.number(0.125) == "0.125" && CSVWriter.number(.nan) == "")
        #expect(CSVWriter.number(1.0 / 3) == "0.3333333333")
    }

    @Test("The forest plot maps estimates and intervals to the right x and draws the zero line")
    func forestPlot() {
        let plot = ForestPlot(title: "t", xLabel: "x", rows: [.init(label: "a", estimate: 10, low: 5, high: 15),
                                                           .init(label: "b", estimate: -5, low: -10, high: 0)])
        let svg = plot.svg()
        #expect(xmlError(svg) == nil)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
        #expect(svg.components(separatedBy: "<circle class=\"estimate\"").count == 3)
        #expect(svg.components(separatedBy: "<line class=\"interval\"").count == 3)
        // Zero sits where the range puts it, and higher values lie further right.
        #expect(plot.xPosition(-10) < plot.xPosition(0) && plot.xPosition(0) < plot.xPosition(15))
        #expect(svg.contains("x1=\"\(SVGTestSupport.n(plot.xPosition(0)))\""))
    }
}

/// The chart modules' number format, for matching coordinates in SVG text.
enum SVGTestSupport {
    static func n(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int64(r)) : String(format: "%.2f", r)
    }
}

@Suite("Percentile plot")
struct PercentilePlotTests {
    @Test("Points follow the sample's order statistics out to its maximum, on an axis of 1/(1 − p)")
    func points() throws {
        let sample = (1...1000).map(Double.init)
        let p = PercentilePlot.points(sorted: sample)
        #expect(p.first?.percentile == 0 && p.first?.value == 1)
        #expect(p.last?.value == 1000 && abs((p.last?.percentile ?? 0) - 99.9) < 1e-9)
        #expect(zip(p, p.dropFirst()).allSatisfy { $0.percentile < $1.percentile && $0.value <= $1.value })
        // The 90th percentile of 1…1000 is 901 (index 900).
        let p90 = try #require(p.first { abs($0.percentile - 90) < 1e-9 })
        #expect(p90.value == 901)
        let chart = PercentilePlot.chart(title: "t", yLabel: "µs", series: [("s", p)])
        // 99% sits two decades right of 0%: x = 1/(1 − 0.99) = 100.
        #expect(abs(chart.xPosition(100) - (chart.xPosition(1) + 2 * (chart.xPosition(10) - chart.xPosition(1)))) < 1e-6)
        let svg = chart.svg()
        #expect(xmlError(svg) == nil && svg.contains(">99%<") && svg.contains(">99.9%<") && svg.contains(">90%<"))
        #expect(PercentilePlot.points(sorted: []).isEmpty)
    }
}
