import Foundation

/// Helpers shared by the SVG charts.
public enum SVG {
    /// Escapes text for XML content and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A coordinate with two decimals, without locale.
    static func n(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int64(r)) : String(format: "%.2f", r)
    }

    /// The colour palette (colour-blind safe), by series index.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#999999"]

    /// "Nice" tick values covering [lo, hi]: steps of 1, 2 or 5 × 10ⁿ.
    public static func niceTicks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard lo.isFinite, hi.isFinite else { return [0] }
        if hi <= lo { return [lo] }
        let raw = (hi - lo) / Double(max(count, 1))
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var ticks: [Double] = []
        var t = ceil(lo / step) * step
        while t <= hi + step * 1e-9 {
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return ticks
    }

    /// Compact number text for axis labels, in the current language (`Format.compact`).
    public static func compact(_ v: Double) -> String { Format.compact(v) }
}

/// A line chart with axes, ticks, a legend, vertical event markers and shaded bands.
public struct LineChart {
    /// One line.
    public struct Series {
        /// Legend text.
        public var name: String
        /// Points (x ascending).
        public var points: [(x: Double, y: Double)]
        /// Whether each point is also drawn as a dot (e.g. calibration bins).
        public var dots = false
        /// Whether the line is dashed (references such as the diagonal of a calibration plot).
        public var dashed = false
        /// Palette index of the colour, when not the series' own position (a forecast drawn in
        /// the colour of its actuals).
        public var colorIndex: Int?
        /// Creates a series.
        public init(name: String, points: [(x: Double, y: Double)]) { self.name = name; self.points = points }
    }

    /// A vertical line marking an event at `x`.
    public struct Marker {
        /// Position.
        public var x: Double
        /// Label.
        public var label: String
        /// Creates a marker.
        public init(x: Double, label: String) { self.x = x; self.label = label }
    }

    /// A shaded span from `x0` to `x1`.
    public struct Band {
        /// Start.
        public var x0: Double
        /// End.
        public var x1: Double
        /// Label.
        public var label: String
        /// Creates a band.
        public init(x0: Double, x1: Double, label: String) { self.x0 = x0; self.x1 = x1; self.label = label }
    }

    /// A shaded area between two curves (a P10–P90 band), in the colour of series `colorOf`.
    public struct Area {
        /// Legend-free description (shown on hover).
        public var label: String
        /// Lower and upper curves over the same x values.
        public var lower: [(x: Double, y: Double)], upper: [(x: Double, y: Double)]
        /// Index of the series whose colour the area takes.
        public var colorOf: Int
        /// Creates an area.
        public init(label: String, lower: [(x: Double, y: Double)], upper: [(x: Double, y: Double)], colorOf: Int) {
            self.label = label
            self.lower = lower
            self.upper = upper
            self.colorOf = colorOf
        }
    }

    /// Title above the chart.
    public var title: String
    /// X axis label (with unit).
    public var xLabel: String
    /// Y axis label (with unit).
    public var yLabel: String
    /// The lines.
    public var series: [Series]
    /// Event markers.
    public var markers: [Marker] = []
    /// Shaded spans.
    public var bands: [Band] = []
    /// Shaded areas between curves.
    public var areas: [Area] = []
    /// Horizontal reference lines (value, label), e.g. a threshold.
    public var references: [(y: Double, label: String)] = []
    /// Whether the y axis starts at zero.
    public var yFromZero = true
    /// Size in pixels (the SVG scales to its container).
    public var width = 760.0, height = 340.0
    /// How an axis maps data to pixels.
    public enum Scale: Sendable {
        /// Evenly spaced values.
        case linear
        /// Evenly spaced powers of ten (positive values only; others are left out).
        case log
    }
    /// The x axis's scale.
    public var xScale = Scale.linear
    /// The y axis's scale.
    public var yScale = Scale.linear
    /// Tick labels for x values (default: the compact number).
    public var xTickLabel: (@Sendable (Double) -> String)?
    let left = 72.0, right = 24.0, top = 40.0, bottom = 78.0

    /// Creates a chart.
    public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    /// The data ranges shown.
    public var xRange: ClosedRange<Double> {
        var xs = series.flatMap { $0.points.map(\.x) } + markers.map(\.x) + bands.flatMap { [$0.x0, $0.x1] } + areas.flatMap { $0.upper.map(\.x) }
        if xScale == .log { return Self.decades(xs.filter { $0 > 0 }) }
        xs = xs.filter(\.isFinite)
        let lo = xs.min() ?? 0, hi = xs.max() ?? 1
        return lo < hi ? lo...hi : lo...(lo + 1)
    }

    /// Whole powers of ten around positive values.
    static func decades(_ values: [Double]) -> ClosedRange<Double> {
        let lo = values.min() ?? 1, hi = values.max() ?? 10
        let a = Foundation.pow(10, Foundation.floor(Foundation.log10(lo))), b = Foundation.pow(10, Foundation.ceil(Foundation.log10(hi)))
        return a < b ? a...b : a...(a * 10)
    }

