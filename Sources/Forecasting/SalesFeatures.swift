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
    /// Prefix counts of finite values (a series may start late or end early).
    private let finitePrefix: [[Int]]
    private let pastPrefix: [[[Double]]]
    private let useDummies: Bool
    /// Yearly Fourier terms, only with a year of history before the origin (else they extrapolate).
    private let useYearly: Bool

    /// Features for forecasts made at `origin`.
    init(panel: SalesPanel, horizon: Int, origin: Int) {
        self.panel = panel
        self.horizon = horizon
        let window = Self.levelWindow(season: panel.season)
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
        finitePrefix = panel.values.map { v in
            var p = [Int](repeating: 0, count: v.count + 1)
            for i in v.indices { p[i + 1] = p[i] + (v[i].isFinite ? 1 : 0) }
            return p
        }
        pastPrefix = panel.past.map { $0.values.map(sums) }
    }

    /// Steps of the level window for a seasonal period: four weeks of days, else one season.
    static func levelWindow(season: Int) -> Int { season <= 7 ? 4 * max(1, season) : season }

    /// The first origin with a full level window.
    var firstOrigin: Int { window }

    /// Mean of series `s`'s observed values over steps [a, b) (NaN when it has none there).
    func mean(_ s: Int, _ a: Int, _ b: Int) -> Double {
        let n = finitePrefix[s][b] - finitePrefix[s][a]
        return n > 0 ? (prefix[s][b] - prefix[s][a]) / Double(n) : .nan
    }

    /// The level L of series `s` at origin `o`: the mean of the whole window before it, or nil
    /// when the window is not fully observed or the level is not positive.
    func level(_ s: Int, origin o: Int) -> Double? {
        guard o >= window, finitePrefix[s][o] - finitePrefix[s][o - window] == window else { return nil }
        let l = mean(s, o - window, o)
        return l > 0 ? l : nil
    }

    /// What one series looks like at one origin, shared by the features of all its horizon steps.
    struct OriginSummary {
        var series: Int, origin: Int, level: Double
        /// log(mean of the window's values at each season position / L).
        var sameSeason: [Double]
        /// log(mean of the last season / L).
        var recent: Double
        /// Each covariate's mean over the level window.
        var covariateWindow: [Double]
        /// Each past covariate's log1p(sum over the last season).
        var pastRecent: [Double]
    }

    /// The summary of series `s` at origin `o`, given its level.
    func summary(series s: Int, origin o: Int, level: Double) -> OriginSummary {
        let y = panel.values[s]
        let m = max(1, panel.season)
        var sums = [Double](repeating: 0, count: m), counts = [Double](repeating: 0, count: m)
        for t in (o - window)..<o where y[t].isFinite {
            let p = panel.seasonPosition[t] % m
            sums[p] += y[t]; counts[p] += 1
        }
        let same = (0..<m).map { p in log(min(max((counts[p] > 0 ? sums[p] / counts[p] : level) / level, 0.05), 20)) }
        let recentMean = mean(s, max(0, o - m), o)
        let recent = log(min(max((recentMean.isFinite ? recentMean : level) / level, 0.05), 20))
        let covariateWindow = panel.future.map { c -> Double in
            var w = 0.0
            for t in (o - window)..<o where c.values[s][t].isFinite { w += c.values[s][t] }
            return w / Double(window)
        }
        let pastRecent = pastPrefix.map { p in log1p(max(0, p[s][o] - p[s][max(0, o - m)])) }
        return OriginSummary(series: s, origin: o, level: level, sameSeason: same, recent: recent, covariateWindow: covariateWindow, pastRecent: pastRecent)
    }

    /// Writes the features of target step `origin + h − 1` (h = 1…horizon) into `row`.
    func fill(_ row: inout [Double], _ x: OriginSummary, h: Int) {
        let s = x.series, o = x.origin
        let d = o + h - 1
        var k = 0
        func put(_ v: Double) { row[k] = v; k += 1 }
        put(x.sameSeason[panel.seasonPosition[d] % max(1, panel.season)])
        put(x.recent)
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
        for (i, c) in panel.future.enumerated() {
            let v = c.values[s][d]
            put(v.isFinite ? v : 0)
            put(x.covariateWindow[i])
        }
        for v in x.pastRecent { put(v) }
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
                let summary = summary(series: s, origin: o, level: l)
                for h in 1...horizon {
                    let target = panel.values[s][o + h - 1]
                    guard target.isFinite else { continue }
                    fill(&row, summary, h: h)
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
