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
    let right = 90.0, rowHeight = 26.0

    /// Creates a chart.
    public init(title: String, unit: String, bars: [(label: String, value: Double)]) {
        self.title = title
        self.unit = unit
        self.bars = bars
    }

    /// The left edge of the bars: room for the widest label, between 150 px and 40% of the width.
    public var left: Double {
        min(max(150, (bars.map { SVG.width($0.label) }.max() ?? 0) + 20), 0.4 * width)
    }

    /// The largest value on the axis.
    public var maxValue: Double { max(bars.map(\.value).max() ?? 1, 1e-12) }

    /// The pixel length of a bar.
    public func barLength(_ v: Double) -> Double { max(0, v) / maxValue * (width - left - right) }

    /// The chart as an SVG element.
    public func svg() -> String {
        let n = SVG.n, left = self.left
        let (titleSVG, extra) = SVG.title(title, chartWidth: width)
        let top = 40 + extra
        let height = top + rowHeight * Double(bars.count) + 40
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(SVG.escape(title))\">"
        s += titleSVG
        for (i, bar) in bars.enumerated() {
            let y = top + Double(i) * rowHeight
            s += SVG.text(bar.label, x: left - 8, y: y + 16, cls: "tick", anchor: .end, maxWidth: left - 16)
            s += "<rect class=\"bar\" data-label=\"\(SVG.escape(bar.label))\" x=\"\(n(left))\" y=\"\(n(y + 4))\" width=\"\(n(barLength(bar.value)))\" height=\"\(n(rowHeight - 8))\" fill=\"\(SVG.palette[0])\"/>"
            s += SVG.text(SVG.compact(bar.value), x: left + barLength(bar.value) + 6, y: y + 16, cls: "tick", maxWidth: right - 10)
        }
        let axisY = top + rowHeight * Double(bars.count) + 4
        s += "<line class=\"axis\" x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(axisY))\" y2=\"\(n(axisY))\"/>"
        s += SVG.text(unit, x: (left + width - right) / 2, y: axisY + 24, cls: "label", anchor: .middle, maxWidth: width - 20)
        return s + "</svg>"
    }
}
