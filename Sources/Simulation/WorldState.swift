import WarRoomCore

/// Where an account is in its life.
enum CustomerStatus: UInt8 {
    /// A lead that will convert on `wonDay` (not yet a customer).
    case prospect
    /// An active customer.
    case active
    /// A lost customer.
    case lost
}

/// The state of one account customer.
struct CustomerState {
    var id: Int64
    var store: Int32
    var status: CustomerStatus
    var wonDay: Int32
    var lostDay: Int32 = 0
    var lastOrderDay: Int32
    var lastVisitDay: Int32 = Int32.min / 2
    /// Lognormal frailty: multiplies the churn hazard (latent).
    var frailty: Double
    /// Uniform rank deciding whether a competitor shock reaches the customer (latent).
    var susceptibility: Double
    /// Multiplies the order rate (latent).
    var orderRate: Double
    /// Calls to the account since it opened, and the positive ones (the CRM's call log).
    var callsTotal: Int32 = 0
    var positiveCallsTotal: Int32 = 0
    /// Day of the last positive call (far in the past when none).
    var lastPositiveCallDay: Int32 = Int32.min / 2
}

/// Orders and calls of one customer in one week, for snapshots (eight weeks kept per customer).
struct WeekBucket {
    var week: Int32 = Int32.min
    var orders: Int32 = 0
    var calls: Int16 = 0
    var positiveCalls: Int16 = 0
    var amount: Int64 = 0
}

/// The state of one store.
struct StoreState {
    var sizeMultiplier: Double
    var onHand: [Int]
    var pendingQuantity: [Int]
    var pendingArrival: [Millis]
    var reorderPoint: [Int]
    var orderUpTo: [Int]
    /// Days with a stock-out, last 7 days, one bit a day (bit 0 = yesterday after the shift).
    var stockoutDays: UInt8 = 0
    /// Competitor signals at the store on each of the last 7 days (index day mod 7).
    var signals: [Int32] = Array(repeating: 0, count: 7)
    /// Indices into `customers` of the active accounts, in a deterministic order.
    var active: [Int] = []
    /// Indices of prospects that will convert.
    var prospects: [Int] = []
    /// The next store-local customer number.
    var nextLocal: Int64 = 0
    /// Lead scans of the last week not yet followed up by a visit (customer id, time), oldest first.
    var openLeads: [(id: Int64, time: Millis)] = []
}

/// The state of one rep.
struct RepState {
    /// Round-robin position.
    var cursor: Int = 0
}
