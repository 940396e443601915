/// A timeline with one lane per category (e.g. alert tiers): a dot per event, shaded spans.
public struct LaneChart {
    /// Title above the chart.
    public var title: String
    /// X axis label (with unit).
    public var xLabel: String
    /// Lane names, top to bottom.
    public var lanes: [String]
    /// Dots: lane index, x, label and weight (the area grows with the weight, e.g. a count).
    public var dots: [(lane: Int, x: Double, label: String, weight: Double)]
    /// Shaded spans.
    public var bands: [LineChart.Band] = []
    /// The x range shown.
    public var xRange: ClosedRange<Double>
    /// The text of an x tick (default: the value, compact), e.g. a date for a day index.
    public var xTickLabel: (@Sendable (Double) -> String)?
    /// Width in pixels.
    public var width = 760.0
    let left = 130.0, right = 24.0, top = 40.0, laneHeight = 34.0

    /// Creates a chart.
    public init(title: String, xLabel: String, lanes: [String], dots: [(lane: Int, x: Double, label: String, weight: Double)],
                xRange: ClosedRange<Double>) {
        self.title = title
        self.xLabel = xLabel
        self.lanes = lanes
        self.dots = dots
        self.xRange = xRange.lowerBound < xRange.upperBound ? xRange : xRange.lowerBound...(xRange.lowerBound + 1)
    }

    /// The horizontal pixel position of a data x.
    public func xPosition(_ x: Double) -> Double {
        left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (width - left - right)
    }

    /// The vertical pixel position of a lane's centre.
    public func yPosition(lane: Int) -> Double { top + (Double(lane) + 0.5) * laneHeight }

    /// A dot's radius: its area is proportional to its weight, the heaviest filling the lane.
    public func radius(_ weight: Double, heaviest: Double) -> Double {
        2 + (laneHeight / 2 - 3) * (max(0, weight) / heaviest).squareRoot()
    }

    /// The chart as an SVG element.
    public func svg() -> String {
        let n = SVG.n
        let plotBottom = top + laneHeight * Double(lanes.count)
        let height = plotBottom + 50
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(SVG.escape(title))\">"
        s += "<title>\(SVG.escape(title))</title><text class=\"title\" x=\"10\" y=\"22\">\(SVG.escape(title))</text>"
        for band in bands {
            let x0 = xPosition(max(band.x0, xRange.lowerBound)), x1 = xPosition(min(band.x1, xRange.upperBound))
            s += "<rect class=\"band\" x=\"\(n(x0))\" y=\"\(n(top))\" width=\"\(n(max(1, x1 - x0)))\" height=\"\(n(plotBottom - top))\"><title>\(SVG.escape(band.label))</title></rect>"
        }
        for (i, lane) in lanes.enumerated() {
            let y = yPosition(lane: i)
            s += "<line class=\"grid\" x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(y))\" y2=\"\(n(y))\"/>"
            s += "<text class=\"tick\" x=\"\(n(left - 8))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(SVG.escape(lane))</text>"
        }
        let heaviest = max(dots.map(\.weight).max() ?? 1, 1)
        for dot in dots where dot.lane >= 0 && dot.lane < lanes.count {
            let color = SVG.palette[dot.lane % SVG.palette.count]
            let r = radius(dot.weight, heaviest: heaviest)
            s += "<circle class=\"dot\" data-lane=\"\(dot.lane)\" cx=\"\(n(xPosition(dot.x)))\" cy=\"\(n(yPosition(lane: dot.lane)))\" r=\"\(n(r))\" fill=\"\(color)\" fill-opacity=\"0.6\"><title>\(SVG.escape(dot.label))</title></circle>"
        }
        s += "<line class=\"axis\" x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(plotBottom))\" y2=\"\(n(plotBottom))\"/>"
        for t in SVG.niceTicks(xRange.lowerBound, xRange.upperBound, count: 8) {
            let x = xPosition(t)
            s += "<text class=\"tick\" x=\"\(n(x))\" y=\"\(n(plotBottom + 16))\" text-anchor=\"middle\">\(SVG.escape(xTickLabel?(t) ?? SVG.compact(t)))</text>"
        }
        s += "<text class=\"label\" x=\"\(n((left + width - right) / 2))\" y=\"\(n(plotBottom + 36))\" text-anchor=\"middle\">\(SVG.escape(xLabel))</text>"
        return s + "</svg>"
    }
}

/// A heat map: rows × columns of values on a sequential colour scale, with optional marks.
public struct Heatmap {
    /// Title above the chart.
    public var title: String
    /// Row names.
    public var rows: [String]
    /// Column count; column j covers x = j.
    public var columns: Int
    /// Values by row then column (nil: no data).
    public var values: [[Double?]]
    /// Marked cells (row, column, label), e.g. alerts.
    public var marks: [(row: Int, column: Int, label: String)] = []
    /// A vertical marker at a column (e.g. a shock onset).
    public var markerColumn: Double?
    /// Text of the colour scale (unit).
    public var unit: String
    /// X axis label.
    public var xLabel: String
    /// The text of a column's tick (default: its index), e.g. a date for a day index.
    public var xTickLabel: (@Sendable (Double) -> String)?
    /// Whether the scale is diverging around zero (a change: red below, blue above) rather than
    /// sequential (a level: light yellow to dark red).
    public var diverging = false
    /// Width in pixels.
    public var width = 760.0
    let left = 110.0, right = 24.0, top = 40.0, rowHeight = 20.0

