import Alerting
import RunStore
import WarRoomCore

/// What a run's report and metrics say about its alerts.
struct AlertRunReport {
    let stage: AlertingStage
    let analysis: AlertAnalysis
    /// The records of each shock's first alert (the report shows their three-tier package).
    var firstRecords: [AlertRecord] = []
    /// The engine's latency against offered load on the run's first live days, when measured.
    var loadCurve: RunLoadCurve?

    init(stage: AlertingStage, shocks: [ShockTruth], layout: WorldLayout) {
        self.stage = stage
        analysis = AlertAnalysis(ruleSet: stage.ruleSet, alerts: stage.alerts, shocks: shocks, layout: layout,
                                 lateEvents: stage.lateEvents)
    }
}
