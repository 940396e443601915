/// A validated scenario: the world, its calendar, demand, customers, reps and competitor shocks.
///
/// Built only by `Scenario.decode(yaml:file:)`, which checks every field and bound, so code
/// downstream may rely on every size being within the documented limits (no overflow, no trap).
public struct Scenario: Sendable, Equatable {
    /// Short name, used for report folders (`<name>-s<seed>`); letters, digits, `-` and `_` only.
    public var name: String
    /// One paragraph saying what the scenario is for.
    public var description: String
    /// Default seed (overridden by `--seed`).
    public var seed: UInt64
    /// Dates and the length of history and live window.
    public var calendar: CalendarSpec
    /// Regions, cities, stores and product categories.
    public var world: WorldSpec
    /// Walk-in demand at the stores.
    public var demand: DemandSpec
    /// Account customers: orders, churn and acquisition.
    public var customers: CustomerSpec
    /// Sales reps: territories, visits and calls.
    public var reps: RepSpec
    /// Competitor background activity and shocks.
    public var competitors: CompetitorSpec
    /// The alert rule file, relative to the scenario file (nil: no alert engine unless `--rules`).
    public var rulesPath: String?
    /// The modelled effect of each action an alert can trigger, by action name.
    public var actions: [ActionEffectSpec]
    /// Money: what acquisition and actions cost (for acquisition cost per new account).
    public var economics: EconomicsSpec = EconomicsSpec()
    /// How each source's events reach the war room (instant unless the scenario says otherwise).
    public var delivery: DeliverySpec = DeliverySpec()
    /// The language of the scenario's reports (`en`, `zh`; nil: the locale's), unless `--lang` says otherwise.
    public var language: String?
    /// Named variants for what-if sweeps (empty in a variant itself).
    public var variants: [ScenarioVariant] = []
}

/// What acquisition and the playbook's actions cost, in CNY.
public struct EconomicsSpec: Sendable, Equatable {
    /// Marketing spend on acquisition per store and week.
    public var acquisitionSpendPerStoreWeek: Double = 2000
    /// Cost of each action when triggered, by action name (unlisted actions cost nothing).
    public var actionCosts: [String: Double] = [:]
    /// Creates the defaults.
    public init() {}
}

/// One named what-if variant of a scenario: the base scenario with overrides applied, decoded
/// and validated like the scenario itself.
public struct ScenarioVariant: Sendable, Equatable {
    /// Variant name (letters, digits, `-`, `_`).
    public var name: String
    /// One line saying what the variant changes.
    public var description: String
    /// Whether the alerts' actions act on the world (`playbook: off` turns them off).
    public var applyActions: Bool
    /// The overrides as written, `path = value`, for reports.
    public var overrides: [String]
    /// The scenario with the overrides applied.
    public var scenario: Scenario
    /// Creates a variant.
    public init(name: String, description: String, applyActions: Bool, overrides: [String], scenario: Scenario) {
        self.name = name
        self.description = description
        self.applyActions = applyActions
        self.overrides = overrides
        self.scenario = scenario
    }
}

/// What an action does to the simulated world when an alert triggers it.
public struct ActionEffectSpec: Sendable, Equatable {
    /// The action's name, as rules bind it.
    public var name: String
    /// Where it acts, relative to the alert's key.
    public var place: ActionPlace
    /// Hours from the alert to the start of the effect.
    public var delayHours: Double
    /// Days the effect lasts.
    public var durationDays: Double
    /// Multiplier of customers' churn hazard (1: none).
    public var churnMultiplier: Double
    /// Multiplier of walk-in traffic and account orders (1: none).
    public var trafficMultiplier: Double
    /// Multiplier of lead scans (1: none).
    public var acquisitionMultiplier: Double
}

/// Where an action acts, relative to the alert's key.
public enum ActionPlace: String, Sendable, Equatable, CaseIterable {
    /// The alert's account only (customer alerts; other alerts fall back to `store`).
    case account
    /// The alert's store (for store, customer and rep alerts: the key's store or territory).
    case store
    /// The city of the alert's key.
    case city
    /// The region of the alert's key.
    case region
    /// Every store.
    case all
}

