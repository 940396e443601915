/// Text laid out to fit: titles wrapped, labels shortened with their full text on hover, tick
/// labels thinned until they stand apart, legends wrapped into rows, labels stacked in rows so
/// that they never cover each other. Sizes are those of the report's style sheet.
extension SVG {
    /// Font size of chart text, px (`svg.chart text`).
    public static let textSize = 12.0
    /// Font size of chart titles, px (`svg.chart .title`, bold).
    public static let titleSize = 14.0
    /// Distance between the baselines of two title lines, px.
    static let titleLine = 18.0
    /// Space kept between two labels on one line, px.
    static let labelGap = 8.0

    /// How a text element is anchored at its x.
    public enum Anchor: String, Sendable {
        /// Text begins at x.
        case start
        /// Text is centred on x.
        case middle
        /// Text ends at x.
        case end
    }

    /// A `<text>` element no wider than `maxWidth`: shortened at a word boundary when it does not
    /// fit, with its full text in a `<title>` (shown on hover).
    ///
    /// - Parameters:
    ///   - text: the full text.
    ///   - x: the anchor's position.
    ///   - y: the baseline.
    ///   - cls: the element's class (`tick`, `label`, `legend`, `marker-label`, `title`).
    ///   - anchor: where x lies in the text.
    ///   - maxWidth: the room, px (unbounded when infinite).
    ///   - attributes: further attributes, with a leading space (e.g. a transform).
    public static func text(_ text: String, x: Double, y: Double, cls: String, anchor: Anchor = .start,
                            maxWidth: Double = .infinity, attributes: String = "") -> String {
        let size = cls == "title" ? titleSize : textSize
        let shown = maxWidth.isFinite ? TextMetrics.shortened(text, toFit: max(0, maxWidth), size: size, bold: cls == "title") : text
        let a = anchor == .start ? "" : " text-anchor=\"\(anchor.rawValue)\""
        let tip = shown == text ? "" : "<title>\(escape(text))</title>"
        return "<text class=\"\(cls)\" x=\"\(n(x))\" y=\"\(n(y))\"\(a)\(attributes)>\(escape(shown))\(tip)</text>"
    }

    /// The width of chart text (not a title), px.
    static func width(_ text: String) -> Double { TextMetrics.width(text, size: textSize) }

    /// A chart's title from (10, 22), wrapped into at most three lines of the chart's width: its
    /// SVG and the height it takes beyond one line.
    static func title(_ text: String, chartWidth: Double) -> (svg: String, extra: Double) {
        let lines = TextMetrics.wrapped(text, width: chartWidth - 20, size: titleSize, bold: true, maxLines: 3)
        var s = "<title>\(escape(text))</title>"
        for (i, line) in lines.enumerated() {
            s += "<text class=\"title\" x=\"10\" y=\"\(n(22 + Double(i) * titleLine))\">\(escape(line))"
            s += line != text && i == lines.count - 1 && line.hasSuffix("…") ? "<title>\(escape(text))</title></text>" : "</text>"
        }
        return (s, Double(lines.count - 1) * titleLine)
    }

    /// The first of `candidates` (tick sets from many to few) whose labels, centred on their
    /// positions, keep `labelGap` apart and stay inside [minX, maxX]; the last candidate's first and
    /// last ticks when none does.
    static func fittingTicks(_ candidates: [[Double]], position: (Double) -> Double, label: (Double) -> String,
                             within minX: Double, _ maxX: Double) -> [Double] {
        for ticks in candidates {
            let spans = ticks.map { t -> (Double, Double) in
                let x = position(t), w = width(label(t))
                return (x - w / 2, x + w / 2)
            }
            let apart = zip(spans, spans.dropFirst()).allSatisfy { $0.1 + labelGap <= $1.0 }
            if apart && spans.allSatisfy({ $0.0 >= minX && $0.1 <= maxX }) { return ticks }
        }
        guard let last = candidates.last, let first = last.first else { return [] }
        return last.count > 1 ? [first, last[last.count - 1]] : [first]
    }

    /// The right margin a plot needs so that the label of its last x tick, centred on the tick,
    /// ends inside the chart: at least `minimum`.
    ///
    /// `fraction` is where the tick lies along the plot (0…1), `left` the plot's left edge.
    static func rightMargin(lastTickLabel: String, fraction: Double, left: Double, chartWidth: Double, minimum: Double) -> Double {
        let half = width(lastTickLabel) / 2 + 2
        guard fraction > 0 else { return minimum }
        // left + fraction · (W − left − right) + half ≤ W
        let plot = (chartWidth - half - left) / fraction
        return max(minimum, chartWidth - left - plot)
    }

    /// Labels placed in rows so that none covers another: each label wants to begin at its x
    /// (end there when `end` is set) and goes into the first row where it stands `labelGap` clear
    /// of the label before it; after `maxRows` rows, it goes into the emptiest row, shortened to
    /// the room left there. Returns each label's row, start x and room (nil: no room at all).
    static func rows(_ labels: [(x: Double, text: String, end: Bool)], within minX: Double, _ maxX: Double,
                     maxRows: Int) -> (placed: [(row: Int, start: Double, room: Double?)], rows: Int) {
        var ends: [Double] = []
        var placed = Array(repeating: (row: 0, start: 0.0, room: Double?.none), count: labels.count)
        for i in labels.indices.sorted(by: { labels[$0].x < labels[$1].x }) {
            let l = labels[i], w = min(width(l.text), maxX - minX)
            let start = max(minX, min(l.end ? l.x - w : l.x, maxX - w))
            if let r = ends.firstIndex(where: { $0 + labelGap <= start }) {
                ends[r] = start + w
                placed[i] = (r, start, w)
            } else if ends.count < maxRows {
                ends.append(start + w)
                placed[i] = (ends.count - 1, start, w)
            } else {
                let r = ends.indices.min { ends[$0] < ends[$1] }!
                let from = max(start, ends[r] + labelGap), room = maxX - from
                let short = TextMetrics.shortened(l.text, toFit: room, size: textSize)
                guard room >= 24, short != "…" else { placed[i] = (r, from, nil); continue }
                ends[r] = from + width(short)
                placed[i] = (r, from, room)
            }
        }
        return (placed, ends.count)
    }
}
