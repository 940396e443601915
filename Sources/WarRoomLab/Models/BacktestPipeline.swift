import Forecasting
import Foundation
import Reporting
import Simulation
import WarRoomCore

/// `warroom backtest`: simulates a scenario's world (no alert loop), then backtests the sales
/// and churn models on what was observed, against the baselines, the oracle and (when the
/// scenario has shocks) the oracle of the same world without them.
public enum BacktestPipeline {
    /// What a backtest found.
    public struct Result: Sendable {
        /// The scenario's name.
        public var scenario: String
        /// The seed simulated.
        public var seed: UInt64
        /// The digest of the observable event stream (hex).
        public var eventDigest: String
        /// The models' headline figures and verdicts.
        public var figures: ModelFigures
        /// Seconds simulating, rounded to the millisecond.
        public var simulationSeconds: Double
        /// Seconds in all, rounded to the millisecond.
        public var wallSeconds: Double
        /// The models' full results (`forecast`, `forecast_lines`, `churn`, `verdicts`).
        var models: [(String, JSONValue)]

        /// The result as JSON (`warroom backtest --json`).
        public var json: JSONValue {
            .object([
                ("scenario", .string(scenario)),
                ("seed", .int(Int64(bitPattern: seed))),
                ("event_digest", .string(eventDigest)),
            ] + models + [
                ("simulation_seconds", .double(simulationSeconds)),
                ("wall_seconds", .double(wallSeconds)),
            ])
        }
    }

    /// Runs the backtest.
    ///
    /// - Parameters:
    ///   - scenarioPath: the scenario file.
    ///   - seed: overrides the scenario's seed.
    ///   - progress: days simulated, days in all, and what is being done.
    public static func run(scenarioPath: String, seed: UInt64?, progress: ((_ done: Int, _ total: Int, _ what: String) -> Void)? = nil) throws -> Result {
        let scenario = try Benchmarks.loadScenario(scenarioPath)
        try MemoryEstimate.check(scenario, file: scenarioPath)
        let seed = seed ?? scenario.seed
        let wall = Stopwatch()
        let days = scenario.calendar.historyDays + scenario.calendar.liveDays
        let calm = scenario.competitors.shocks.isEmpty ? 0 : days
        // First the world without its shocks (only its truth is kept, so the two simulations
        // never hold their worlds in memory at once).
        let withoutShocks = truthWithoutShocks(scenario, seed: seed) { progress?($0, calm + days, "simulating day \($0) of \(days) without the shocks") }
        let sim = Simulator(scenario: scenario, seed: seed)
        var data = ModelDataCollector(scenario: scenario, layout: sim.layout)
        var digest = EventDigest()
        var done = 0
        while sim.day < sim.endDay {
            sim.step(observe: { obs in
                data.observe(obs)
                for e in obs.events { digest.add(e) }
            }, truth: { data.observeTruth($0) })
            done += 1
            progress?(calm + done, calm + days, "simulating day \(done) of \(days)")
        }
        let simSeconds = wall.seconds
        progress?(calm + days, calm + days, "backtesting the models")
        let evaluation = try ModelEvaluation.evaluate(data: data, scenario: scenario, layout: sim.layout, records: sim.customerRecords,
                                                      withoutShocks: withoutShocks)
        return Result(scenario: scenario.name, seed: seed, eventDigest: digest.hex, figures: ModelFigures(evaluation),
                      simulationSeconds: Figure.rounded(simSeconds, scale: 1000), wallSeconds: Figure.rounded(wall.seconds, scale: 1000),
                      models: evaluation.json)
    }

    /// The truth of the same world without its competitor shocks (same seed: every draw they do
    /// not touch is the same), whose expected sales are the oracle that cannot foresee them; nil
    /// when the scenario has none.
    static func truthWithoutShocks(_ scenario: Scenario, seed: UInt64, progress: (_ day: Int) -> Void) -> ModelDataCollector? {
        guard !scenario.competitors.shocks.isEmpty else { return nil }
        var calm = scenario
        calm.competitors.shocks = []
        let sim = Simulator(scenario: calm, seed: seed)
        var truth = ModelDataCollector(scenario: calm, layout: sim.layout, keepSnapshots: false)
        var done = 0
        while sim.day < sim.endDay {
            sim.step(observe: { _ in }, truth: { truth.observeTruth($0) })
            done += 1
            progress(done)
        }
        return truth
    }
}