    /// Creates a heat map.
    public init(title: String, rows: [String], columns: Int, values: [[Double?]], unit: String, xLabel: String) {
        self.title = title
        self.rows = rows
        self.columns = max(1, columns)
        self.values = values
        self.unit = unit
        self.xLabel = xLabel
    }

    /// The value range of the colour scale (symmetric around zero when diverging).
    public var range: ClosedRange<Double> {
        let all = values.flatMap { $0.compactMap { $0 } }.filter(\.isFinite)
        let lo = all.min() ?? 0, hi = all.max() ?? 1
        if diverging {
            let m = max(abs(lo), abs(hi))
            return m > 0 ? -m...m : -1...1
        }
        return lo < hi ? lo...hi : lo...(lo + 1)
    }

    /// The colour of a value: light yellow (low) to dark red (high); diverging, dark red (most
    /// negative) through white (zero) to dark blue (most positive).
    public func color(_ v: Double) -> String {
        let t = max(0, min(1, (v - range.lowerBound) / (range.upperBound - range.lowerBound)))
        var r = Int(255 - 75 * t), g = Int(240 - 200 * t), b = Int(200 - 170 * t)
        if diverging {
            let u = abs(2 * t - 1)
            (r, g, b) = t < 0.5 ? (Int(255 - 75 * u), Int(255 - 215 * u), Int(255 - 215 * u))
                                : (Int(255 - 225 * u), Int(255 - 160 * u), Int(255 - 75 * u))
        }
        func hex(_ x: Int) -> String { let s = String(max(0, min(255, x)), radix: 16); return s.count == 1 ? "0" + s : s }
        return "#" + hex(r) + hex(g) + hex(b)
    }

    /// The chart as an SVG element.
    public func svg() -> String {
        let n = SVG.n
        let cellWidth = (width - left - right) / Double(columns)
        let plotBottom = top + rowHeight * Double(rows.count)
        let height = plotBottom + 64
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(SVG.escape(title))\">"
        s += "<title>\(SVG.escape(title))</title><text class=\"title\" x=\"10\" y=\"22\">\(SVG.escape(title))</text>"
        for (i, row) in rows.enumerated() {
            let y = top + Double(i) * rowHeight
            s += "<text class=\"tick\" x=\"\(n(left - 6))\" y=\"\(n(y + 14))\" text-anchor=\"end\">\(SVG.escape(row))</text>"
            for j in 0..<columns {
                guard i < values.count, j < values[i].count, let v = values[i][j] else { continue }
                s += "<rect class=\"cell\" x=\"\(n(left + Double(j) * cellWidth))\" y=\"\(n(y))\" width=\"\(n(cellWidth + 0.3))\" height=\"\(n(rowHeight - 1))\" fill=\"\(color(v))\"/>"
            }
        }
        for m in marks where m.row < rows.count && m.column < columns {
            let cx = left + (Double(m.column) + 0.5) * cellWidth, cy = top + (Double(m.row) + 0.5) * rowHeight
            s += "<circle class=\"mark\" cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"3\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.2\"><title>\(SVG.escape(m.label))</title></circle>"
        }
        if let c = markerColumn {
            let x = left + c * cellWidth
            s += "<line class=\"marker\" x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(top))\" y2=\"\(n(plotBottom))\"/>"
        }
        for t in SVG.niceTicks(0, Double(columns), count: 8) where t < Double(columns) {
            s += "<text class=\"tick\" x=\"\(n(left + (t + 0.5) * cellWidth))\" y=\"\(n(plotBottom + 14))\" text-anchor=\"middle\">\(SVG.escape(xTickLabel?(t) ?? SVG.compact(t)))</text>"
        }
        s += "<text class=\"label\" x=\"\(n((left + width - right) / 2))\" y=\"\(n(plotBottom + 30))\" text-anchor=\"middle\">\(SVG.escape(xLabel))</text>"
        // Colour scale.
        let lx = left, ly = plotBottom + 40
        for k in 0..<10 {
            let v = range.lowerBound + (range.upperBound - range.lowerBound) * Double(k) / 9
            s += "<rect x=\"\(n(lx + Double(k) * 18))\" y=\"\(n(ly))\" width=\"18\" height=\"10\" fill=\"\(color(v))\"/>"
        }
        s += "<text class=\"legend\" x=\"\(n(lx + 186))\" y=\"\(n(ly + 9))\">\(SVG.escape(L("{0}: {1} to {2}", unit, SVG.compact(range.lowerBound), SVG.compact(range.upperBound))))</text>"
        return s + "</svg>"
    }
}
