import Foundation
import Linalg

/// The features of the global sales models for one (series, origin, target step): what is
/// known at the origin (the last `window` observations, the calendar, planned covariates).
///
/// Everything is relative to the series' level L (mean of the `window` steps before the origin),
/// so one model serves small and large stores alike.
struct SalesFeatures {
    let panel: SalesPanel
    let horizon: Int
    /// Steps of the level window.
    let window: Int
    /// Feature names, in column order.
    let names: [String]
    /// Prefix sums of each series, for window means in O(1).
    private let prefix: [[Double]]
    private let pastPrefix: [[[Double]]]
    private let useDummies: Bool
    /// Yearly Fourier terms, only with a year of history before the origin (else they extrapolate).
    private let useYearly: Bool

    /// Features for forecasts made at `origin`.
    init(panel: SalesPanel, horizon: Int, origin: Int) {
        self.panel = panel
        self.horizon = horizon
        let window = panel.season <= 7 ? 4 * max(1, panel.season) : panel.season
        self.window = window
        useDummies = panel.season > 1 && panel.season <= 12
        useYearly = panel.yearFraction != nil && Double(origin) >= panel.stepsPerYear
        var names = ["same_season_vs_level", "recent_vs_level"]
        if useDummies { names += (1..<panel.season).map { "season_\($0)" } }
        if useYearly { names += ["year_cos1", "year_sin1", "year_cos2", "year_sin2"] }
        names += ["trend_years"]
        for c in panel.future { names += ["\(c.name)", "\(c.name)_window_mean"] }
        for c in panel.past { names += ["\(c.name)_recent_log1p"] }
        self.names = names
        func sums(_ v: [Double]) -> [Double] {
            var p = [Double](repeating: 0, count: v.count + 1)
            for i in v.indices { p[i + 1] = p[i] + (v[i].isFinite ? v[i] : 0) }
            return p
        }
        prefix = panel.values.map(sums)
        pastPrefix = panel.past.map { $0.values.map(sums) }
    }

    /// The first origin with a full level window.
    var firstOrigin: Int { window }

    /// Mean of series `s` over steps [a, b).
    func mean(_ s: Int, _ a: Int, _ b: Int) -> Double { (prefix[s][b] - prefix[s][a]) / Double(b - a) }

    /// The level L of series `s` at origin `o`, or nil when it is not positive.
    func level(_ s: Int, origin o: Int) -> Double? {
        guard o >= window else { return nil }
        let l = mean(s, o - window, o)
        return l > 0 ? l : nil
    }

    /// Writes the features of target step `o + h − 1` (h = 1…horizon) into `row`.
    func fill(_ row: inout [Double], series s: Int, origin o: Int, h: Int, level: Double) {
        let d = o + h - 1
        let y = panel.values[s]
        var k = 0
        func put(_ v: Double) { row[k] = v; k += 1 }
        // Same season position inside the level window.
        let m = max(1, panel.season)
        var same = 0.0, n = 0.0
        var t = o - 1
        while t >= o - window {
            if panel.seasonPosition[t] == panel.seasonPosition[d] { same += y[t]; n += 1 }
            t -= 1
        }
        put(log(min(max((n > 0 ? same / n : level) / level, 0.05), 20)))
        put(log(min(max(mean(s, max(0, o - m), o) / level, 0.05), 20)))
        if useDummies { for p in 1..<panel.season { put(panel.seasonPosition[d] == p ? 1 : 0) } }
        if useYearly, let yf = panel.yearFraction {
            let centre = yf[max(0, o - window / 2)], target = yf[d]
            for harmonic in 1...2 {
                let a = 2 * Double.pi * Double(harmonic)
                put(cos(a * target) - cos(a * centre))
                put(sin(a * target) - sin(a * centre))
            }
        }
        put((Double(d) - (Double(o) - Double(window) / 2)) / panel.stepsPerYear)
        for c in panel.future {
            put(c.values[s][d])
            var w = 0.0
            for t in (o - window)..<o { w += c.values[s][t] }
            put(w / Double(window))
        }
        for (i, _) in panel.past.enumerated() {
            let p = pastPrefix[i][s]
            put(log1p(max(0, p[o] - p[max(0, o - m)])))
        }
    }

    /// Training rows for a forecast at `origin`: earlier origins every season step whose targets
    /// were all observed before `origin`.
    func training(origin: Int, maxOrigins: Int) -> (x: Matrix, y: [Double], level: [Double], originIndex: [Int], h: [Int]) {
        var origins: [Int] = []
        var o = origin - horizon
        while o >= firstOrigin && origins.count < maxOrigins {
            origins.append(o)
            o -= max(1, panel.season)
        }
        var rows: [Double] = [], ys: [Double] = [], levels: [Double] = [], which: [Int] = [], hs: [Int] = []
        var row = [Double](repeating: 0, count: names.count)
        for (oi, o) in origins.enumerated() {
            for s in 0..<panel.count {
                guard let l = level(s, origin: o) else { continue }
                for h in 1...horizon {
                    let target = panel.values[s][o + h - 1]
                    guard target.isFinite else { continue }
                    fill(&row, series: s, origin: o, h: h, level: l)
                    rows += row
                    ys.append(target)
                    levels.append(l)
                    which.append(oi)
                    hs.append(h)
                }
            }
        }
        let x = (try? Matrix(rows: ys.count, columns: names.count, elements: rows)) ?? Matrix(rows: 0, columns: names.count)
        return (x, ys, levels, which, hs)
    }
}