    /// The tick values of an axis.
    func ticks(_ range: ClosedRange<Double>, scale: Scale, count: Int) -> [Double] {
        guard scale == .log else { return SVG.niceTicks(range.lowerBound, range.upperBound, count: count) }
        var out: [Double] = []
        var v = range.lowerBound
        while v <= range.upperBound * 1.0001 { out.append(v); v *= 10 }
        return out
    }

    /// The fraction of an axis a value lies at.
    func fraction(_ v: Double, _ r: ClosedRange<Double>, _ scale: Scale) -> Double {
        switch scale {
        case .linear: return (v - r.lowerBound) / (r.upperBound - r.lowerBound)
        case .log: return (Foundation.log10(max(v, r.lowerBound * 1e-3)) - Foundation.log10(r.lowerBound)) / (Foundation.log10(r.upperBound) - Foundation.log10(r.lowerBound))
        }
    }

    /// The y range shown (padded, from zero when `yFromZero`).
    public var yRange: ClosedRange<Double> {
        let ys = (series.flatMap { $0.points.map(\.y) } + areas.flatMap { $0.lower.map(\.y) + $0.upper.map(\.y) }).filter(\.isFinite) + references.map(\.y)
        if yScale == .log { return Self.decades(ys.filter { $0 > 0 }) }
        var lo = ys.min() ?? 0, hi = ys.max() ?? 1
        if yFromZero { lo = min(lo, 0) }
        if hi <= lo { hi = lo + 1 }
        let ticks = SVG.niceTicks(lo, hi + (hi - lo) * 0.05)
        return lo...max(hi, ticks.last ?? hi)
    }

    /// The horizontal pixel position of a data x.
    public func xPosition(_ x: Double) -> Double {
        left + fraction(x, xRange, xScale) * (width - left - right)
    }

    /// The vertical pixel position of a data y.
    public func yPosition(_ y: Double) -> Double {
        top + (1 - fraction(y, yRange, yScale)) * (height - top - bottom)
    }

    /// The chart as an SVG element.
    public func svg() -> String {
        let n = SVG.n
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(SVG.escape(title))\">"
        s += "<title>\(SVG.escape(title))</title>"
        s += "<text class=\"title\" x=\"\(n(left))\" y=\"22\">\(SVG.escape(title))</text>"
        let plotBottom = height - bottom, plotRight = width - right
        for band in bands {
            let x0 = xPosition(band.x0), x1 = xPosition(band.x1)
            s += "<rect class=\"band\" x=\"\(n(x0))\" y=\"\(n(top))\" width=\"\(n(max(1, x1 - x0)))\" height=\"\(n(plotBottom - top))\"><title>\(SVG.escape(band.label))</title></rect>"
        }
        for t in ticks(yRange, scale: yScale, count: 5) {
            let y = yPosition(t)
            s += "<line class=\"grid\" x1=\"\(n(left))\" x2=\"\(n(plotRight))\" y1=\"\(n(y))\" y2=\"\(n(y))\"/>"
            s += "<text class=\"tick\" x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(SVG.compact(t))</text>"
        }
        for t in ticks(xRange, scale: xScale, count: 8) {
            let x = xPosition(t)
            s += "<line class=\"axis\" x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(plotBottom))\" y2=\"\(n(plotBottom + 5))\"/>"
            s += "<text class=\"tick\" x=\"\(n(x))\" y=\"\(n(plotBottom + 18))\" text-anchor=\"middle\">\(SVG.escape(xTickLabel?(t) ?? SVG.compact(t)))</text>"
        }
        s += "<line class=\"axis\" x1=\"\(n(left))\" x2=\"\(n(plotRight))\" y1=\"\(n(plotBottom))\" y2=\"\(n(plotBottom))\"/>"
        s += "<line class=\"axis\" x1=\"\(n(left))\" x2=\"\(n(left))\" y1=\"\(n(top))\" y2=\"\(n(plotBottom))\"/>"
        s += "<text class=\"label\" x=\"\(n((left + plotRight) / 2))\" y=\"\(n(plotBottom + 36))\" text-anchor=\"middle\">\(SVG.escape(xLabel))</text>"
        s += "<text class=\"label\" transform=\"translate(16 \(n((top + plotBottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(SVG.escape(yLabel))</text>"
        for ref in references {
            let y = yPosition(ref.y)
            s += "<line class=\"reference\" x1=\"\(n(left))\" x2=\"\(n(plotRight))\" y1=\"\(n(y))\" y2=\"\(n(y))\"/>"
            s += "<text class=\"tick\" x=\"\(n(plotRight - 4))\" y=\"\(n(y - 4))\" text-anchor=\"end\">\(SVG.escape(ref.label))</text>"
        }
        for area in areas where !area.upper.isEmpty {
            let color = SVG.palette[area.colorOf % SVG.palette.count]
            let outline = area.upper + area.lower.reversed()
            let d = outline.enumerated().map { j, p in "\(j == 0 ? "M" : "L")\(n(xPosition(p.x))) \(n(yPosition(p.y)))" }.joined() + "Z"
            s += "<path class=\"area\" d=\"\(d)\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"><title>\(SVG.escape(area.label))</title></path>"
        }
        for (i, series) in series.enumerated() {
            // Log axes leave out values they cannot show (zero or negative).
            var line = series
            line.points = line.points.filter { (xScale == .linear || $0.x > 0) && (yScale == .linear || $0.y > 0) }
            guard !line.points.isEmpty else { continue }
            let color = SVG.palette[(line.colorIndex ?? i) % SVG.palette.count]
            let d = line.points.enumerated().map { j, p in "\(j == 0 ? "M" : "L")\(n(xPosition(p.x))) \(n(yPosition(p.y)))" }.joined()
            s += "<path class=\"series\" data-series=\"\(SVG.escape(line.name))\" d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\"\(line.dashed ? " stroke-dasharray=\"5 4\"" : "")/>"
            if line.dots {
                for p in line.points {
                    s += "<circle class=\"dot\" cx=\"\(n(xPosition(p.x)))\" cy=\"\(n(yPosition(p.y)))\" r=\"3\" fill=\"\(color)\"/>"
                }
            }
        }
        for (i, m) in markers.enumerated() {
            let x = xPosition(m.x)
            s += "<line class=\"marker\" x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(top))\" y2=\"\(n(plotBottom))\"/>"
            // Labels are staggered so that close markers stay readable, and turn left near the right edge.
            let nearRight = x > left + (plotRight - left) * 0.7
            let lx = nearRight ? x - 4 : x + 4
            s += "<text class=\"marker-label\" x=\"\(n(lx))\" y=\"\(n(top + 12 + Double(i % 3) * 14))\"\(nearRight ? " text-anchor=\"end\"" : "")>\(SVG.escape(m.label))</text>"
        }
        // Legend under the axis label.
        var lx = left
        let ly = height - 14
        var named = Set<String>()
        for (i, line) in series.enumerated() where named.insert(line.name).inserted {
            let color = SVG.palette[(line.colorIndex ?? i) % SVG.palette.count]
            s += line.dashed ? "<line x1=\"\(n(lx))\" x2=\"\(n(lx + 12))\" y1=\"\(n(ly - 3))\" y2=\"\(n(ly - 3))\" stroke=\"currentColor\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>" : ""
            if line.dashed {
                s += "<text class=\"legend\" x=\"\(n(lx + 16))\" y=\"\(n(ly + 1))\">\(SVG.escape(line.name))</text>"
                lx += 28 + Double(line.name.count) * 7
                continue
            }
            s += "<rect x=\"\(n(lx))\" y=\"\(n(ly - 9))\" width=\"12\" height=\"12\" fill=\"\(color)\"/>"
            s += "<text class=\"legend\" x=\"\(n(lx + 16))\" y=\"\(n(ly + 1))\">\(SVG.escape(line.name))</text>"
            lx += 28 + Double(line.name.count) * 7
        }
        return s + "</svg>"
    }
}

