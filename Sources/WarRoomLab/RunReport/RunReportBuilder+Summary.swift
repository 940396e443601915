import Alerting
import Reporting
import WarRoomCore

extension RunReportBuilder {
    /// The page's first section, for a business reader: each shock, when it showed in the data
    /// and when the war room was told, what was done and how the window ended. The engineering
    /// figures (digest, speed, latency, stalls) come after, in sections of their own.
    static func summarySection(analysis a: RunAnalysis, alerts: AlertRunReport?, liveSalesCNY: Double) -> Report.Section {
        func after(_ ms: Millis) -> String { L("{0} h", String(format: "%.1f", Double(ms) / Double(SimTime.hour))) }
        var blocks: [Report.Block] = []
        if a.shocks.isEmpty { blocks.append(.paragraph(L("No competitor shock in this run."))) }
        for s in a.shocks {
            let seen = s.firstSignal.map { L("its first competitor signal came {0} after onset", after($0 - s.truth.onset)) }
                ?? L("no competitor signal followed it")
            let detection = alerts?.analysis.detections.first { $0.shock.name == s.truth.name }
            let told: String
            if let first = detection?.firstAlert {
                told = L("the war room was first told {0} after onset ({1}, to the {2})", after(first.time - s.truth.onset), first.ruleID, [L("rep"), L("regional manager"), L("HQ")][Int(first.tier.rawValue)])
            } else {
                told = alerts == nil ? L("no rules ran") : L("no alert fired in its footprint")
            }
            blocks.append(.paragraph(L("{0} hit {1} at {2}: {3}; {4}. 7-day churn in {1} went from {5} to {6} (other cities: {7}).",
                                       s.truth.name, s.cityName, Format.time(s.truth.onset), seen, told,
                                       String(format: "%.1f%%", s.churnBefore * 100), String(format: "%.1f%%", s.churnPeak * 100),
                                       String(format: "%.1f%%", s.othersMean * 100))))
        }
        if let r = alerts {
            let fired = r.stage.alerts.filter { $0.kind == .fired }.count
            blocks.append(.paragraph(L("What was done: {0} alerts fired ({1} escalated); {2} actions were triggered, {3} of them applied to the simulated world.",
                                       Format.count(fired), Format.count(r.stage.alerts.count - fired),
                                       Format.count(r.stage.actionsTriggered), Format.count(r.stage.actionsApplied))))
            if let first = r.firstRecords.first {
                blocks.append(.paragraph(L("What to do, as HQ was first told: {0}", first.hqMessage)))
            }
        }
        blocks.append(.paragraph(L("How the live window ended: {0} accounts lost, live sales {1}. The engineering figures (event digest, speed, latency, the machine's stalls) are in the sections after the business ones.",
                                   Format.count(a.lostLive), Format.money(liveSalesCNY))))
        return .init(title: L("What happened and what to do"), blocks: blocks)
    }
}
