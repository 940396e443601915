import Forecasting
import Foundation
import Reporting
import Simulation
import WarRoomCore

/// `warroom backtest`: simulates a scenario's world (no alert loop), then backtests the sales
/// and churn models on what was observed, against the baselines and the oracle.
public enum BacktestPipeline {
    /// Runs the backtest and returns its JSON (with `verdicts` and timing).
    public static func run(scenarioPath: String, seed: UInt64?, progress: ((String) -> Void)? = nil) throws -> JSONValue {
        let scenario = try Benchmarks.loadScenario(scenarioPath)
        try MemoryEstimate.check(scenario, file: scenarioPath)
        let seed = seed ?? scenario.seed
        let wall = Stopwatch()
        let sim = Simulator(scenario: scenario, seed: seed)
        var data = ModelDataCollector(scenario: scenario, layout: sim.layout)
        var digest = EventDigest()
        progress?("simulating \(scenario.calendar.historyDays + scenario.calendar.liveDays) days")
        while sim.day < sim.endDay {
            sim.step(observe: { obs in
                data.observe(obs)
                for e in obs.events { digest.add(e) }
            }, truth: { data.observeTruth($0) })
        }
        let simSeconds = wall.seconds
        progress?("backtesting")
        let evaluation = try ModelEvaluation.evaluate(data: data, scenario: scenario, layout: sim.layout, records: sim.customerRecords)
        return .object([
            ("scenario", .string(scenario.name)),
            ("seed", .int(Int64(bitPattern: seed))),
            ("event_digest", .string(digest.hex)),
        ] + evaluation.json + [
            ("simulation_seconds", .double((simSeconds * 1000).rounded() / 1000)),
            ("wall_seconds", .double((wall.seconds * 1000).rounded() / 1000)),
        ])
    }
}