/// A horizontal bar chart of labelled values.
public struct BarChart {
    /// Title above the chart.
    public var title: String
    /// Unit of the values, shown on the axis.
    public var unit: String
    /// Bars in display order.
    public var bars: [(label: String, value: Double)]
    /// Width in pixels.
    public var width = 760.0
    let left = 150.0, right = 90.0, top = 40.0, rowHeight = 26.0

    /// Creates a chart.
    public init(title: String, unit: String, bars: [(label: String, value: Double)]) {
        self.title = title
        self.unit = unit
        self.bars = bars
    }

    /// The largest value on the axis.
    public var maxValue: Double { max(bars.map(\.value).max() ?? 1, 1e-12) }

    /// The pixel length of a bar.
    public func barLength(_ v: Double) -> Double { max(0, v) / maxValue * (width - left - right) }

    /// The chart as an SVG element.
    public func svg() -> String {
        let n = SVG.n
        let height = top + rowHeight * Double(bars.count) + 40
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(SVG.escape(title))\">"
        s += "<title>\(SVG.escape(title))</title>"
        s += "<text class=\"title\" x=\"10\" y=\"22\">\(SVG.escape(title))</text>"
        for (i, bar) in bars.enumerated() {
            let y = top + Double(i) * rowHeight
            s += "<text class=\"tick\" x=\"\(n(left - 8))\" y=\"\(n(y + 16))\" text-anchor=\"end\">\(SVG.escape(bar.label))</text>"
            s += "<rect class=\"bar\" data-label=\"\(SVG.escape(bar.label))\" x=\"\(n(left))\" y=\"\(n(y + 4))\" width=\"\(n(barLength(bar.value)))\" height=\"\(n(rowHeight - 8))\" fill=\"\(SVG.palette[0])\"/>"
            s += "<text class=\"tick\" x=\"\(n(left + barLength(bar.value) + 6))\" y=\"\(n(y + 16))\">\(SVG.compact(bar.value))</text>"
        }
        let axisY = top + rowHeight * Double(bars.count) + 4
        s += "<line class=\"axis\" x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(axisY))\" y2=\"\(n(axisY))\"/>"
        s += "<text class=\"label\" x=\"\(n((left + width - right) / 2))\" y=\"\(n(axisY + 24))\" text-anchor=\"middle\">\(SVG.escape(unit))</text>"
        return s + "</svg>"
    }
}
