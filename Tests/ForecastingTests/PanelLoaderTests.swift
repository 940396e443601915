import Forecasting
import Foundation
import Testing
import WarRoomCore

/// A daily panel as CSV text: `series` series of `days` days with a weekly pattern and a promo column.
func panelCSV(series: Int = 3, days: Int = 120, start: String = "2024-01-01", extra: String = "") -> String {
    var text = "unique_id,ds,y,promo\n"
    let first = CivilDate(iso: start)!
    for s in 0..<series {
        for t in 0..<days {
            let promo = t % 30 == 5 ? 1 : 0
            let y = Double(100 * (s + 1)) * [1.0, 0.9, 0.95, 1.0, 1.1, 1.3, 0.75][first.adding(days: t).weekday] * (promo == 1 ? 1.3 : 1)
            text += "s\(s),\(first.adding(days: t)),\(y),\(promo)\n"
        }
    }
    return text + extra
}

func load(_ text: String, _ loader: PanelLoader = PanelLoader()) throws -> PanelLoader.Loaded {
    try loader.load(CSVTable.parse(Data(text.utf8), file: "p.csv"))
}

func loadError(_ text: String, _ loader: PanelLoader = PanelLoader()) -> String {
    do { _ = try load(text, loader); return "no error" } catch { return "\(error)" }
}

@Suite("Reading sales panels in long format")
struct PanelLoaderTests {
    @Test("A well-formed panel: series, grid, weekdays, covariates")
    func wellFormed() throws {
        let l = try load(panelCSV())
        #expect(l.panel.ids == ["s0", "s1", "s2"] && l.panel.length == 120 && l.end == 120)
        #expect(l.panel.values[1][0] == 200 && l.panel.future.map(\.name) == ["promo"])
        #expect(l.dates.first?.description == "2024-01-01" && l.panel.seasonPosition[0] == 0)   // a Monday
        #expect(l.notes.isEmpty)
    }

    @Test("Unsorted rows are sorted and said so; the result is the same")
    func unsorted() throws {
        let lines = panelCSV().split(separator: "\n").map(String.init)
        let shuffled = ([lines[0]] + lines.dropFirst().reversed()).joined(separator: "\n") + "\n"
        let a = try load(panelCSV()), b = try load(shuffled)
        #expect(a.panel.values == b.panel.values)
        #expect(b.notes.contains { $0.hasPrefix("rows were not in (unique_id, ds) order (first out of order: line 2)") })
    }

    @Test("Each broken panel is refused with the file, line, column and series")
    func broken() {
        #expect(loadError("id,ds,y\n") == "p.csv:1:1: unique_id: required column missing (the header has: id, ds, y)")
        #expect(loadError(panelCSV(extra: "s0,2024-04-30,abc,0\n")) == "p.csv:362:3: y (series s0): 'abc' is not a number")
        #expect(loadError(panelCSV(extra: "s0,2024-04-30,-5,0\n")) == "p.csv:362:3: y (series s0): negative value -5.0: sales panels must be ≥ 0")
        #expect(loadError(panelCSV(extra: "s1,2024-02-30,5,0\n")) == "p.csv:362:2: ds (series s1): '2024-02-30' is not a date (YYYY-MM-DD, or a date-time)")
        #expect(loadError(panelCSV(extra: "s1,2024-01-03,5,0\n")) == "p.csv:362:2: ds (series s1): duplicate date 2024-01-03 (also line 124)")
        #expect(loadError(panelCSV(extra: "s1,2024-05-01,5,x\n")) == "p.csv:362:4: promo (series s1): 'x' is not a number")
        // Numbers are decimal and finite: no infinities, overflows or hexadecimal.
        for y in ["inf", "-inf", "1e400", "0x10", "0x1p3"] {
            #expect(loadError(panelCSV(extra: "s0,2024-04-30,\(y),0\n")) == "p.csv:362:3: y (series s0): '\(y)' is not a number")
        }
        #expect(loadError(panelCSV(extra: "s0,2024-04-30,5,1e400\n")) == "p.csv:362:4: promo (series s0): '1e400' is not a number")
        #expect(loadError(panelCSV(extra: ",2024-05-01,5,1\n")) == "p.csv:362:1: unique_id: empty series id")
        // A gap: refused with both lines, or filled with zeros when asked.
        let gap = panelCSV(extra: "s2,2024-05-05,7,0\n")
        #expect(loadError(gap) == "p.csv:362:3: y (series s2): no value for the 5 step(s) before 2024-05-05 (previous value: line 361); fill them or use --gaps zero")
        let filled = try? load(gap, PanelLoader(gaps: .zero))
        #expect(filled?.panel.values[2][120] == 0 && filled?.panel.values[2][125] == 7)
        #expect(filled?.notes.contains("5 missing step(s) inside series filled with 0 (--gaps zero)") == true)
        // Weekly data must sit on one weekly grid.
        let weekly = "unique_id,ds,y\na,2024-01-01,1\na,2024-01-08,2\na,2024-01-16,3\n"
        #expect(loadError(weekly, PanelLoader(frequency: .weekly)) == "p.csv:4:2: ds (series a): 2024-01-16 is not on the weekly grid that starts on 2024-01-01")
    }

    @Test("Short series are left out and named; future rows carry covariates; date-times use their date")
    func handled() throws {
        let text = panelCSV(series: 2, extra: "tiny,2024-01-01,5,0\ntiny,2024-01-02,6,0\ns0,2024-04-30,,1\ns0,2024-05-01 00:00:00,,0\n")
        let l = try load(text, PanelLoader(minimumLength: 30))
        #expect(l.panel.ids == ["s0", "s1"])
        #expect(l.notes.contains("1 series shorter than 30 observations left out: tiny"))
        #expect(l.notes.contains("2 row(s) with an empty y after a series' last value: covariates of the forecast horizon"))
        #expect(l.end == 120 && l.panel.length == 122 && l.panel.future[0].values[0][120] == 1)
        #expect(l.panel.values[0][120].isNaN)
        #expect(loadError(text, PanelLoader(minimumLength: 500)) == "p.csv:1:1: no series with at least 500 observations (3 series, the longest spans 120)")
    }

    @Test("A far-out date in a panel of fewer than 100 rows is named too")
    func farDateSmallPanel() {
        // 3 series × 20 days = 60 rows and one row typed 1900: the typo is not hidden in the 1st percentile.
        var text = "unique_id,ds,y\n"
        let start = CivilDate(iso: "2024-01-01")!
        for s in 0..<3 { for t in 0..<20 { text += "s\(s),\(start.adding(days: t)),\(t + 1)\n" } }
        text += "s1,1900-01-02,4\n"
        let error = loadError(text, PanelLoader(maxBytes: 1 << 20))
        #expect(error.hasPrefix("p.csv:62:2: ds (series s1): the panel would need about"), "\(error)")
        #expect(error.contains("1 row(s) lie far outside the other rows' 2024-01-01 … 2024-01-20: line 62 (unique_id s1, ds 1900-01-02)"), "\(error)")
    }
}
