/// What an observable event reports.
public enum EventKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// A POS sale line: `store`, `sku`, `quantity`, `amount`; `customer` for an account order.
    case sale = 0
    /// An inventory level report or receipt: `store`, `sku` (category), `quantity` on hand.
    case inventory = 1
    /// A promotion execution check at a store: `attr` = 1 executed with photo evidence, 0 not executed.
    case promotion = 2
    /// A lead scan: a prospective customer's first touch at a store (`customer` is the new id).
    case leadScan = 3
    /// A rep visit to a customer, with evidence fields packed in `attr` (see `VisitEvidence`).
    case visit = 4
    /// A rep call with a customer: objection, response and outcome packed in `attr` (see `CallOutcome`).
    case call = 5
    /// A competitor signal near a store: `attr` = `CompetitorSignalKind`.
    case competitorSignal = 6
    /// A customer closed its account: `customer`, `store`; `attr` = the customer's first-touch channel.
    case customerLost = 7
    /// A new customer's account opened after a lead (the customer is then active).
    case customerWon = 8
    /// A store's active account base at the start of a day (a gauge from the CRM): `quantity`.
    case accountBase = 9

    /// The name used in files and reports.
    public var description: String {
        switch self {
        case .sale: return "sale"
        case .inventory: return "inventory"
        case .promotion: return "promotion"
        case .leadScan: return "lead_scan"
        case .visit: return "visit"
        case .call: return "call"
        case .competitorSignal: return "competitor_signal"
        case .customerLost: return "customer_lost"
        case .customerWon: return "customer_won"
        case .accountBase: return "account_base"
        }
    }
}

/// The kind of a competitor signal.
public enum CompetitorSignalKind: UInt32, Sendable, CaseIterable {
    /// A competitor's new product listed in the area.
    case newListing = 0
    /// A competitor's price cut.
    case priceCut = 1
    /// A competitor experience store seen near the store.
    case experienceStore = 2
}

/// Where a customer was first touched (the `attr` of lead, won and lost events).
public enum FirstTouch: UInt32, Sendable, CaseIterable {
    /// Walked into one of our stores.
    case ownStore = 0
    /// Touched first at a competitor experience store.
    case competitorExperienceStore = 1
    /// Found through a rep's field work.
    case repReferral = 2
}
