/// A report as plain content: headline figures and sections of text, tables and charts.
/// Rendered to HTML (`HTMLReport`) and Markdown (`MarkdownReport`) from the same content.
public struct Report: Sendable {
    /// A headline figure: the name, the value as text, and an optional verdict.
    public struct Figure: Sendable {
        /// What is measured.
        public var label: String
        /// The value, formatted.
        public var value: String
        /// Small print under the value.
        public var note: String
        /// Creates a figure.
        public init(label: String, value: String, note: String = "") {
            self.label = label
            self.value = value
            self.note = note
        }
    }

    /// A table with a header row.
    public struct Table: Sendable {
        /// Column titles.
        public var header: [String]
        /// Rows of cells.
        public var rows: [[String]]
        /// Creates a table.
        public init(header: [String], rows: [[String]]) {
            self.header = header
            self.rows = rows
        }
    }

    /// One block of a section.
    public enum Block: Sendable {
        /// A paragraph of plain text.
        case paragraph(String)
        /// A table.
        case table(Table)
        /// A chart as an SVG element (HTML only; Markdown names it).
        case chart(title: String, svg: String)
    }

    /// A titled section.
    public struct Section: Sendable {
        /// Section title.
        public var title: String
        /// Its blocks in order.
        public var blocks: [Block]
        /// Creates a section.
        public init(title: String, blocks: [Block]) {
            self.title = title
            self.blocks = blocks
        }
    }

    /// Page title.
    public var title: String
    /// One line under the title.
    public var subtitle: String
    /// Headline figures.
    public var figures: [Figure]
    /// Sections in order.
    public var sections: [Section]

    /// Creates a report.
    public init(title: String, subtitle: String, figures: [Figure], sections: [Section]) {
        self.title = title
        self.subtitle = subtitle
        self.figures = figures
        self.sections = sections
    }
}

/// Renders a report as one self-contained HTML file: inline CSS and SVG, no script, no
/// network font, readable on a phone and a laptop, in light and dark.
public enum HTMLReport {
    /// The HTML text.
    public static func render(_ r: Report) -> String {
        var h = """
        <!DOCTYPE html>
        <html lang="\(Language.current.htmlTag)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(SVG.escape(r.title))</title>
        <style>
        :root { color-scheme: light dark; --bg: #ffffff; --fg: #1d2430; --muted: #5b6573; --line: #d5dae1; --card: #f5f7fa;
                --band: rgba(213, 94, 0, 0.12); --marker: #D55E00; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #14181f; --fg: #e6e9ee; --muted: #9aa4b2; --line: #323a46; --card: #1c222b; --band: rgba(230, 159, 0, 0.18); --marker: #E69F00; }
        }
        body { margin: 0; background: var(--bg); color: var(--fg);
               font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
        main { max-width: 980px; margin: 0 auto; padding: 16px; }
        h1 { font-size: 1.6rem; margin: 0.4em 0 0.1em; }
        h2 { font-size: 1.2rem; margin-top: 1.8em; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        .subtitle { color: var(--muted); margin: 0 0 1em; }
        .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; }
        .figure { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
        .figure .label { color: var(--muted); font-size: 0.85rem; }
        .figure .value { font-size: 1.35rem; font-weight: 600; font-variant-numeric: tabular-nums; word-break: break-all; }
        .figure .note { color: var(--muted); font-size: 0.8rem; }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 0.9rem; }
        th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        .scroll { overflow-x: auto; margin: 12px 0 20px; }
        svg.chart { width: 100%; height: auto; display: block; margin: 8px 0 16px; }
        svg.chart text { fill: var(--fg); font-size: 12px; }
        svg.chart .title { font-size: 14px; font-weight: 600; }
        svg.chart .tick, svg.chart .legend { fill: var(--muted); }
        svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
        svg.chart .grid { stroke: var(--line); stroke-width: 1; }
        svg.chart .band { fill: var(--band); }
        svg.chart .marker { stroke: var(--marker); stroke-dasharray: 4 3; stroke-width: 1.5; }
        svg.chart .marker-label { fill: var(--marker); }
        svg.chart .reference { stroke: var(--marker); stroke-width: 1; stroke-dasharray: 2 2; }
        code { font-size: 0.85rem; word-break: break-all; }
        </style>
        </head>
        <body>
        <main>
        <h1>\(SVG.escape(r.title))</h1>
        <p class="subtitle">\(SVG.escape(r.subtitle))</p>

        """
        h += "<section class=\"figures\">\n"
        for f in r.figures {
            h += "<div class=\"figure\"><div class=\"label\">\(SVG.escape(f.label))</div><div class=\"value\">\(SVG.escape(f.value))</div>"
            if !f.note.isEmpty { h += "<div class=\"note\">\(SVG.escape(f.note))</div>" }
            h += "</div>\n"
        }
        h += "</section>\n"
        for section in r.sections {
            h += "<section>\n<h2>\(SVG.escape(section.title))</h2>\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let text): h += "<p>\(SVG.escape(text))</p>\n"
                case .chart(_, let svg): h += svg + "\n"
                case .table(let t):
                    h += "<div class=\"scroll\"><table><thead><tr>" + t.header.map { "<th>\(SVG.escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
                    for row in t.rows { h += "<tr>" + row.map { "<td>\(SVG.escape($0))</td>" }.joined() + "</tr>\n" }
                    h += "</tbody></table></div>\n"
                }
            }
            h += "</section>\n"
        }
        h += "</main>\n</body>\n</html>\n"
        return h
    }
}

/// Renders a report as Markdown (`summary.md`): figures, text and tables; charts are named and
/// left to `index.html`.
public enum MarkdownReport {
    /// The Markdown text.
    public static func render(_ r: Report) -> String {
        var m = "# \(text(r.title))\n\n\(text(r.subtitle))\n\n"
        m += "| \(L("Figure")) | \(L("Value")) | \(L("Note")) |\n|---|---:|---|\n"
        for f in r.figures { m += "| \(cell(f.label)) | \(cell(f.value)) | \(cell(f.note)) |\n" }
        for section in r.sections {
            m += "\n## \(text(section.title))\n\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let paragraph): m += text(paragraph) + "\n\n"
                case .chart(let title, _): m += "*" + text(L("Chart in index.html: {0}.", title)) + "*\n\n"
                case .table(let t):
                    m += "| " + t.header.map(cell).joined(separator: " | ") + " |\n"
                    m += "|" + t.header.enumerated().map { $0.offset == 0 ? "---" : "---:" }.joined(separator: "|") + "|\n"
                    for row in t.rows { m += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
                    m += "\n"
                }
            }
        }
        return m
    }

    private static func cell(_ s: String) -> String { text(s).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }

    /// Text with `<` as `&lt;`: Markdown passes raw HTML through, so a name such as
    /// `<script>` from a scenario or rule file would otherwise become markup where it is shown.
    private static func text(_ s: String) -> String { s.replacingOccurrences(of: "<", with: "&lt;") }
}
