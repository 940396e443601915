/// A forest plot: one row per estimate, a dot at the estimate and a bar over its confidence
/// interval, with a vertical line at zero (no difference).
public struct ForestPlot {
    /// One row.
    public struct Row {
        public var label: String
        public var estimate: Double, low: Double, high: Double
        /// Creates a row.
        public init(label: String, estimate: Double, low: Double, high: Double) {
            self.label = label
            self.estimate = estimate
            self.low = low
            self.high = high
        }
    }

    public var title: String
    public var xLabel: String
    public var rows: [Row]
    public var width = 760.0
    let left = 300.0, right = 30.0, top = 40.0, rowHeight = 24.0, bottom = 56.0

    /// Creates a plot.
    public init(title: String, xLabel: String, rows: [Row]) {
        self.title = title
        self.xLabel = xLabel
        self.rows = rows
    }

    /// The x range shown: every interval and zero.
    public var xRange: ClosedRange<Double> {
        let xs = rows.flatMap { [$0.low, $0.high, $0.estimate] }.filter(\.isFinite) + [0]
        let lo = xs.min() ?? -1, hi = xs.max() ?? 1
        let pad = max((hi - lo) * 0.05, 1e-9)
        return (lo - pad)...(hi + pad)
    }

    /// The horizontal pixel position of a value.
    public func xPosition(_ x: Double) -> Double {
        let r = xRange
        return left + (x - r.lowerBound) / (r.upperBound - r.lowerBound) * (width - left - right)
    }

    /// The chart as an SVG element.
    public func svg() -> String {
        let n = SVG.n
        let height = top + Double(max(1, rows.count)) * rowHeight + bottom
        let plotBottom = height - bottom
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(SVG.escape(title))\">"
        s += "<title>\(SVG.escape(title))</title><text class=\"title\" x=\"12\" y=\"22\">\(SVG.escape(title))</text>"
        for t in SVG.niceTicks(xRange.lowerBound, xRange.upperBound, count: 6) {
            let x = xPosition(t)
            s += "<line class=\"grid\" x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(top))\" y2=\"\(n(plotBottom))\"/>"
            s += "<text class=\"tick\" x=\"\(n(x))\" y=\"\(n(plotBottom + 16))\" text-anchor=\"middle\">\(SVG.compact(t))</text>"
        }
        let zero = xPosition(0)
        s += "<line class=\"reference\" x1=\"\(n(zero))\" x2=\"\(n(zero))\" y1=\"\(n(top))\" y2=\"\(n(plotBottom))\"/>"
        for (i, r) in rows.enumerated() {
            let y = top + (Double(i) + 0.5) * rowHeight
            s += "<text class=\"tick\" x=\"\(n(left - 8))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(SVG.escape(r.label))</text>"
            guard r.estimate.isFinite else { continue }
            if r.low.isFinite && r.high.isFinite {
                s += "<line class=\"interval\" x1=\"\(n(xPosition(r.low)))\" x2=\"\(n(xPosition(r.high)))\" y1=\"\(n(y))\" y2=\"\(n(y))\" stroke=\"\(SVG.palette[0])\" stroke-width=\"2\"/>"
            }
            s += "<circle class=\"estimate\" cx=\"\(n(xPosition(r.estimate)))\" cy=\"\(n(y))\" r=\"4\" fill=\"\(SVG.palette[0])\"><title>\(SVG.escape(r.label)): \(SVG.compact(r.estimate)) [\(SVG.compact(r.low)), \(SVG.compact(r.high))]</title></circle>"
        }
        s += "<text class=\"label\" x=\"\(n((left + width - right) / 2))\" y=\"\(n(plotBottom + 40))\" text-anchor=\"middle\">\(SVG.escape(xLabel))</text>"
        return s + "</svg>"
    }
}
