/// One observable event: a flat value of a few machine words, no references, no strings.
///
/// Fields a kind does not use are zero (ids are 0-based, so "none" is `-1` for `store`,
/// `customer` and `rep`). `amount` is in fen (1/100 CNY) so that sums are exact.
public struct Event: Sendable, Equatable, Hashable {
    /// Event time in ms since the start of the live window.
    public var time: Millis
    /// Money, in fen.
    public var amount: Int64
    /// Customer id, or -1.
    public var customer: Int64
    /// Store id (global, 0-based), or -1.
    public var store: Int32
    /// Rep id, or -1.
    public var rep: Int32
    /// Product category (sale, inventory, promotion), or 0.
    public var sku: Int32
    /// Units (sale), on-hand units (inventory), or 0.
    public var quantity: Int32
    /// Kind-specific packed attributes (evidence, outcome, signal kind).
    public var attr: UInt32
    /// City id of the store.
    public var city: Int16
    /// Region id of the store.
    public var region: Int16
    /// What the event reports.
    public var kind: EventKind

    /// Creates an event.
    @inlinable
    public init(time: Millis, kind: EventKind, store: Int32 = -1, city: Int16 = 0, region: Int16 = 0,
                customer: Int64 = -1, rep: Int32 = -1, sku: Int32 = 0, quantity: Int32 = 0,
                amount: Int64 = 0, attr: UInt32 = 0) {
        self.time = time
        self.amount = amount
        self.customer = customer
        self.store = store
        self.rep = rep
        self.sku = sku
        self.quantity = quantity
        self.attr = attr
        self.city = city
        self.region = region
        self.kind = kind
    }
}

/// Evidence attached to a rep visit, packed into `Event.attr`.
///
/// Bits 0–9: dwell minutes; bit 10: photo; bit 11: location verified; bit 12: voice note.
public struct VisitEvidence: Sendable, Equatable {
    /// Minutes spent at the customer.
    public var dwellMinutes: Int
    /// A photo was taken.
    public var photo: Bool
    /// The location matched the customer's address.
    public var locationVerified: Bool
    /// A voice note was recorded.
    public var voiceNote: Bool

    /// Creates evidence.
    public init(dwellMinutes: Int, photo: Bool, locationVerified: Bool, voiceNote: Bool) {
        self.dwellMinutes = dwellMinutes
        self.photo = photo
        self.locationVerified = locationVerified
        self.voiceNote = voiceNote
    }

    /// Decodes packed evidence.
    public init(packed: UInt32) {
        dwellMinutes = Int(packed & 0x3FF)
        photo = packed & (1 << 10) != 0
        locationVerified = packed & (1 << 11) != 0
        voiceNote = packed & (1 << 12) != 0
    }

    /// The packed form.
    public var packed: UInt32 {
        UInt32(min(max(dwellMinutes, 0), 1023)) | (photo ? 1 << 10 : 0) | (locationVerified ? 1 << 11 : 0) | (voiceNote ? 1 << 12 : 0)
    }
}

/// What happened on a call, packed into `Event.attr`.
///
/// Bits 0–3: objection (0 none, 1 too expensive, 2 competitor offer, 3 timing);
/// bits 4–15: response delay in tenths of a second; bit 16: concrete ROI answer; bit 17: positive outcome.
public struct CallOutcome: Sendable, Equatable {
    /// The customer's objection, 0 when none.
    public var objection: Int
    /// Seconds from the objection to the rep's answer, in tenths.
    public var responseTenths: Int
    /// The rep answered with a concrete ROI calculation.
    public var concreteROI: Bool
    /// The call ended positively (order, meeting, renewal).
    public var positive: Bool

    /// Creates an outcome.
    public init(objection: Int, responseTenths: Int, concreteROI: Bool, positive: Bool) {
        self.objection = objection
        self.responseTenths = responseTenths
        self.concreteROI = concreteROI
        self.positive = positive
    }

    /// Decodes a packed outcome.
    public init(packed: UInt32) {
        objection = Int(packed & 0xF)
        responseTenths = Int((packed >> 4) & 0xFFF)
        concreteROI = packed & (1 << 16) != 0
        positive = packed & (1 << 17) != 0
    }

    /// The packed form.
    public var packed: UInt32 {
        UInt32(min(max(objection, 0), 15)) | UInt32(min(max(responseTenths, 0), 4095)) << 4
            | (concreteROI ? 1 << 16 : 0) | (positive ? 1 << 17 : 0)
    }
}
