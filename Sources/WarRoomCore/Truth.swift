/// Ground truth about one store on one day: what only a simulator knows.
///
/// Only evaluation may read truth records; rules and models see events and observed panels.
public struct StoreDayTruth: Sendable, Equatable {
    /// Store id.
    public var store: Int32
    /// Day index (negative in history).
    public var day: Int32
    /// Expected sale lines (walk-in and account orders) before stock-outs.
    public var expectedLines: Double
    /// Expected sales amount in CNY before stock-outs.
    public var expectedAmount: Double
    /// Walk-in lines lost to stock-outs.
    public var lostLines: Int32
    /// Competitor shock effect on traffic that day (1 = none).
    public var shockFactor: Double
    /// Creates a record.
    public init(store: Int32, day: Int32, expectedLines: Double, expectedAmount: Double, lostLines: Int32, shockFactor: Double) {
        self.store = store
        self.day = day
        self.expectedLines = expectedLines
        self.expectedAmount = expectedAmount
        self.lostLines = lostLines
        self.shockFactor = shockFactor
    }
}

/// Ground truth about one customer on one day.
public struct CustomerDayTruth: Sendable, Equatable {
    /// Customer id.
    public var customer: Int64
    /// Day index.
    public var day: Int32
    /// The true probability of being lost that day.
    public var churnProbability: Double
    /// Whether a competitor shock reached the customer.
    public var reachedByCompetitor: Bool
    /// The customer's latent frailty (the constant factor of its hazard that no record shows).
    public var frailty: Double
    /// Creates a record.
    public init(customer: Int64, day: Int32, churnProbability: Double, reachedByCompetitor: Bool, frailty: Double = 1) {
        self.frailty = frailty
        self.customer = customer
        self.day = day
        self.churnProbability = churnProbability
        self.reachedByCompetitor = reachedByCompetitor
    }
}

/// Ground truth about one shock: its true onset and footprint.
public struct ShockTruth: Sendable, Equatable {
    /// Shock name.
    public var name: String
    /// City id hit.
    public var city: Int16
    /// True onset, event time in ms.
    public var onset: Millis
    /// Time of full effect.
    public var fullEffect: Millis
    /// End of the shock.
    public var end: Millis
    /// Stores in the footprint.
    public var stores: [Int32]
    /// Creates a record.
    public init(name: String, city: Int16, onset: Millis, fullEffect: Millis, end: Millis, stores: [Int32]) {
        self.name = name
        self.city = city
        self.onset = onset
        self.fullEffect = fullEffect
        self.end = end
        self.stores = stores
    }
}
