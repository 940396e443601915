import Alerting
import Simulation
import WarRoomCore

/// The simulated world with the alert engine in the loop: each day's events go to the engine,
/// and the actions of its alerts act on the world from the next simulated day on. `warroom run`
/// and `warroom stream` both step through it, so they see the very same stream.
///
/// With a scenario `delivery:`, the engine sees the events as they arrive (delayed, batched,
/// reordered by their sources), not as they happen; the day's observations and the truth keep
/// event time.
final class ClosedLoop {
    let simulator: Simulator
    let alerting: AlertingStage?
    /// The way from the world to the war room; nil when every source delivers instantly.
    private(set) var delivery: Delivery?
    private var interventions: [Intervention] = []

    init(scenario: Scenario, seed: UInt64, ruleSet: RuleSet?, applyActions: Bool) {
        let simulator = Simulator(scenario: scenario, seed: seed)
        self.simulator = simulator
        let delivered = !scenario.delivery.isInstant
        var rules = ruleSet
        if let lateness = scenario.delivery.lateness { rules?.allowedLateness = lateness }
        alerting = rules.map { AlertingStage(ruleSet: $0, scenario: scenario, layout: simulator.layout, applyActions: applyActions, delivered: delivered) }
        if delivered { delivery = Delivery(spec: scenario.delivery, seed: seed, days: scenario.calendar.liveDays) }
    }

    /// Whether the last day has been simulated.
    var isFinished: Bool { simulator.day >= simulator.endDay }

    /// Simulates the next day: `observe` sees the day first (in event time), `deliver` then the
    /// live events that arrived by the day's end (in arrival order), then the engine does.
    func step(observe: (DayObservations) throws -> Void, truth: (DayTruth) throws -> Void,
              deliver: (([DeliveredEvent]) throws -> Void)? = nil) throws {
        try simulator.step(observe: { obs in
            try observe(obs)
            guard obs.isLive else {
                alerting?.replayHistory(day: obs.day, sales: obs.sales)
                return
            }
            if delivery != nil {
                let arrived = delivery!.deliverBatch(obs.events, day: obs.day, until: SimTime.start(ofDay: obs.day + 1))
                try deliver?(Array(arrived))
                if let alerting { interventions = alerting.process(delivered: arrived, simulated: obs.events) }
            } else {
                try deliver?(obs.events.map { DeliveredEvent(arrival: $0.time, event: $0) })
                if let alerting { interventions = alerting.process(events: obs.events) }
            }
        }, truth: truth)
        for i in interventions { simulator.apply(i) }
        interventions = []
        guard isFinished else { return }
        // The stream ends when the world does, but the last hours' data is still on its way:
        // it arrives after the live window (too late for any action to matter), and the engine
        // still sees it, so that the end of the window does not look like a silence.
        var counts = DeliveryCounts()
        if var d = delivery {
            let tail = d.deliverBatch([], day: simulator.endDay, until: .max)
            delivery = d
            try deliver?(Array(tail))
            if let alerting {
                alerting.afterWindow = true
                _ = alerting.process(delivered: tail, simulated: [])
            }
            counts = DeliveryCounts(afterWindow: tail.count, duplicated: d.duplicated, heldBack: d.heldBack, deferredByOutage: d.deferredByOutage)
        }
        if let alerting {
            _ = alerting.finish(at: SimTime.start(ofDay: simulator.endDay) - 1)
            alerting.deliveryCounts = counts
        }
    }
}
