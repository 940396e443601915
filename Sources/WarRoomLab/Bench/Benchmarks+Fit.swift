import Forecasting
import Foundation
import WarRoomCore

extension Benchmarks {
    /// Synthetic daily sales-like series: level, slow trend, weekly pattern, multiplicative noise.
    static func syntheticDailySeries(count: Int, length: Int, seed: UInt64) -> [[Double]] {
        let week = [1.0, 0.97, 0.98, 1.0, 1.08, 1.12, 0.85]
        return (0..<count).map { i in
            var rng = RandomStream(seed: seed, stream: .synthetic, entity: 1_000_000 + UInt64(i))
            let level = 200 + 800 * rng.uniform(), trend = 0.0004 * rng.normal()
            return (0..<length).map { t in level * (1 + trend * Double(t)) * week[t % 7] * (1 + 0.08 * rng.normal()) }
        }
    }

    /// Model-fitting speed: the logistic model on `rows` × `features` synthetic rows, then ETS
    /// with model selection on synthetic daily series.
    public static func fit(rows: Int, features: Int, repeats: Int, seed: UInt64 = 7) throws -> FitBenchmark {
        guard (1_000...20_000_000).contains(rows), (1...500).contains(features) else {
            throw LabError("--rows must be 1,000–20,000,000 and --features 1–500")
        }
        let data = SyntheticLogisticData(rows: rows, features: features, seed: seed)
        var times: [Double] = []
        var fit: GLM?
        for _ in 0..<max(1, repeats) {
            let clock = Stopwatch()
            fit = try data.fit(l2: 1)
            times.append(clock.seconds)
        }
        let f = fit!
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
        return FitBenchmark(etsSeries: seriesCount, etsLength: length, etsPeriod: 7,
                            etsModelsPerSeries: ETS.Model.admissible(seasonal: true, positive: true).count,
                            etsSeconds: etsSeconds, etsSeriesPerSecond: Double(seriesCount) / etsSeconds,
                            etsThreads: ProcessInfo.processInfo.activeProcessorCount,
                            etsChosen: chosen.keys.sorted().map { ($0, chosen[$0]!) },
                            logisticRows: rows, logisticFeatures: features, logisticFitSeconds: median(times), logisticFitSecondsAll: times,
                            logisticIterations: f.iterations, logisticConverged: f.converged, logisticTrainingLogLoss: f.trainingLogLoss,
                            logisticMaxAbsZ: data.largestZ(of: f))
    }
}
