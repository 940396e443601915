import Alerting
import Foundation
import Reporting
import WarRoomCore

/// The three messages one alert produces (the business case's three-tier package): the rep's
/// task card, the regional manager's figure against its threshold, HQ's root-cause suggestion.
/// Everything in them comes from observable data.
struct TierPackage {
    let rep: String
    let manager: String
    let hq: String

    init(alert: Alert, rule: Rule, layout: WorldLayout, losses: [[(time: Millis, competitor: Bool)]]) {
        let place = TierPackage.name(of: alert.place(in: rule), layout: layout)
        let figure = TierPackage.figure(alert, rule)

        var card = L("Task card — {0}: {1}", place, rule.description)
        let actionTexts = rule.actions.map { a -> String in
            switch a.name {
            case "talk-track-pack": return L("talk-track pack ({0}) and a competitor comparison card", a.parameters.first { $0.0 == "topic" }?.1 ?? L("general"))
            case "competitor-card": return L("competitor comparison card")
            case "campaign": return L("campaign: {0}", a.parameters.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
            default: return a.name + (a.parameters.isEmpty ? "" : " (" + a.parameters.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ")")
            }
        }
        if !actionTexts.isEmpty { card += L(" Actions: {0}.", actionTexts.joined(separator: L("; "))) }
        rep = card
        manager = "\(place): \(figure)"

        // HQ: who the lost accounts of the place's city were, over the last 7 days.
        let cities = layout.cities(in: alert.place(in: rule))
        var lost = 0, touched = 0
        for c in cities where c < losses.count {
            for l in losses[c] where l.time > alert.time - 7 * SimTime.day && l.time <= alert.time {
                lost += 1
                if l.competitor { touched += 1 }
            }
        }
        let campaign = rule.actions.first { $0.name == "campaign" }
        let suggestion = campaign.map { c in
            L("suggested action: within 48 h, {0}", c.parameters.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        } ?? L("suggested action: {0}", rule.actions.first?.name ?? L("review the situation with the regional manager"))
        if lost > 0 {
            let share = Double(touched) / Double(lost) * 100
            let area = cities.count == 1 ? layout.cities[cities[0]].name : place
            hq = L("{0} of the {1} accounts lost in {2} over the last 7 days had first been touched at a competitor experience store; {3}",
                   String(format: "%.0f%%", share), String(lost), area, suggestion)
        } else {
            hq = L("No account lost in {0} over the last 7 days; {1}; {2}", place, figure, suggestion)
        }
    }

    /// A place as the tiers' messages name it: "store 5 (Hangzhou)", "Hangzhou", "rep 3 (Hangzhou)".
    static func name(of place: Place, layout: WorldLayout) -> String {
        switch place {
        case .store(let s):
            guard let city = layout.city(of: place) else { return L("store {0}", String(s)) }
            return L("store {0} ({1})", String(s), layout.cities[city].name)
        case .city(let c): return layout.city(of: place).map { layout.cities[$0].name } ?? L("city {0}", String(c))
        case .region(let r): return layout.regions.indices.contains(r) ? layout.regions[r] : L("region {0}", String(r))
        case .rep(let r):
            guard let city = layout.city(of: place) else { return L("rep {0}", String(r)) }
            return L("rep {0} ({1})", String(r), layout.cities[city].name)
        case .account(let id): return L("account {0} of store {1}", String(id.index), String(id.store))
        case .global: return L("the network")
        }
    }

    /// The alerted figure against its threshold, e.g. "7-day rate 12.7% vs threshold > 5.2%".
    static func figure(_ alert: Alert, _ rule: Rule) -> String {
        if case let .absence(_, _, within) = rule.signal {
            return L("{0} trigger(s) without follow-up within {1} h", String(Int(alert.value ?? 0)), String(within / SimTime.hour))
        }
        let c = rule.comparison.condition
        let q = alert.compared ?? .nan
        func pct(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
        func num(_ v: Double) -> String { abs(v) >= 100 ? String(format: "%.0f", v) : String(format: "%.2f", v) }
        switch rule.comparison {
        case .threshold:
            if case .ratio = rule.signal { return L("{0} vs threshold {1} {2}", pct(q), c.op.rawValue, pct(c.value)) }
            return L("{0} vs threshold {1} {2}", num(q), c.op.rawValue, num(c.value))
        case .changeVersusLag(let lag, _):
            return L("change {0} against {1} days earlier (threshold {2} {3})", pct(q), String(lag / SimTime.day), c.op.rawValue, pct(c.value))
        case .ratioToBaseline(let b, _):
            return L("{0}× the mean of the previous {1} days (threshold {2} {3}×)", String(format: "%.2f", q), String(Int(b / SimTime.day)),
                     c.op.rawValue, String(format: "%.2f", c.value))
        case .zScore(let b, _):
            return L("z = {0} against the previous {1} days (threshold {2} {3})", String(format: "%.2f", q), String(Int(b / SimTime.day)),
                     c.op.rawValue, String(format: "%.2f", c.value))
        }
    }
}
