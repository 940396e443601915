import Foundation
import Histogram

/// The wall-clock figures of a run: the only parts of its report that simulating the same
/// scenario and seed again cannot reproduce. Kept in the run store as JSON so that
/// `warroom report RUN` re-creates the report byte for byte (the alerts' emission latencies are
/// kept with the alerts themselves).
struct RunMeasurements: Codable, Equatable {
    /// Start of the run, ISO 8601.
    var startedAt: String
    /// Seconds inside the simulator, all days and live days.
    var simulationSeconds: Double, liveSimulationSeconds: Double
    /// Seconds spent recording events, when they were recorded.
    var recordSeconds: Double?
    /// Seconds for the whole run.
    var wallSeconds: Double
    /// Peak resident memory.
    var peakResidentMiB: Double?
    /// Seconds inside the alert engine.
    var engineSeconds: Double?
    /// The processing-time histogram as (value, count) pairs, one per non-empty bucket.
    var processing: [[UInt64]]
    /// Fit seconds of the sales and volume backtests' models (in model order) and of each churn refit.
    var salesFitSeconds: [Double], volumeFitSeconds: [Double], churnFitSeconds: [Double]
    /// The engine's latency against offered load on the run's first live days.
    var loadCurve: RunLoadCurve?

    /// The run's timing.
    var timing: RunTiming {
        RunTiming(simulationSeconds: simulationSeconds, liveSimulationSeconds: liveSimulationSeconds, recordSeconds: recordSeconds,
                  wallSeconds: wallSeconds, peakResidentMiB: peakResidentMiB)
    }

    /// Takes the measurements of a finished run.
    init(startedAt: String, timing: RunTiming, stage: AlertingStage?, models: ModelOutcome) {
        self.startedAt = startedAt
        simulationSeconds = timing.simulationSeconds
        liveSimulationSeconds = timing.liveSimulationSeconds
        recordSeconds = timing.recordSeconds
        wallSeconds = timing.wallSeconds
        peakResidentMiB = timing.peakResidentMiB
        engineSeconds = stage?.engineSeconds
        processing = stage.map { Self.pairs($0.processing) } ?? []
        if case .evaluated(let e) = models {
            salesFitSeconds = e.sales.scores.map(\.fitSeconds)
            volumeFitSeconds = e.volume.scores.map(\.fitSeconds)
            churnFitSeconds = e.churn?.fitSeconds ?? []
        } else {
            salesFitSeconds = []
            volumeFitSeconds = []
            churnFitSeconds = []
        }
    }

    /// Decodes the stored JSON.
    init(json: String) throws {
        self = try JSONDecoder().decode(RunMeasurements.self, from: Data(json.utf8))
    }

    /// The JSON kept in the run store (keys sorted, so equal measurements give equal text).
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain numbers and strings cannot fail.
        return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    /// A histogram's non-empty buckets; recording each count at its bucket's value again gives a
    /// histogram with the same buckets, hence the same percentiles, mean and maximum.
    static func pairs(_ h: Histogram<UInt64>) -> [[UInt64]] {
        h.recordedValues().map { [$0.value, $0.count] }
    }

    /// The histogram rebuilt from its pairs, with `template`'s range and precision.
    static func histogram(_ pairs: [[UInt64]], like template: Histogram<UInt64>) -> Histogram<UInt64> {
        var h = template
        h.reset()
        for p in pairs where p.count == 2 { _ = h.record(p[0], count: p[1]) }
        return h
    }

    /// Puts these measurements in place of a re-simulation's own: the engine's clock figures and
    /// the models' fit times. Fails when the re-simulation does not match the stored run's shape.
    func apply(to stage: AlertingStage?, alertLatencies: [Int64], models: inout ModelOutcome) throws {
        if let stage {
            guard alertLatencies.count == stage.alerts.count else {
                throw LabError("the run store holds \(alertLatencies.count) alerts for this run, the re-simulation raised \(stage.alerts.count)")
            }
            stage.replaceClockFigures(processing: Self.histogram(processing, like: stage.processing),
                                      engineSeconds: engineSeconds ?? 0, alertLatencies: alertLatencies)
        }
        if case .evaluated(var e) = models {
            guard e.sales.scores.count == salesFitSeconds.count, e.volume.scores.count == volumeFitSeconds.count,
                  (e.churn?.fitSeconds.count ?? 0) == churnFitSeconds.count
            else { throw LabError("the stored model fit times do not match the re-simulation's models") }
            for i in e.sales.scores.indices { e.sales.scores[i].fitSeconds = salesFitSeconds[i] }
            for i in e.volume.scores.indices { e.volume.scores[i].fitSeconds = volumeFitSeconds[i] }
            if e.churn != nil { e.churn?.fitSeconds = churnFitSeconds }
            models = .evaluated(e)
        }
    }
}
