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
    /// Prefix sums of each group's mean observed value per series at each step (steps where none
    /// is observed count as 0), and of its observed steps.
    private let groupPrefix: [[Double]], groupFinitePrefix: [[Int]]
    /// Steps over which a series' share of its group is measured.
    let shareWindow: Int
    /// The forecast origin: shares are measured on the year before it.
    let forecastOrigin: Int
    /// Per series, prefix sums of its values and of its group's mean over the steps where both
    /// are observed (for its share of the group over any range in O(1)).
    private let sharePrefix: [(own: [Double], group: [Double])]

    /// Features for forecasts made at `origin`.
    init(panel: SalesPanel, horizon: Int, origin: Int) {
        self.panel = panel
        self.horizon = horizon
        let window = Self.levelWindow(season: panel.season)
        self.window = window
        useDummies = panel.season > 1 && panel.season <= 12
        useYearly = panel.yearFraction != nil && Double(origin) >= panel.stepsPerYear
        shareWindow = Self.shareWindow(season: panel.season)
        forecastOrigin = origin
        var names = ["same_season_vs_level", "recent_vs_level", "pooled_level_vs_level", "group_recent_vs_level"]
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
        func finiteCounts(_ v: [Double]) -> [Int] {
            var p = [Int](repeating: 0, count: v.count + 1)
            for i in v.indices { p[i + 1] = p[i] + (v[i].isFinite ? 1 : 0) }
            return p
        }
        finitePrefix = panel.values.map(finiteCounts)
        pastPrefix = panel.past.map { $0.values.map(sums) }
        let groupCount = (panel.groups.max() ?? -1) + 1
        var total = [[Double]](repeating: [Double](repeating: 0, count: panel.length), count: groupCount)
        var observed = total
        for s in 0..<panel.count {
            let g = panel.groups[s]
            for (t, v) in panel.values[s].enumerated() where v.isFinite { total[g][t] += v; observed[g][t] += 1 }
        }
        let means = zip(total, observed).map { zip($0, $1).map { $1 > 0 ? $0 / $1 : .nan } }
        groupPrefix = means.map(sums)
        sharePrefix = (0..<panel.count).map { s in
            let y = panel.values[s], gm = means[panel.groups[s]]
            var own = [Double](repeating: 0, count: y.count + 1), group = own
            for t in y.indices {
                let both = y[t].isFinite && gm[t].isFinite
                own[t + 1] = own[t] + (both ? y[t] : 0)
                group[t + 1] = group[t] + (both ? gm[t] : 0)
            }
            return (own, group)
        }
        groupFinitePrefix = means.map(finiteCounts)
    }

    /// Steps over which a series' share of its group is measured: a year of days (52 weeks),
    /// else four seasons.
    static func shareWindow(season: Int) -> Int { season <= 7 ? 52 * max(1, season) : 4 * season }

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

    /// log(value / base) clipped to [log 0.05, log 20]; 0 when either is missing (or the base is not
    /// positive): no evidence of a change.
    static func logRatio(_ value: Double, _ base: Double) -> Double {
        guard value.isFinite, base.isFinite, value >= 0, base > 0 else { return 0 }
        return log(min(max(value / base, 0.05), 20))
    }

    /// What one series looks like at one origin, shared by the features of all its horizon steps.
    struct OriginSummary {
        var series: Int, origin: Int, level: Double
        /// log(mean of the window's values at each season position / L).
        var sameSeason: [Double]
        /// log(mean of the last season / L).
        var recent: Double
        /// log(P / L), P being the series' share of its group over the share window times the
        /// group's mean over the level window: a level with far less noise than the series' own
        /// four weeks, as long as the series keeps its share.
        var pooled: Double
        /// log(group's mean over the last season / its mean over the level window).
        var groupRecent: Double
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
        let same = (0..<m).map { p in Self.logRatio(counts[p] > 0 ? sums[p] / counts[p] : .nan, level) }
        let recent = Self.logRatio(mean(s, max(0, o - m), o), level)
        // The series' share of its group: its values over the group's mean on the same steps,
        // over the year before the forecast origin. A training origin leaves out its own
        // targets (they must not inform their features), so its share is as precise as the
        // forecast's and the model learns the weight the forecast deserves.
        let g = panel.groups[s]
        let (ownPrefix, groupSharePrefix) = sharePrefix[s]
        let a = max(0, forecastOrigin - shareWindow), b = forecastOrigin
        let cutA = min(max(o, a), b), cutB = min(max(o + horizon, a), b)
        let own = ownPrefix[b] - ownPrefix[a] - (ownPrefix[cutB] - ownPrefix[cutA])
        let group = groupSharePrefix[b] - groupSharePrefix[a] - (groupSharePrefix[cutB] - groupSharePrefix[cutA])
        func groupWindowMean(_ a: Int, _ b: Int) -> Double {
            let n = groupFinitePrefix[g][b] - groupFinitePrefix[g][a]
            return n > 0 ? (groupPrefix[g][b] - groupPrefix[g][a]) / Double(n) : .nan
        }
        let groupLevel = groupWindowMean(o - window, o)
        let pooledLevel = group > 0 ? own / group * groupLevel : .nan
        let pooled = Self.logRatio(pooledLevel, level)
        let groupRecent = Self.logRatio(groupWindowMean(max(0, o - m), o), groupLevel)
        let covariateWindow = panel.future.map { c -> Double in
            var w = 0.0
            for t in (o - window)..<o where c.values[s][t].isFinite { w += c.values[s][t] }
            return w / Double(window)
        }
        let pastRecent = pastPrefix.map { p in log1p(max(0, p[s][o] - p[s][max(0, o - m)])) }
        return OriginSummary(series: s, origin: o, level: level, sameSeason: same, recent: recent, pooled: pooled,
                             groupRecent: groupRecent, covariateWindow: covariateWindow, pastRecent: pastRecent)
    }

    /// Writes the features of target step `origin + h − 1` (h = 1…horizon) into `row`.
    func fill(_ row: inout [Double], _ x: OriginSummary, h: Int) {
        let s = x.series, o = x.origin
        let d = o + h - 1
        var k = 0
        func put(_ v: Double) { row[k] = v; k += 1 }
        put(x.sameSeason[panel.seasonPosition[d] % max(1, panel.season)])
        put(x.recent)
        put(x.pooled)
        put(x.groupRecent)
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
