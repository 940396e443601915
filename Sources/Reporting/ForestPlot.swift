/// A forest plot: one row per estimate, a dot at the estimate and a bar over its confidence
/// interval, with a vertical line at zero (no difference).
public struct ForestPlot {
    /// One row.
    public struct Row {
        /// What the row estimates (shown at its left, on up to two lines).
        public var label: String
        /// The estimate and its interval's bounds.
        public var estimate: Double, low: Double, high: Double
        /// Creates a row.
        public init(label: String, estimate: Double, low: Double, high: Double) {
            self.label = label
            self.estimate = estimate
            self.low = low
            self.high = high
        }
    }

    /// Title above the plot.
    public var title: String
    /// X axis label (with unit).
    public var xLabel: String
    /// The rows, top to bottom.
    public var rows: [Row]
    /// Width in pixels.
    public var width = 760.0
    let right = 30.0, bottom = 56.0

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

    /// The left edge of the plot: room for the longest label on one line, at most 45% of the width.
    public var left: Double { min(max(120, (rows.map { SVG.width($0.label) }.max() ?? 0) + 20), 0.45 * width) }

    /// Each row's label as drawn: wrapped into at most two lines of the room at the left, and when
    /// two rows would then read alike, their ends kept whole instead of their beginnings.
    public var labelLines: [[String]] {
        let room = left - 16
        var lines = rows.map { TextMetrics.wrapped($0.label, width: room, size: SVG.textSize, maxLines: 2) }
        let shown = lines.map { $0.joined(separator: " ") }
        for i in rows.indices where shown.indices.contains(where: { $0 != i && shown[$0] == shown[i] && rows[$0].label != rows[i].label }) {
            lines[i] = Self.keepingEnd(rows[i].label, room: room)
        }
        return lines
    }

    /// A label's first line shortened and its last line its end, whole: "Accounts lost at…" over
    /// "… the start: respond-in-4h".
    static func keepingEnd(_ label: String, room: Double) -> [String] {
        let chars = Array(label)
        var k = chars.count
        while k > 0 && TextMetrics.width("…" + String(chars[(k - 1)...]), size: SVG.textSize) <= room { k -= 1 }
        let tail = "…" + String(chars[k...]).trimmedLeadingSpaces
        return [TextMetrics.shortened(String(chars[..<k]), toFit: room, size: SVG.textSize), tail]
    }

    /// The height of a row: two lines' worth when any label wraps.
    var rowHeight: Double { labelLines.contains { $0.count > 1 } ? 34 : 24 }

    /// The horizontal pixel position of a value.
    public func xPosition(_ x: Double) -> Double {
        let r = xRange
        return left + (x - r.lowerBound) / (r.upperBound - r.lowerBound) * (width - left - right)
    }

    /// The chart as an SVG element.
    public func svg() -> String {
        let n = SVG.n, left = self.left, rowHeight = self.rowHeight, labels = labelLines
        let (titleSVG, extra) = SVG.title(title, chartWidth: width)
        let top = 40 + extra
        let height = top + Double(max(1, rows.count)) * rowHeight + bottom
        let plotBottom = height - bottom
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(SVG.escape(title))\">"
        s += titleSVG
        let candidates = [6, 5, 4, 3, 2].map { SVG.niceTicks(xRange.lowerBound, xRange.upperBound, count: $0) }
        for t in SVG.fittingTicks(candidates, position: xPosition, label: SVG.compact, within: left - 20, width - 2) {
            let x = xPosition(t)
            s += "<line class=\"grid\" x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(top))\" y2=\"\(n(plotBottom))\"/>"
            s += SVG.text(SVG.compact(t), x: x, y: plotBottom + 16, cls: "tick", anchor: .middle)
        }
        let zero = xPosition(0)
        s += "<line class=\"reference\" x1=\"\(n(zero))\" x2=\"\(n(zero))\" y1=\"\(n(top))\" y2=\"\(n(plotBottom))\"/>"
        for (i, r) in rows.enumerated() {
            let y = top + (Double(i) + 0.5) * rowHeight
            let lines = labels[i], first = y + 4 - Double(lines.count - 1) * 7
            let tip = lines.joined(separator: " ") == r.label ? "" : "<title>\(SVG.escape(r.label))</title>"
            for (k, line) in lines.enumerated() {
                s += "<text class=\"tick\" x=\"\(n(left - 8))\" y=\"\(n(first + Double(k) * 14))\" text-anchor=\"end\">\(SVG.escape(line))\(tip)</text>"
            }
            guard r.estimate.isFinite else { continue }
            if r.low.isFinite && r.high.isFinite {
                s += "<line class=\"interval\" x1=\"\(n(xPosition(r.low)))\" x2=\"\(n(xPosition(r.high)))\" y1=\"\(n(y))\" y2=\"\(n(y))\" stroke=\"\(SVG.palette[0])\" stroke-width=\"2\"/>"
            }
            s += "<circle class=\"estimate\" cx=\"\(n(xPosition(r.estimate)))\" cy=\"\(n(y))\" r=\"4\" fill=\"\(SVG.palette[0])\"><title>\(SVG.escape(r.label)): \(SVG.compact(r.estimate)) [\(SVG.compact(r.low)), \(SVG.compact(r.high))]</title></circle>"
        }
        s += SVG.text(xLabel, x: (left + width - right) / 2, y: plotBottom + 40, cls: "label", anchor: .middle, maxWidth: width - 20)
        return s + "</svg>"
    }
}