/// The scenario's calendar.
public struct CalendarSpec: Sendable, Equatable {
    /// The first live day.
    public var start: CivilDate
    /// Days of history before the live window (daily resolution, same process).
    public var historyDays: Int
    /// Days simulated live, at millisecond resolution.
    public var liveDays: Int
}

/// Regions, cities, stores and categories.
public struct WorldSpec: Sendable, Equatable {
    /// The regions, each with its cities.
    public var regions: [RegionSpec]
    /// Product categories sold at every store.
    public var categories: [CategorySpec]

    /// A world of the given regions and categories.
    public init(regions: [RegionSpec], categories: [CategorySpec]) {
        self.regions = regions
        self.categories = categories
    }

    /// Stores in the whole world.
    public var storeCount: Int { regions.reduce(0) { $0 + $1.cities.reduce(0) { $0 + $1.stores } } }
}

/// A region and its cities.
public struct RegionSpec: Sendable, Equatable {
    /// Region name.
    public var name: String
    /// Cities of the region.
    public var cities: [CitySpec]

    /// A region of the given cities.
    public init(name: String, cities: [CitySpec]) {
        self.name = name
        self.cities = cities
    }
}

/// A city and its number of terminal stores.
public struct CitySpec: Sendable, Equatable {
    /// City name.
    public var name: String
    /// Terminal stores in the city.
    public var stores: Int

    /// A city of the given number of stores.
    public init(name: String, stores: Int) {
        self.name = name
        self.stores = stores
    }
}

/// A product category with its price level.
public struct CategorySpec: Sendable, Equatable {
    /// Category name.
    public var name: String
    /// Mean unit price, in CNY.
    public var price: Double
    /// Log-scale spread of unit prices across the category's SKUs.
    public var priceSpread: Double
    /// Number of SKUs in the category.
    public var skus: Int
    /// Share of walk-in sale lines.
    public var share: Double
    /// Mean units per sale line (≥ 1).
    public var unitsPerLine: Double
}

/// Walk-in demand.
public struct DemandSpec: Sendable, Equatable {
    /// Mean walk-in sale lines per store and day before profiles and effects.
    public var linesPerStoreDay: Double
    /// Log-scale spread of store sizes (a store's multiplier is lognormal with mean 1).
    public var storeSizeSpread: Double
    /// Relative intensity by hour of day (24 values, Monday to Sunday alike); 0 = closed.
    public var hourOfDay: [Double]
    /// Relative intensity by day of week (7 values, Monday first), normalised to mean 1.
    public var dayOfWeek: [Double]
    /// Growth per year (0.05 = +5 %/year).
    public var trendPerYear: Double
    /// Amplitude of yearly seasonality (0.1 = ±10 %).
    public var yearlyAmplitude: Double
    /// Day of the year (1–366) with the seasonal peak.
    public var yearlyPeakDay: Int
    /// Price elasticity of demand (negative): a discount d multiplies demand by (1 − d)^elasticity.
    public var priceElasticity: Double
    /// Promotions.
    public var promotions: [PromotionSpec]
    /// Store inventory policy.
    public var inventory: InventorySpec
}

/// A promotion on one category, in all stores or in one region or city.
public struct PromotionSpec: Sendable, Equatable {
    /// Promotion name.
    public var name: String
    /// Index of the promoted category.
    public var category: Int
    /// Where it runs.
    public var scope: Place
    /// First day (live-day index; negative days fall in history).
    public var startDay: Int
    /// Length in days.
    public var days: Int
    /// Price discount (0.15 = 15 % off).
    public var discount: Double
    /// Probability that a store executes it on a given day.
    public var compliance: Double
}

/// Store inventory: periodic review, order-up-to policy.
public struct InventorySpec: Sendable, Equatable {
    /// Reorder when on-hand falls below this many days of mean demand.
    public var reorderDays: Double
    /// Order up to this many days of mean demand.
    public var orderUpToDays: Double
    /// Hours from order to receipt.
    public var leadTimeHours: Int
    /// Hours between inventory level reports (and reviews).
    public var reportEveryHours: Int
}

