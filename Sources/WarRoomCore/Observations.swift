/// Observed sales of one store on one day (what a POS/ERP export holds).
public struct StoreDaySales: Sendable, Equatable {
    /// Store id.
    public var store: Int32
    /// Day index (negative in history).
    public var day: Int32
    /// Sale lines recorded.
    public var lines: Int32
    /// Units sold.
    public var units: Int64
    /// Amount in fen.
    public var amount: Int64
    /// Lines that were account orders.
    public var accountLines: Int32
    /// Creates a record.
    public init(store: Int32, day: Int32, lines: Int32, units: Int64, amount: Int64, accountLines: Int32) {
        self.store = store
        self.day = day
        self.lines = lines
        self.units = units
        self.amount = amount
        self.accountLines = accountLines
    }
}

/// An observable weekly snapshot of one active customer (what a CRM knows), for churn models.
public struct CustomerSnapshot: Sendable, Equatable {
    /// Customer id.
    public var customer: Int64
    /// Day index of the snapshot (taken at the end of that day).
    public var day: Int32
    /// Home store.
    public var store: Int32
    /// Days since the account opened.
    public var tenureDays: Int32
    /// Days since the last order (tenure when none).
    public var daysSinceOrder: Int32
    /// Orders in the last 4 weeks.
    public var orders28d: Int32
    /// Amount ordered in the last 4 weeks, fen.
    public var amount28d: Int64
    /// Amount ordered 5–8 weeks ago, fen.
    public var amountPrev28d: Int64
    /// Days since the last rep visit (tenure when none).
    public var daysSinceVisit: Int32
    /// Calls in the last 4 weeks.
    public var calls28d: Int32
    /// Positive calls in the last 4 weeks.
    public var positiveCalls28d: Int32
    /// Competitor signals at the home store in the last 7 days.
    public var competitorSignals7d: Int32
    /// Calls since the account opened (the CRM's call log).
    public var callsTotal: Int32
    /// Positive calls since the account opened.
    public var positiveCallsTotal: Int32
    /// Creates a record.
    public init(customer: Int64, day: Int32, store: Int32, tenureDays: Int32, daysSinceOrder: Int32, orders28d: Int32, amount28d: Int64, amountPrev28d: Int64, daysSinceVisit: Int32, calls28d: Int32, positiveCalls28d: Int32, competitorSignals7d: Int32,
                callsTotal: Int32 = 0, positiveCallsTotal: Int32 = 0) {
        self.callsTotal = callsTotal
        self.positiveCallsTotal = positiveCallsTotal
        self.customer = customer
        self.day = day
        self.store = store
        self.tenureDays = tenureDays
        self.daysSinceOrder = daysSinceOrder
        self.orders28d = orders28d
        self.amount28d = amount28d
        self.amountPrev28d = amountPrev28d
        self.daysSinceVisit = daysSinceVisit
        self.calls28d = calls28d
        self.positiveCalls28d = positiveCalls28d
        self.competitorSignals7d = competitorSignals7d
    }
}

/// An account's life as the CRM records it.
public struct CustomerRecord: Sendable, Equatable {
    /// Customer id.
    public var customer: Int64
    /// Home store.
    public var store: Int32
    /// Day the account opened (negative in history; the history start for the initial base).
    public var wonDay: Int32
    /// Day the account was lost, if it was.
    public var lostDay: Int32?
    /// Creates a record.
    public init(customer: Int64, store: Int32, wonDay: Int32, lostDay: Int32?) {
        self.customer = customer
        self.store = store
        self.wonDay = wonDay
        self.lostDay = lostDay
    }
}
