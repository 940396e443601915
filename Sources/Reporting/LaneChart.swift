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
    let left = 130.0, laneHeight = 34.0

    /// Creates a chart.
    public init(title: String, xLabel: String, lanes: [String], dots: [(lane: Int, x: Double, label: String, weight: Double)],
                xRange: ClosedRange<Double>) {
        self.title = title
        self.xLabel = xLabel
        self.lanes = lanes
        self.dots = dots
        self.xRange = xRange.lowerBound < xRange.upperBound ? xRange : xRange.lowerBound...(xRange.lowerBound + 1)
    }

    /// The height the title takes beyond one line.
    var titleExtra: Double { SVG.title(title, chartWidth: width).extra }

    /// The top of the lanes, below the title.
    var top: Double { 40 + titleExtra }

    /// The right margin: room for the last tick's label.
    var right: Double {
        let ticks = SVG.niceTicks(xRange.lowerBound, xRange.upperBound, count: 8)
        guard let last = ticks.last else { return 24 }
        return SVG.rightMargin(lastTickLabel: tickText(last), fraction: (last - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound),
                               left: left, chartWidth: width, minimum: 24)
    }

    /// The text of an x tick.
    func tickText(_ t: Double) -> String { xTickLabel?(t) ?? SVG.compact(t) }

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
        let n = SVG.n, top = self.top, right = self.right
        let plotBottom = top + laneHeight * Double(lanes.count)
        let height = plotBottom + 50
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(SVG.escape(title))\">"
        s += SVG.title(title, chartWidth: width).svg
        for band in bands {
            let x0 = xPosition(max(band.x0, xRange.lowerBound)), x1 = xPosition(min(band.x1, xRange.upperBound))
            s += "<rect class=\"band\" x=\"\(n(x0))\" y=\"\(n(top))\" width=\"\(n(max(1, x1 - x0)))\" height=\"\(n(plotBottom - top))\"><title>\(SVG.escape(band.label))</title></rect>"
        }
        for (i, lane) in lanes.enumerated() {
            let y = yPosition(lane: i)
            s += "<line class=\"grid\" x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(y))\" y2=\"\(n(y))\"/>"
            s += SVG.text(lane, x: left - 8, y: y + 4, cls: "tick", anchor: .end, maxWidth: left - 16)
        }
        let heaviest = max(dots.map(\.weight).max() ?? 1, 1)
        for dot in dots where dot.lane >= 0 && dot.lane < lanes.count {
            let color = SVG.palette[dot.lane % SVG.palette.count]
            let r = radius(dot.weight, heaviest: heaviest)
            s += "<circle class=\"dot\" data-lane=\"\(dot.lane)\" cx=\"\(n(xPosition(dot.x)))\" cy=\"\(n(yPosition(lane: dot.lane)))\" r=\"\(n(r))\" fill=\"\(color)\" fill-opacity=\"0.6\"><title>\(SVG.escape(dot.label))</title></circle>"
        }
        s += "<line class=\"axis\" x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(plotBottom))\" y2=\"\(n(plotBottom))\"/>"
        let candidates = [8, 6, 5, 4, 3, 2].map { SVG.niceTicks(xRange.lowerBound, xRange.upperBound, count: $0) }
        for t in SVG.fittingTicks(candidates, position: xPosition, label: tickText, within: 2, width - 2) {
            s += SVG.text(tickText(t), x: xPosition(t), y: plotBottom + 16, cls: "tick", anchor: .middle)
        }
        s += SVG.text(xLabel, x: (left + width - right) / 2, y: plotBottom + 36, cls: "label", anchor: .middle, maxWidth: width - 20)
        return s + "</svg>"
    }
}
