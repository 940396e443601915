import Foundation

/// The system an observable event comes from: each has its own delivery to the war room.
public enum DataSource: Int, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// Point-of-sale lines.
    case pos = 0
    /// Inventory level reports.
    case inventory
    /// Promotion execution checks (photo evidence).
    case promotion
    /// Lead scans.
    case leads
    /// The CRM: rep visits, accounts won and lost, account bases.
    case crm
    /// The call system.
    case calls
    /// Competitor intelligence.
    case competitor

    /// The source of an event kind.
    @inlinable
    public init(kind: EventKind) {
        switch kind {
        case .sale: self = .pos
        case .inventory: self = .inventory
        case .promotion: self = .promotion
        case .leadScan: self = .leads
        case .visit, .customerLost, .customerWon, .accountBase: self = .crm
        case .call: self = .calls
        case .competitorSignal: self = .competitor
        }
    }

    /// The name used in scenario files and reports.
    public var description: String {
        switch self {
        case .pos: return "pos"
        case .inventory: return "inventory"
        case .promotion: return "promotion"
        case .leads: return "leads"
        case .crm: return "crm"
        case .calls: return "calls"
        case .competitor: return "competitor"
        }
    }
}

/// A delay distribution: lognormal with the given median and 99th percentile (both 0: no delay).
public struct DelaySpec: Sendable, Equatable {
    /// The median delay.
    public var median: Millis
    /// The 99th-percentile delay (≥ the median).
    public var p99: Millis

    /// No delay.
    public static let zero = DelaySpec(median: 0, p99: 0)

    /// Creates a delay distribution.
    public init(median: Millis, p99: Millis) {
        self.median = median
        self.p99 = p99
    }

    /// The lognormal's σ: ln(p99 / median) / z(0.99).
    public var sigma: Double {
        median > 0 && p99 > median ? log(Double(p99) / Double(median)) / 2.326_347_874_040_841 : 0
    }
}

/// How one source's events reach the war room (a scenario's `delivery:` entry).
///
/// ```yaml
/// delivery:
///   all: { mode: microBatch, every: 15m, delay: { median: 2m, p99: 10m } }
///   pos: { mode: streaming, delay: { median: 2s, p99: 30s } }
///   competitor: { mode: daily, hour: 6, outages: { perWeek: 0.5, duration: 4h }, duplicates: 0.01 }
/// ```
public struct DeliveryModel: Sendable, Equatable {
    /// When a source's events leave it.
    public enum Mode: Sendable, Equatable {
        /// The instant it happens, in order (the lab's default).
        case instant
        /// Each event on its own, after a random delay.
        case streaming
        /// In batches closing every `every` of event time; a batch arrives after its own delay.
        case microBatch(every: Millis)
        /// Once a day (T+1): the day's events arrive the next day at `hour` o'clock, after the delay.
        case daily(hour: Int)
    }

    /// When events leave the source.
    public var mode: Mode = .instant
    /// The delay of an event (streaming) or of a whole batch (micro-batch, daily).
    public var delay: DelaySpec = .zero
    /// Expected outages per week; an event due during one arrives when it ends.
    public var outagesPerWeek: Double = 0
    /// How long an outage lasts.
    public var outageDuration: Millis = 0
    /// Share of events delivered twice (the copy comes one delivery later).
    public var duplicates: Double = 0
    /// Share of events held back by one delivery (an extra delay draw, the next batch or day).
    public var reorder: Double = 0

    /// Instant delivery.
    public static let instant = DeliveryModel()

    /// Creates a delivery model.
    public init(mode: Mode = .instant, delay: DelaySpec = .zero, outagesPerWeek: Double = 0, outageDuration: Millis = 0,
                duplicates: Double = 0, reorder: Double = 0) {
        self.mode = mode
        self.delay = delay
        self.outagesPerWeek = outagesPerWeek
        self.outageDuration = outageDuration
        self.duplicates = duplicates
        self.reorder = reorder
    }

    /// Whether every event arrives the instant it happens, once, in order.
    public var isInstant: Bool { self == .instant }
}

/// The delivery of every source (a scenario's `delivery:` section; instant by default).
public struct DeliverySpec: Sendable, Equatable {
    /// One model per `DataSource`, indexed by its raw value.
    public var models: [DeliveryModel] = Array(repeating: .instant, count: DataSource.allCases.count)
    /// The alert engine's allowed lateness for this delivery, in place of the rule file's
    /// (nil: the rule file's). The setting that trades alert delay for completeness.
    public var lateness: Millis?

    /// Instant delivery of every source.
    public init() {}

    /// The model of a source.
    public subscript(source: DataSource) -> DeliveryModel {
        get { models[source.rawValue] }
        set { models[source.rawValue] = newValue }
    }

    /// Whether every source delivers instantly (the observable stream is the simulated one).
    public var isInstant: Bool { models.allSatisfy(\.isInstant) }

}
