import Alerting
import Simulation
import WarRoomCore

/// The simulated world with the alert engine in the loop: each day's events go to the engine,
/// and the actions of its alerts act on the world from the next simulated day on. `warroom run`
/// and `warroom stream` both step through it, so they see the very same stream.
final class ClosedLoop {
    let simulator: Simulator
    let alerting: AlertingStage?
    private var interventions: [Intervention] = []

    init(scenario: Scenario, seed: UInt64, ruleSet: RuleSet?, applyActions: Bool) {
        let simulator = Simulator(scenario: scenario, seed: seed)
        self.simulator = simulator
        alerting = ruleSet.map { AlertingStage(ruleSet: $0, scenario: scenario, layout: simulator.layout, applyActions: applyActions) }
    }

    /// Whether the last day has been simulated.
    var isFinished: Bool { simulator.day >= simulator.endDay }

    /// Simulates the next day: `observe` sees the day first, then the engine does.
    func step(observe: (DayObservations) throws -> Void, truth: (DayTruth) throws -> Void) throws {
        try simulator.step(observe: { obs in
            try observe(obs)
            if let alerting {
                if obs.isLive { interventions = alerting.process(events: obs.events) } else { alerting.replayHistory(day: obs.day, sales: obs.sales) }
            }
        }, truth: truth)
        for i in interventions { simulator.apply(i) }
        interventions = []
        if let alerting, isFinished { _ = alerting.finish(at: SimTime.start(ofDay: simulator.endDay) - 1) }
    }
}
