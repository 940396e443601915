import Foundation

extension Simulator {
    /// The ranked visit policy's priority of an account: a fixed, hand-set weighing of twelve
    /// signals a CRM has (nothing latent: not the frailty, not the true hazard):
    ///
    /// 1. recency — days since the last order (months, capped at 3);
    /// 2. order trend — fewer orders in the last 4 weeks than in the 4 before;
    /// 3. amount trend — the same for the amount ordered;
    /// 4. visit gap — days since the last visit (months, capped at 3);
    /// 5. visited in the last 14 days (a visit's effect still holds: lowers the priority);
    /// 6. competitor activity — competitor signals at the home store in the last 7 days;
    /// 7. stock-outs at the home store in the last week;
    /// 8. call outcomes over the account's life (Laplace-smoothed share of positive calls);
    /// 9. negative calls in the last 4 weeks;
    /// 10. a new account (under 90 days);
    /// 11. open lead scans at the home store (a visit there can follow them up too);
    /// 12. time since the last positive call (months, capped at 3);
    /// and, as a tie-breaker in value, the amount at stake.
    func visitPriority(_ index: Int, day d: Int) -> Double {
        let c = customers[index]
        let store = stores[Int(c.store)]
        let w = floorDiv(d, 7)
        var orders = 0.0, previousOrders = 0.0, amount = 0.0, previousAmount = 0.0, calls = 0.0, positive = 0.0
        for k in 0..<8 {
            let b = weeks[index * 8 + k]
            let age = w - Int(b.week)
            if age >= 0 && age < 4 {
                orders += Double(b.orders); amount += Double(b.amount); calls += Double(b.calls); positive += Double(b.positiveCalls)
            } else if age >= 4 && age < 8 {
                previousOrders += Double(b.orders); previousAmount += Double(b.amount)
            }
        }
        let recency = Double(min(d - Int(c.lastOrderDay), 90)) / 30
        let visitGap = Double(min(d - Int(min(c.lastVisitDay, Int32(d))), 90)) / 30
        let visitedRecently = d - Int(c.lastVisitDay) <= 14
        let signals = Double(min(store.signals.reduce(0, +), 10))
        let stockouts = Double((store.stockoutDays & 0x7F).nonzeroBitCount)
        let callShare = (Double(c.positiveCallsTotal) + 1) / (Double(c.callsTotal) + 2)
        let isNew = d - Int(c.wonDay) < 90
        let openLeads = Double(min(store.openLeads.count, 5))
        let sincePositive = Double(min(d - Int(max(c.lastPositiveCallDay, Int32(d - 90))), 90)) / 30
        var score = 1.0 * recency
        score += 0.8 * max(0, previousOrders - orders) / (previousOrders + 1)
        score += 0.5 * max(0, previousAmount - amount) / (previousAmount + 1)
        score += 0.6 * visitGap
        score -= visitedRecently ? 1.5 : 0
        score += 0.15 * signals
        score += 0.2 * stockouts
        score -= 1.0 * callShare
        score += 0.3 * (calls - positive)
        score += isNew ? 0.4 : 0
        score += 0.1 * openLeads
        score += 0.3 * sincePositive
        score += 0.02 * log1p(amount / 100)
        return score
    }
}
