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
    let rowHeight = 20.0

    /// Creates a heat map.
    public init(title: String, rows: [String], columns: Int, values: [[Double?]], unit: String, xLabel: String) {
        self.title = title
        self.rows = rows
        self.columns = max(1, columns)
        self.values = values
        self.unit = unit
        self.xLabel = xLabel
    }

    /// The left edge of the cells: room for the longest row name, between 110 px and 30% of the width.
    public var left: Double { min(max(110, (rows.map { SVG.width($0) }.max() ?? 0) + 16), 0.3 * width) }

    /// The right margin: room for the last tick's label.
    var right: Double {
        let cell = (width - left - 24) / Double(columns)
        guard let last = ticks(cellWidth: cell).last else { return 24 }
        let centre = left + (last + 0.5) * cell, half = SVG.width(tickText(last)) / 2 + 2
        return max(24, 24 + centre + half - width)
    }

    /// The text of a column's tick.
    func tickText(_ t: Double) -> String { xTickLabel?(t) ?? SVG.compact(t) }

    /// Column ticks whose labels stand apart, for cells of the given width.
    func ticks(cellWidth: Double) -> [Double] {
        let candidates = [8, 6, 5, 4, 3, 2].map { c in SVG.niceTicks(0, Double(columns), count: c).filter { $0 < Double(columns) } }
        return SVG.fittingTicks(candidates, position: { self.left + ($0 + 0.5) * cellWidth }, label: tickText, within: 2, .infinity)
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
        let n = SVG.n, left = self.left, right = self.right
        let (titleSVG, extra) = SVG.title(title, chartWidth: width)
        let top = 40 + extra
        let cellWidth = (width - left - right) / Double(columns)
        let plotBottom = top + rowHeight * Double(rows.count)
        let height = plotBottom + 64
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(SVG.escape(title))\">"
        s += titleSVG
        for (i, row) in rows.enumerated() {
            let y = top + Double(i) * rowHeight
            s += SVG.text(row, x: left - 6, y: y + 14, cls: "tick", anchor: .end, maxWidth: left - 12)
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
        for t in ticks(cellWidth: cellWidth) {
            s += SVG.text(tickText(t), x: left + (t + 0.5) * cellWidth, y: plotBottom + 14, cls: "tick", anchor: .middle)
        }
        s += SVG.text(xLabel, x: (left + width - right) / 2, y: plotBottom + 30, cls: "label", anchor: .middle, maxWidth: width - 20)
        // Colour scale.
        let lx = left, ly = plotBottom + 40
        for k in 0..<10 {
            let v = range.lowerBound + (range.upperBound - range.lowerBound) * Double(k) / 9
            s += "<rect x=\"\(n(lx + Double(k) * 18))\" y=\"\(n(ly))\" width=\"18\" height=\"10\" fill=\"\(color(v))\"/>"
        }
        s += SVG.text(L("{0}: {1} to {2}", unit, SVG.compact(range.lowerBound), SVG.compact(range.upperBound)), x: lx + 186, y: ly + 9, cls: "legend",
                      maxWidth: width - 10 - lx - 186)
        return s + "</svg>"
    }
}
