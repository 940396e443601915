import Foundation
import Reporting
import Testing

/// The `<text>` elements of an SVG: (class, x, y, anchor, shown text, tooltip).
func textElements(_ svg: String) -> [(cls: String, x: Double, y: Double, anchor: String, text: String, tip: String?)] {
    let pattern = try! NSRegularExpression(pattern: #"<text class="([a-z-]+)" x="([-0-9.]+)" y="([-0-9.]+)"( text-anchor="([a-z]+)")?[^>]*>([^<]*)(<title>([^<]*)</title>)?</text>"#)
    let ns = svg as NSString
    return pattern.matches(in: svg, range: NSRange(location: 0, length: ns.length)).map { m in
        func group(_ i: Int) -> String? { m.range(at: i).location == NSNotFound ? nil : ns.substring(with: m.range(at: i)) }
        return (group(1)!, Double(group(2)!)!, Double(group(3)!)!, group(5) ?? "start", unescape(group(6)!), group(8).map(unescape))
    }
}

/// XML entities back to characters.
func unescape(_ s: String) -> String {
    s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
        .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
}

/// The estimated horizontal span of a text element.
func span(_ t: (cls: String, x: Double, y: Double, anchor: String, text: String, tip: String?)) -> ClosedRange<Double> {
    let w = TextMetrics.width(t.text, size: t.cls == "title" ? SVG.titleSize : SVG.textSize, bold: t.cls == "title")
    let start = t.anchor == "middle" ? t.x - w / 2 : t.anchor == "end" ? t.x - w : t.x
    return start...(start + w)
}

@Suite("Chart text that fits")
struct TextLayoutTests {
    @Test("Widths follow DejaVu Sans for Latin text and one em per CJK character")
    func widths() {
        #expect(TextMetrics.width("预测告警", size: 12) == 48)
        #expect(TextMetrics.width("，", size: 10) == 10)
        // "Wi" in DejaVu Sans: W 0.989 em, i 0.278 em.
        #expect(abs(TextMetrics.width("Wi", size: 100) - 126.7) < 1e-9)
        #expect(TextMetrics.width("Wi", size: 100, bold: true) > TextMetrics.width("Wi", size: 100))
        #expect(TextMetrics.width("", size: 12) == 0)
        #expect(TextMetrics.isWide("中") && !TextMetrics.isWide("a") && TextMetrics.isWide("，"))
    }

    @Test("Shortening cuts at a word boundary, ends with an ellipsis and fits; CJK at any character")
    func shortening() {
        let long = "Accounts lost / accounts at the start: competitor-twice-as-hard"
        #expect(TextMetrics.shortened(long, toFit: 1000, size: 12) == long)
        let short = TextMetrics.shortened(long, toFit: 150, size: 12)
        #expect(short.hasSuffix("…") && TextMetrics.width(short, size: 12) <= 150)
        #expect(long.hasPrefix(String(short.dropLast())))
        #expect(long.split(separator: " ").map(String.init).contains(String(short.dropLast()).split(separator: " ").last.map(String.init) ?? ""))
        // One long word is cut inside it rather than left empty.
        let word = TextMetrics.shortened("supercalifragilistic", toFit: 60, size: 12)
        #expect(word.count > 2 && word.hasSuffix("…") && TextMetrics.width(word, size: 12) <= 60)
        let zh = TextMetrics.shortened("各百分位的事件处理与告警发出延迟", toFit: 60, size: 12)
        #expect(zh == "各百分位…")
    }

    @Test("Wrapping keeps every word, each line within the width, and breaks CJK text between characters")
    func wrapping() {
        let title = "Sales change by city and day (7 days against the same 7 days 364 days earlier), sales alerts circled"
        let lines = TextMetrics.wrapped(title, width: 400, size: 14, bold: true)
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { TextMetrics.width($0, size: 14, bold: true) <= 400 })
        #expect(lines.joined(separator: " ") == title)
        let zh = TextMetrics.wrapped("按城市和日的销售变化（7 天对比 364 天前的同 7 天），销售告警已圈出", width: 200, size: 14, bold: true)
        #expect(zh.count >= 2 && zh.allSatisfy { TextMetrics.width($0, size: 14, bold: true) <= 200 })
        // Closing punctuation stays with the text it ends.
        #expect(!zh[1].hasPrefix("，") && !zh[1].hasPrefix("）"))
        // Too long for the lines allowed: the last line is shortened.
        let cut = TextMetrics.wrapped(String(repeating: "word ", count: 100), width: 100, size: 12, maxLines: 2)
        #expect(cut.count == 2 && cut[1].hasSuffix("…"))
    }

    @Test("A long title wraps, the plot moves down, and no text leaves the chart")
    func longTitle() throws {
        let title = "Sales change by city and day (7 days against the same 7 days 364 days earlier), sales alerts circled"
        let short = LineChart(title: "t", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(0, 0), (1, 1)])])
        var long = short
        long.title = title
        #expect(long.layout.top == short.layout.top + 18)
        let titles = textElements(long.svg()).filter { $0.cls == "title" }
        #expect(titles.count == 2 && titles.map(\.text).joined(separator: " ") == title)
        #expect(titles.allSatisfy { span($0).upperBound <= 760 })
    }

    @Test("Tick labels stand apart and inside the chart; the last one widens the right margin")
    func ticks() {
        var c = LineChart(title: "t", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: (0..<90).map { (Double($0), Double($0)) })])
        c.xTickLabel = { d in "2026-03-\(Int(d)) 10:00" }
        let ticks = textElements(c.svg()).filter { $0.cls == "tick" && $0.anchor == "middle" }
        #expect(ticks.count >= 2)
        for (a, b) in zip(ticks, ticks.dropFirst()) { #expect(span(a).upperBound + 8 <= span(b).lowerBound) }
        #expect(ticks.allSatisfy { span($0).lowerBound >= 0 && span($0).upperBound <= 760 })
        let p = PercentilePlot.chart(title: "t", yLabel: "µs", series: [("s", PercentilePlot.points(sorted: (1...1_000_000).map(Double.init)))])
        let last = textElements(p.svg()).filter { $0.cls == "tick" && $0.anchor == "middle" }.last!
        #expect(last.text.hasPrefix("99.999") && span(last).upperBound <= 760)
        #expect(p.layout.right < 760 - 24)
    }

    @Test("Marker labels go into rows above the plot, never over each other")
    func markers() {
        var c = LineChart(title: "t", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(0, 0), (100, 1)])])
        c.markers = [.init(x: 60, label: "true onset"), .init(x: 60.4, label: "first signal"), .init(x: 61, label: "campaign starts"), .init(x: 90, label: "churn peak")]
        let l = c.layout
        #expect(l.top == 40 + 3 * 14)
        let labels = textElements(c.svg()).filter { $0.cls == "marker-label" }
        #expect(labels.count == 4 && labels.allSatisfy { $0.y < l.top })
        for (i, a) in labels.enumerated() {
            for b in labels[(i + 1)...] where a.y == b.y { #expect(!span(a).overlaps(span(b))) }
        }
    }

    @Test("Long row names are shortened with the full name on hover, and legends wrap into rows")
    func names() {
        let lanes = LaneChart(title: "t", xLabel: "x", lanes: ["HQ", "a regional manager with a very long name indeed"], dots: [(0, 1, "d", 1)], xRange: 0...2)
        let lane = textElements(lanes.svg()).first { $0.tip == "a regional manager with a very long name indeed" }
        #expect(lane != nil && lane!.text.hasSuffix("…") && span(lane!).lowerBound >= 0)
        let names = (1...8).map { "event processing of series number \($0)" }
        let c = LineChart(title: "t", xLabel: "x", yLabel: "y", series: names.map { .init(name: $0, points: [(0, 0), (1, 1)]) })
        let legend = textElements(c.svg()).filter { $0.cls == "legend" }
        #expect(legend.count == 8 && Set(legend.map(\.y)).count > 1 && legend.allSatisfy { span($0).upperBound <= 760 })
        #expect(c.layout.height > c.height)
    }

    @Test("Forest-plot labels wrap over two lines, and two that would read alike keep their ends")
    func forestLabels() {
        let outcome = "Accounts lost over the whole live window as a share of the accounts held at the start of it, counted by the region they were in"
        let plot = ForestPlot(title: "t", xLabel: "x", rows: [.init(label: "\(outcome): respond-in-4h", estimate: 1, low: 0, high: 2),
                                                           .init(label: "\(outcome): no-playbook", estimate: -1, low: -2, high: 0)])
        let lines = plot.labelLines
        #expect(lines.allSatisfy { $0.count == 2 })
        #expect(lines[0] != lines[1])
        #expect(lines[0][1].hasSuffix("respond-in-4h") && lines[1][1].hasSuffix("no-playbook"))
        #expect(lines.joined().allSatisfy { TextMetrics.width($0, size: SVG.textSize) <= plot.left - 16 })
        let svg = plot.svg()
        #expect(svg.contains("<title>\(outcome): no-playbook</title>"))
        #expect(xmlError(svg) == nil)
    }
}
