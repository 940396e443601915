import Foundation

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
        /// Whether the points are joined by a line (false: dots only, e.g. counts of days apart).
        public var line = true
        /// Whether the line is dashed (references such as the diagonal of a calibration plot).
        public var dashed = false
        /// Palette index of the colour, when not the series' own position (a forecast drawn in
        /// the colour of its actuals).
        public var colorIndex: Int?
        /// Indices of points drawn hollow (open circles): points the chart's note warns about,
        /// such as a load the machine's stalls dominated.
        public var hollow: Set<Int> = []
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

    /// Where the plot lies in the chart and what is drawn around it, worked out from the text
    /// it has to hold.
    public struct Layout: Sendable {
        /// The plot's edges, px.
        public var left: Double, top: Double, right: Double, bottom: Double
        /// The chart's full height, px.
        public var height: Double
        /// The title's SVG and the x ticks that fit.
        var title: String, xTicks: [Double]
        /// Each marker label's row above the plot, start and room; the rows used.
        var markerLabels: [(row: Int, start: Double, room: Double?)], markerRows: Int
        /// Legend entries: start x, row, and room for the name.
        var legend: [(x: Double, row: Int, room: Double)]
    }

    static let titleTop = 40.0, markerRow = 14.0, legendRow = 18.0

    /// The layout: margins wide enough for the y tick labels and the last x tick label, rows
    /// above the plot for the marker labels, rows below for the legend.
    public var layout: Layout {
        let (titleSVG, titleExtra) = SVG.title(title, chartWidth: width)
        let yTicks = ticks(yRange, scale: yScale, count: 5)
        let widestY = yTicks.map { SVG.width(SVG.compact($0)) }.max() ?? 0
        let left = max(72, 24 + widestY + 8)
        let xr = xRange
        let tickText = { (t: Double) in xTickLabel?(t) ?? SVG.compact(t) }
        // Tick sets from many to few: fewer nice steps, or every k-th decade on a log axis.
        let decades = xScale == .log ? ticks(xr, scale: .log, count: 0) : []
        let candidates = xScale == .log ? (1...max(1, decades.count)).map { k in stride(from: 0, to: decades.count, by: k).map { decades[$0] } }
                                        : [8, 6, 5, 4, 3, 2].map { ticks(xr, scale: .linear, count: $0) }
        var right = 24.0
        for c in candidates {
            guard let last = c.last else { continue }
            right = max(right, SVG.rightMargin(lastTickLabel: tickText(last), fraction: fraction(last, xr, xScale), left: left, chartWidth: width, minimum: 24))
        }
        let plotRight = width - right
        let position = { (x: Double) in left + self.fraction(x, xr, self.xScale) * (plotRight - left) }
        let xTicks = SVG.fittingTicks(candidates, position: position, label: tickText, within: 2, width - 2)
        let labels = markers.map { m -> (x: Double, text: String, end: Bool) in
            let x = position(m.x)
            return (x + 4, m.label, false)
        }
        let (placed, rows) = SVG.rows(labels, within: left, width - 4, maxRows: 4)
        let top = Self.titleTop + titleExtra + Double(rows) * Self.markerRow
        // Legend rows of the chart's width.
        var legend: [(x: Double, row: Int, room: Double)] = []
        var x = left, row = 0
        var named = Set<String>()
        for line in series where named.insert(line.name).inserted {
            let w = 16 + SVG.width(line.name)
            if x > left && x + w > width - 10 { x = left; row += 1 }
            legend.append((x, row, width - 10 - x - 16))
            x += w + 14
        }
        let legendRows = Double(max(1, row + 1))
        let bottomRoom = 64 + legendRows * Self.legendRow - 4
        let fullHeight = height + titleExtra + Double(rows) * Self.markerRow + (legendRows - 1) * Self.legendRow
        return Layout(left: left, top: top, right: plotRight, bottom: fullHeight - bottomRoom, height: fullHeight,
                      title: titleSVG, xTicks: xTicks, markerLabels: placed, markerRows: rows, legend: legend)
    }

    /// The horizontal pixel position of a data x.
    public func xPosition(_ x: Double) -> Double { xPosition(x, in: layout) }

    /// The vertical pixel position of a data y.
    public func yPosition(_ y: Double) -> Double { yPosition(y, in: layout) }

    func xPosition(_ x: Double, in l: Layout) -> Double { l.left + fraction(x, xRange, xScale) * (l.right - l.left) }

    func yPosition(_ y: Double, in l: Layout, range: ClosedRange<Double>? = nil) -> Double {
        l.top + (1 - fraction(y, range ?? yRange, yScale)) * (l.bottom - l.top)
    }

    /// The chart as an SVG element.
    public func svg() -> String {
        let n = SVG.n, l = layout, yr = yRange, xr = xRange
        func px(_ x: Double) -> Double { l.left + fraction(x, xr, xScale) * (l.right - l.left) }
        func py(_ y: Double) -> Double { yPosition(y, in: l, range: yr) }
        let plotBottom = l.bottom, plotRight = l.right, left = l.left, top = l.top
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(l.height))\" role=\"img\" aria-label=\"\(SVG.escape(title))\">"
        s += l.title
        for band in bands {
            let x0 = px(band.x0), x1 = px(band.x1)
            s += "<rect class=\"band\" x=\"\(n(x0))\" y=\"\(n(top))\" width=\"\(n(max(1, x1 - x0)))\" height=\"\(n(plotBottom - top))\"><title>\(SVG.escape(band.label))</title></rect>"
        }
        for t in ticks(yr, scale: yScale, count: 5) {
            let y = py(t)
            s += "<line class=\"grid\" x1=\"\(n(left))\" x2=\"\(n(plotRight))\" y1=\"\(n(y))\" y2=\"\(n(y))\"/>"
            s += SVG.text(SVG.compact(t), x: left - 6, y: y + 4, cls: "tick", anchor: .end)
        }
        for t in l.xTicks {
            let x = px(t)
            s += "<line class=\"axis\" x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(plotBottom))\" y2=\"\(n(plotBottom + 5))\"/>"
            s += SVG.text(xTickLabel?(t) ?? SVG.compact(t), x: x, y: plotBottom + 18, cls: "tick", anchor: .middle)
        }
        s += "<line class=\"axis\" x1=\"\(n(left))\" x2=\"\(n(plotRight))\" y1=\"\(n(plotBottom))\" y2=\"\(n(plotBottom))\"/>"
        s += "<line class=\"axis\" x1=\"\(n(left))\" x2=\"\(n(left))\" y1=\"\(n(top))\" y2=\"\(n(plotBottom))\"/>"
        s += SVG.text(xLabel, x: (left + plotRight) / 2, y: plotBottom + 36, cls: "label", anchor: .middle, maxWidth: width - 20)
        s += SVG.text(yLabel, x: 0, y: 0, cls: "label", anchor: .middle, maxWidth: plotBottom - top + 20,
                      attributes: " transform=\"translate(16 \(n((top + plotBottom) / 2))) rotate(-90)\"")
        for ref in references {
            let y = py(ref.y)
            s += "<line class=\"reference\" x1=\"\(n(left))\" x2=\"\(n(plotRight))\" y1=\"\(n(y))\" y2=\"\(n(y))\"/>"
            s += SVG.text(ref.label, x: plotRight - 4, y: y - 4, cls: "tick", anchor: .end, maxWidth: (plotRight - left) / 2)
        }
        for area in areas where !area.upper.isEmpty {
            let color = SVG.palette[area.colorOf % SVG.palette.count]
            let outline = area.upper + area.lower.reversed()
            let d = outline.enumerated().map { j, p in "\(j == 0 ? "M" : "L")\(n(px(p.x))) \(n(py(p.y)))" }.joined() + "Z"
            s += "<path class=\"area\" d=\"\(d)\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"><title>\(SVG.escape(area.label))</title></path>"
        }
        for (i, series) in series.enumerated() {
            // Log axes leave out values they cannot show (zero or negative).
            let shown = series.points.indices.filter { j in
                let p = series.points[j]
                return (xScale == .linear || p.x > 0) && (yScale == .linear || p.y > 0)
            }
            guard !shown.isEmpty else { continue }
            let color = SVG.palette[(series.colorIndex ?? i) % SVG.palette.count]
            let d = shown.enumerated().map { k, j in "\(k == 0 ? "M" : "L")\(n(px(series.points[j].x))) \(n(py(series.points[j].y)))" }.joined()
            if series.line {
                s += "<path class=\"series\" data-series=\"\(SVG.escape(series.name))\" d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\"\(series.dashed ? " stroke-dasharray=\"5 4\"" : "")/>"
            }
            for j in shown where series.dots || series.hollow.contains(j) {
                let p = series.points[j]
                let paint = series.hollow.contains(j) ? "fill=\"var(--bg, #fff)\" stroke=\"\(color)\" stroke-width=\"1.6\"" : "fill=\"\(color)\""
                s += "<circle class=\"dot\" cx=\"\(n(px(p.x)))\" cy=\"\(n(py(p.y)))\" r=\"3\" \(paint)/>"
            }
        }
        for (m, place) in zip(markers, l.markerLabels) {
            let x = px(m.x)
            s += "<line class=\"marker\" x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(top))\" y2=\"\(n(plotBottom))\"><title>\(SVG.escape(m.label))</title></line>"
            // Labels stand in rows above the plot, the nearest row first, clear of the data and of each other.
            guard let room = place.room else { continue }
            let y = top - 4 - Double(place.row) * Self.markerRow
            s += SVG.text(m.label, x: place.start, y: y, cls: "marker-label", maxWidth: room + 0.5)
        }
        // Legend under the axis label, in rows.
        var named = Set<String>()
        var entry = 0
        for (i, line) in series.enumerated() where named.insert(line.name).inserted {
            let (lx, row, room) = l.legend[entry]
            entry += 1
            let ly = plotBottom + 64 + Double(row) * Self.legendRow
            let color = SVG.palette[(line.colorIndex ?? i) % SVG.palette.count]
            s += line.dashed ? "<line x1=\"\(n(lx))\" x2=\"\(n(lx + 12))\" y1=\"\(n(ly - 3))\" y2=\"\(n(ly - 3))\" stroke=\"currentColor\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>"
                             : "<rect x=\"\(n(lx))\" y=\"\(n(ly - 9))\" width=\"12\" height=\"12\" fill=\"\(color)\"/>"
            s += SVG.text(line.name, x: lx + 16, y: ly + 1, cls: "legend", maxWidth: room)
        }
        return s + "</svg>"
    }
}
