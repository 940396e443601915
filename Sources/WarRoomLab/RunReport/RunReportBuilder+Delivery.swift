import Foundation
import Reporting
import WarRoomCore

extension RunReportBuilder {
    /// A delivery model in a few words.
    static func describe(_ m: DeliveryModel) -> String {
        var text: String
        switch m.mode {
        case .instant: return L("instant")
        case .streaming: text = L("streaming, delay median {0}, p99 {1}", Format.duration(m.delay.median), Format.duration(m.delay.p99))
        case .microBatch(let every): text = L("{0} batches", Format.duration(every))
        case .daily(let hour): text = L("T+1 at {0}:00", String(hour))
        }
        if case .streaming = m.mode {} else if m.delay.median > 0 {
            text += L(", batch delay median {0}, p99 {1}", Format.duration(m.delay.median), Format.duration(m.delay.p99))
        }
        if m.outagesPerWeek > 0 { text += L(", {0} outages a week of {1}", String(format: "%g", m.outagesPerWeek), Format.duration(m.outageDuration)) }
        if m.duplicates > 0 { text += L(", {0}% duplicated", String(format: "%g", 100 * m.duplicates)) }
        if m.reorder > 0 { text += L(", {0}% held back", String(format: "%g", 100 * m.reorder)) }
        return text
    }

    /// The run's data delivery: each source's model, how old the data was on arrival, and per
    /// rule what late data changed against the same rules on the same events delivered instantly.
    static func deliveryBlocks(_ stage: AlertingStage) -> [Report.Block] {
        let age = stage.dataAge
        func p(_ q: Double) -> String { Format.duration(Millis(age.valueAtPercentile(q))) }
        let counts = stage.deliveryCounts
        let comparison = stage.deliveryComparison
        let late = comparison.reduce(0) { max($0, $1.lateEvents) }
        var blocks: [Report.Block] = [
            .paragraph(L("Data delivery: the engine saw each event when it arrived, not when it happened (allowed lateness {0}). Age of the data on arrival: p50 {1}, p90 {2}, p99 {3}, max {4}. {5} events arrived after the live window ended (the engine saw them, too late for any action); {6} duplicated, {7} held back, {8} deferred by outages. Rules and actions act only on what has arrived: an action starts from its alert's emission.",
                         Format.duration(stage.ruleSet.allowedLateness), p(50), p(90), p(99), Format.duration(Millis(age.max)),
                         Format.count(counts.afterWindow), Format.count(counts.duplicated), Format.count(counts.heldBack), Format.count(counts.deferredByOutage))),
            .table(.init(header: [L("Source"), L("Delivery")], rows: DataSource.allCases.map { [$0.description, describe(stage.scenario.delivery[$0])] })),
            .paragraph(L("What late data changed, per rule: the same rules ran beside the engine on the same world's events delivered instantly. Late events are those behind the watermark that the rule would have read (left out, never silently: {0} for the rule that lost most). Same tick: both fired for the key at that tick; missed or moved: an instant firing with no delivered firing at its tick; data delay: from the tick to the alert coming out, median over same-tick firings.", Format.count(late))),
            .table(.init(header: ["Rule", "Late events", "Fired", "Fired, instant delivery", "Same tick", "Missed or moved", "Extra", "Data delay (median)"].map { L($0) },
                         rows: comparison.map { c in
                             [c.rule, Format.count(c.lateEvents), Format.count(c.firings), Format.count(c.instantFirings), Format.count(c.matched),
                              Format.count(c.missed), Format.count(c.extra), c.medianDelay.map(Format.duration) ?? "—"]
                         })),
        ]
        if age.totalCount == 0 { blocks.removeFirst() }
        return blocks
    }
}
