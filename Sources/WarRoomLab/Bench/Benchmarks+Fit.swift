import Forecasting
import Foundation
import Linalg
import Reporting
import WarRoomCore

extension Benchmarks {
    /// Synthetic logistic data: n rows of p standard-normal features (some correlated), labels
    /// drawn from known coefficients. Deterministic in `seed`.
    static func syntheticLogistic(rows n: Int, features p: Int, seed: UInt64) -> (x: Matrix, y: [Double], truth: [Double]) {
        var x = Matrix(rows: n, columns: p)
        var y = [Double](repeating: 0, count: n)
        var coefRNG = RandomStream(seed: seed, stream: .synthetic, entity: 0)
        let truth = [-1.5] + (0..<p).map { _ in 0.5 * coefRNG.normal() }
        let chunks = 64
        let per = (n + chunks - 1) / chunks
        let parts = parallelMap(chunks) { c -> ([Double], [Double]) in
            var rng = RandomStream(seed: seed, stream: .synthetic, entity: UInt64(c + 1))
            let lo = c * per, hi = min(n, lo + per)
            var xs = [Double](), ys = [Double]()
            xs.reserveCapacity(max(0, hi - lo) * p)
            for _ in lo..<max(lo, hi) {
                var eta = truth[0]
                var previous = 0.0
                for j in 0..<p {
                    // Each feature leans on the previous one, as real features do.
                    let v = 0.6 * previous + 0.8 * rng.normal() + (j % 5 == 0 ? 2 : 0)
                    previous = v
                    xs.append(v)
                    eta += truth[j + 1] * v
                }
                ys.append(rng.uniform() < GLM.sigmoid(eta) ? 1 : 0)
            }
            return (xs, ys)
        }
        var offset = 0
        for (c, part) in parts.enumerated() {
            x.elements.replaceSubrange(offset..<(offset + part.0.count), with: part.0)
            offset += part.0.count
            let lo = c * per
            for (i, v) in part.1.enumerated() { y[lo + i] = v }
        }
        return (x, y, truth)
    }

    /// Synthetic daily sales-like series: level, slow trend, weekly pattern, multiplicative noise.
    static func syntheticDailySeries(count: Int, length: Int, seed: UInt64) -> [[Double]] {
        let week = [1.0, 0.97, 0.98, 1.0, 1.08, 1.12, 0.85]
        return (0..<count).map { i in
            var rng = RandomStream(seed: seed, stream: .synthetic, entity: 1_000_000 + UInt64(i))
            let level = 200 + 800 * rng.uniform(), trend = 0.0004 * rng.normal()
            return (0..<length).map { t in level * (1 + trend * Double(t)) * week[t % 7] * (1 + 0.08 * rng.normal()) }
        }
    }

    /// Model-fitting speed: the logistic model on `rows` × `features` synthetic rows.
    public static func fit(rows: Int, features: Int, repeats: Int, seed: UInt64 = 7) throws -> JSONValue {
        guard (1_000...20_000_000).contains(rows), (1...500).contains(features) else {
            throw LabError("--rows must be 1,000–20,000,000 and --features 1–500")
        }
        let data = syntheticLogistic(rows: rows, features: features, seed: seed)
        var times: [Double] = []
        var fit: GLM?
        for _ in 0..<max(1, repeats) {
            let clock = Stopwatch()
            fit = try GLM.fit(features: data.x, response: data.y, family: .binomial, options: .init(l2: 1))
            times.append(clock.seconds)
        }
        let f = fit!
        var maxZ = 0.0
        for j in f.coefficients.indices where f.standardErrors[j] > 0 {
            maxZ = max(maxZ, abs(f.coefficients[j] - data.truth[j]) / f.standardErrors[j])
        }
        // ETS with model selection (all admissible models, AICc) on daily series with a weekly
        // season, a slow trend and noise, fitted on all cores.
        let seriesCount = 200, length = 730
        let series = syntheticDailySeries(count: seriesCount, length: length, seed: seed)
        var etsTimes: [Double] = []
        var chosen: [String: Int] = [:]
        for _ in 0..<max(1, repeats) {
            let clock = Stopwatch()
            let fits = parallelMap(seriesCount) { i in try? ETS.auto(series[i], period: 7) }
            etsTimes.append(clock.seconds)
            chosen = [:]
            for f in fits { chosen[f.map { $0.model.description } ?? "failed", default: 0] += 1 }
        }
        let etsSeconds = median(etsTimes)
        return .object([
            ("benchmark", .string("fit")),
            ("ets", .object([
                ("series", .int(Int64(seriesCount))), ("length", .int(Int64(length))), ("period", .int(7)),
                ("models_per_series", .int(Int64(ETS.Model.admissible(seasonal: true, positive: true).count))),
                ("seconds", .double(etsSeconds)),
                ("series_per_second", .double(Double(seriesCount) / etsSeconds)),
                ("threads", .int(Int64(ProcessInfo.processInfo.activeProcessorCount))),
                ("chosen", .object(chosen.keys.sorted().map { ($0, .int(Int64(chosen[$0]!))) })),
            ])),
            ("logistic", .object([
                ("rows", .int(Int64(rows))), ("features", .int(Int64(features))),
                ("fit_seconds", .double(median(times))),
                ("fit_seconds_all", .array(times.map { .double($0) })),
                ("iterations", .int(Int64(f.iterations))), ("converged", .bool(f.converged)),
                ("training_log_loss", .double(f.trainingLogLoss)),
                ("max_abs_z_vs_true_coefficients", .double(maxZ)),
            ])),
        ])
    }
}