/// Account customers.
public struct CustomerSpec: Sendable, Equatable {
    /// Active accounts per store at the start of history.
    public var perStore: Int
    /// Mean orders per customer and week.
    public var ordersPerWeek: Double
    /// Mean sale lines per order.
    public var linesPerOrder: Double
    /// Units per line relative to walk-in lines.
    public var orderSizeMultiplier: Double
    /// Churn hazard.
    public var churn: ChurnSpec
    /// Acquisition through lead scans.
    public var acquisition: AcquisitionSpec
}

/// The churn hazard of a customer.
public struct ChurnSpec: Sendable, Equatable {
    /// Baseline 7-day churn probability of a typical customer.
    public var weeklyRate: Double
    /// Log-hazard increase per 30 days since the last order.
    public var recencyEffect: Double
    /// Log-hazard decrease while a rep visited within the last 14 days.
    public var visitEffect: Double
    /// Log-hazard increase per stock-out the customer's store had in the last 7 days.
    public var stockoutEffect: Double
    /// Log-scale spread of customer frailty (lognormal, mean 1).
    public var frailtySpread: Double
}

/// Lead scans and conversion.
public struct AcquisitionSpec: Sendable, Equatable {
    /// Mean lead scans per store and week.
    public var leadsPerStoreWeek: Double
    /// Probability that a lead becomes an active customer.
    public var conversion: Double
    /// Mean days from lead to account opening.
    public var conversionDays: Double
}

/// Sales reps.
public struct RepSpec: Sendable, Equatable {
    /// Stores covered by one rep (territories are consecutive stores of a city).
    public var storesPerRep: Int
    /// Visits per rep and working day.
    public var visitsPerDay: Int
    /// Calls per rep and working day.
    public var callsPerDay: Int
    /// Of the daily visits, how many may go to following up recent lead scans (oldest first).
    public var leadVisitsPerDay: Int
    /// How reps choose whom to visit.
    public var visitPolicy: VisitPolicy
}

/// How reps choose whom to visit.
public enum VisitPolicy: String, Sendable, Equatable, CaseIterable {
    /// Uniformly among the territory's active customers.
    case random
    /// The customers not visited for longest first.
    case roundRobin
    /// The highest scores first, the score weighing twelve observable signals (see `Simulator+VisitRanking.swift`).
    case ranked
}

/// Competitors: background signals and shocks.
public struct CompetitorSpec: Sendable, Equatable {
    /// Mean competitor signals per store and week outside shocks.
    public var backgroundSignalsPerStoreWeek: Double
    /// Shocks.
    public var shocks: [ShockSpec]
}

/// A competitor shock in one city.
public struct ShockSpec: Sendable, Equatable {
    /// Shock name.
    public var name: String
    /// What the competitor does.
    public var kind: ShockKind
    /// Index of the city hit.
    public var city: Int
    /// Live day of onset.
    public var startDay: Int
    /// Hour of onset on that day.
    public var startHour: Int
    /// Days from onset to full effect.
    public var rampDays: Double
    /// Days the shock lasts after onset.
    public var durationDays: Int
    /// Change of walk-in traffic and account orders at full effect (−0.15 = −15 %).
    public var trafficEffect: Double
    /// Share of the city's customers the competitor reaches at full effect.
    public var reach: Double
    /// Churn hazard multiplier of a reached customer.
    public var churnMultiplier: Double
    /// Competitor signals per store and day at full effect.
    public var signalsPerStoreDay: Double
    /// Share of lead scans captured by the competitor's experience stores at full effect.
    public var leadCapture: Double
}

/// What a competitor shock is.
public enum ShockKind: String, Sendable, Equatable, CaseIterable {
    /// New products flooding the market with experience stores.
    case productLaunch
    /// Aggressive price cuts.
    case priceWar
}
