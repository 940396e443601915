import Foundation

extension Scenario {
    /// Largest number of stores in a world.
    public static let maxStores = 100_000
    /// Largest number of account customers at start (stores × customers per store).
    public static let maxCustomers = 5_000_000
    /// Largest expected number of events in one simulated day (bounds the day buffer).
    public static let maxEventsPerDay = 20_000_000
    /// Largest expected number of accounts over the whole horizon (initial ones and converted leads).
    public static let maxAccountsEver = 10_000_000

    /// Reads and validates a scenario file.
    ///
    /// - Throws: `InputError` naming the file, line, column and field for any problem; nothing
    ///   is written before the scenario is fully valid.
    public static func load(path: String) throws -> (scenario: Scenario, text: String) {
        let text = try YAMLFile.read(path: path, kind: "scenario file")
        return (try decode(yaml: text, file: path), text)
    }

    /// Decodes and validates scenario YAML text; `file` is used in error messages.
    public static func decode(yaml text: String, file: String) throws -> Scenario {
        let root = try YAMLValue.parse(text, file: file)
        var scenario = try decode(root: root)
        if let variants = try root.optional("variants") { scenario.variants = try decodeVariants(variants, root: root) }
        return scenario
    }

    /// Decodes everything but the variants from a document's root.
    static func decode(root: YAMLValue) throws -> Scenario {
        try root.expectKeys(["name", "description", "seed", "calendar", "world", "demand", "customers", "reps", "competitors", "rules", "actions",
                             "economics", "variants", "language", "delivery"])

        let nameValue = try root.require("name")
        let name = try nameValue.identifier(maxLength: 64)
        let description = try root.optional("description")?.string() ?? ""
        let seed = UInt64(try root.optional("seed")?.int(in: 0...Int(Int64.max)) ?? 1)

        let calendar = try decodeCalendar(try root.require("calendar"))
        let world = try decodeWorld(try root.require("world"))
        let demand = try decodeDemand(try root.require("demand"), world: world)
        let customersValue = try root.require("customers")
        let customers = try decodeCustomers(customersValue)
        // Units of an account-order line: keep every line's amount, and so every day's sum, in range.
        for (i, c) in world.categories.enumerated() where c.unitsPerLine * customers.orderSizeMultiplier > 1000 {
            throw try customersValue.require("orderSizeMultiplier").error(
                "makes account lines of '\(world.categories[i].name)' average \(c.unitsPerLine * customers.orderSizeMultiplier) units; at most 1000 are supported")
        }
        let reps = try decodeReps(try root.require("reps"))
        let competitors = try decodeCompetitors(try root.optional("competitors"), world: world, calendar: calendar)

        let rulesPath = try root.optional("rules")?.name(maxLength: 1000)
        var scenario = Scenario(name: name, description: description, seed: seed, calendar: calendar, world: world,
                                demand: demand, customers: customers, reps: reps, competitors: competitors,
                                rulesPath: rulesPath, actions: try decodeActions(try root.optional("actions")))
        scenario.language = try root.optional("language")?.oneOf(["en", "zh"])
        if let economics = try root.optional("economics") {
            try economics.expectKeys(["acquisitionSpendPerStoreWeek", "actionCosts"])
            if let spend = try economics.optional("acquisitionSpendPerStoreWeek") { scenario.economics.acquisitionSpendPerStoreWeek = try spend.double(in: 0...1e9) }
            for (action, cost) in try economics.optional("actionCosts")?.mapping() ?? [] {
                scenario.economics.actionCosts[action] = try cost.double(in: 0...1e12)
            }
        }
        if let delivery = try root.optional("delivery") { scenario.delivery = try decodeDelivery(delivery) }
        try scenario.checkSizes(root: root)
        return scenario
    }

    /// Checks products of sizes before anything is allocated.
    private func checkSizes(root: YAMLValue) throws {
        let stores = world.storeCount
        if stores > Self.maxStores {
            throw try root.require("world").error("the world has \(stores) stores; at most \(Self.maxStores) are supported")
        }
        let (customerCount, overflow) = stores.multipliedReportingOverflow(by: customers.perStore)
        if overflow || customerCount > Self.maxCustomers {
            throw try root.require("customers").require("perStore").error(
                "\(stores) stores × \(customers.perStore) customers exceeds the limit of \(Self.maxCustomers) customers")
        }
        let days = Double(calendar.historyDays + calendar.liveDays)
        let accountsEver = Double(stores) * (Double(customers.perStore)
            + customers.acquisition.leadsPerStoreWeek / 7 * customers.acquisition.conversion * days)
        if accountsEver > Double(Self.maxAccountsEver) {
            throw try root.require("customers").require("acquisition").require("leadsPerStoreWeek").error(String(
                format: "the world would open about %.0f accounts over %.0f days; at most %d are supported", accountsEver, days, Self.maxAccountsEver))
        }
        // Peak expected events of one day: walk-in lines at the busiest weekday and season, with every
        // promotion stacked, plus account order lines, visits, calls and inventory reports.
        let dowMax = demand.dayOfWeek.max() ?? 1
        let promoMax = demand.promotions.reduce(1.0) { $0 * pow(1 - $1.discount, demand.priceElasticity) }
        let perStore = demand.linesPerStoreDay * dowMax * (1 + demand.yearlyAmplitude) * promoMax
            * pow(1 + max(demand.trendPerYear, 0), Double(calendar.liveDays) / 365) * exp(3 * demand.storeSizeSpread)
            + Double(customers.perStore) * customers.ordersPerWeek * customers.linesPerOrder
            + Double(24 / demand.inventory.reportEveryHours * world.categories.count)
            + customers.acquisition.leadsPerStoreWeek / 7 * dowMax
            + competitors.backgroundSignalsPerStoreWeek / 7 + competitors.shocks.reduce(0) { $0 + $1.signalsPerStoreDay }
        let perDay = Double(stores) * perStore
        if perDay > Double(Self.maxEventsPerDay) {
            let gib = perDay * Double(MemoryLayout<Event>.stride + 8) / Double(1 << 30)
            throw try root.require("demand").require("linesPerStoreDay").error(
                String(format: "a busy day would hold about %.0f events (%.1f GiB of buffers); at most %d events a day are supported",
                       perDay, gib, Self.maxEventsPerDay))
        }
    }

    private static func decodeCalendar(_ v: YAMLValue) throws -> CalendarSpec {
        try v.expectKeys(["start", "historyDays", "liveDays"])
        let startValue = try v.require("start")
        let startText = try startValue.string()
        guard let start = CivilDate(iso: startText) else {
            throw startValue.error("expected a date as YYYY-MM-DD between 1900 and 2200, got '\(startText)'")
        }
        return CalendarSpec(start: start,
                            historyDays: try v.optional("historyDays")?.int(in: 0...3660) ?? 371,
                            liveDays: try v.require("liveDays").int(in: 1...3660))
    }

    private static func decodeWorld(_ v: YAMLValue) throws -> WorldSpec {
        try v.expectKeys(["regions", "categories"])
        var regionNames = Set<String>(), cityNames = Set<String>()
        let regions = try v.require("regions").sequence(minCount: 1, maxCount: 1000).map { r -> RegionSpec in
            try r.expectKeys(["name", "cities"])
            let nameValue = try r.require("name")
            let name = try nameValue.name()
            if !regionNames.insert(name).inserted { throw nameValue.error("region '\(name)' is named twice") }
            let cities = try r.require("cities").sequence(minCount: 1, maxCount: 1000).map { c -> CitySpec in
                try c.expectKeys(["name", "stores"])
                let cityNameValue = try c.require("name")
                let cityName = try cityNameValue.name()
                if !cityNames.insert(cityName).inserted { throw cityNameValue.error("city '\(cityName)' is named twice") }
                return CitySpec(name: cityName, stores: try c.require("stores").int(in: 1...Scenario.maxStores))
            }
            return RegionSpec(name: name, cities: cities)
        }
        if regions.reduce(0, { $0 + $1.cities.count }) > Int(Int16.max) {
            throw v.error("at most \(Int16.max) cities are supported")
        }
        var categoryNames = Set<String>()
        let categoriesValue = try v.require("categories")
        let categories = try categoriesValue.sequence(minCount: 1, maxCount: 64).map { c -> CategorySpec in
            try c.expectKeys(["name", "price", "priceSpread", "skus", "share", "unitsPerLine"])
            let nameValue = try c.require("name")
            let name = try nameValue.name()
            if !categoryNames.insert(name).inserted { throw nameValue.error("category '\(name)' is named twice") }
            return CategorySpec(name: name,
                                price: try c.require("price").double(in: 0.01...100_000),
                                priceSpread: try c.optional("priceSpread")?.double(in: 0...2) ?? 0,
                                skus: try c.optional("skus")?.int(in: 1...100_000) ?? 1,
                                share: try c.require("share").double(in: 0...1),
                                unitsPerLine: try c.optional("unitsPerLine")?.double(in: 1...1000) ?? 1)
        }
        let shareSum = categories.reduce(0) { $0 + $1.share }
        if abs(shareSum - 1) > 1e-6 {
            throw categoriesValue.error("the categories' shares must add up to 1, got \(shareSum)")
        }
        return WorldSpec(regions: regions, categories: categories)
    }

    private static func place(_ v: YAMLValue?, world: WorldSpec) throws -> Place {
        guard let v else { return .global }
        let text = try v.string()
        if text == "all" { return .global }
        if let r = world.regions.firstIndex(where: { $0.name == text }) { return .region(r) }
        if let c = world.cities.firstIndex(where: { $0.name == text }) { return .city(c) }
        throw v.error("expected 'all', a region or a city of the world, got '\(text)'")
    }

    private static func weights(_ v: YAMLValue, count: Int, what: String) throws -> [Double] {
        let items = try v.sequence(minCount: count, maxCount: count)
        let values = try items.map { try $0.double(in: 0...1_000_000) }
        if values.allSatisfy({ $0 == 0 }) { throw v.error("the \(what) weights must not all be 0") }
        return values
    }

    private static func decodeDemand(_ v: YAMLValue, world: WorldSpec) throws -> DemandSpec {
        try v.expectKeys(["linesPerStoreDay", "storeSizeSpread", "hourOfDay", "dayOfWeek", "trendPerYear",
                          "yearlyAmplitude", "yearlyPeakDay", "priceElasticity", "promotions", "inventory"])
        var hours = Array(repeating: 1.0, count: 24)
        if let h = try v.optional("hourOfDay") { hours = try weights(h, count: 24, what: "hour-of-day") }
        var days = Array(repeating: 1.0, count: 7)
        if let d = try v.optional("dayOfWeek") { days = try weights(d, count: 7, what: "day-of-week") }
        let dayMean = days.reduce(0, +) / 7
        days = days.map { $0 / dayMean }
        let promotions = try (v.optional("promotions")?.sequence(maxCount: 1000) ?? []).map { p -> PromotionSpec in
            try p.expectKeys(["name", "category", "scope", "startDay", "days", "discount", "compliance"])
            let categoryValue = try p.require("category")
            let categoryName = try categoryValue.string()
            guard let category = world.categories.firstIndex(where: { $0.name == categoryName }) else {
                throw categoryValue.error("unknown category '\(categoryName)'; the world has: \(world.categories.map(\.name).joined(separator: ", "))")
            }
            return PromotionSpec(name: try p.require("name").name(), category: category,
                                 scope: try place(try p.optional("scope"), world: world),
                                 startDay: try p.require("startDay").int(in: -3660...3660),
                                 days: try p.require("days").int(in: 1...366),
                                 discount: try p.require("discount").double(in: 0...0.9),
                                 compliance: try p.optional("compliance")?.double(in: 0...1) ?? 0.9)
        }
        let inv = try v.optional("inventory")
        try inv?.expectKeys(["reorderDays", "orderUpToDays", "leadTimeHours", "reportEveryHours"])
        let reorder = try inv?.optional("reorderDays")?.double(in: 0...365) ?? 2
        let orderUpToValue = try inv?.optional("orderUpToDays")
        let orderUpTo = try orderUpToValue?.double(in: 0.1...365) ?? 7
        if orderUpTo <= reorder {
            throw (orderUpToValue ?? v).error("orderUpToDays must be greater than reorderDays (\(reorder)), got \(orderUpTo)")
        }
        let reportValue = try inv?.optional("reportEveryHours")
        let reportEvery = try reportValue?.int(in: 1...24) ?? 4
        if 24 % reportEvery != 0 { throw reportValue!.error("must divide 24 (1, 2, 3, 4, 6, 8, 12 or 24), got \(reportEvery)") }
        return DemandSpec(linesPerStoreDay: try v.require("linesPerStoreDay").double(in: 0...100_000),
                          storeSizeSpread: try v.optional("storeSizeSpread")?.double(in: 0...2) ?? 0,
                          hourOfDay: hours, dayOfWeek: days,
                          trendPerYear: try v.optional("trendPerYear")?.double(in: -0.9...10) ?? 0,
                          yearlyAmplitude: try v.optional("yearlyAmplitude")?.double(in: 0...0.9) ?? 0,
                          yearlyPeakDay: try v.optional("yearlyPeakDay")?.int(in: 1...366) ?? 1,
                          priceElasticity: try v.optional("priceElasticity")?.double(in: -10...0) ?? -1,
                          promotions: promotions,
                          inventory: InventorySpec(reorderDays: reorder, orderUpToDays: orderUpTo,
                                                   leadTimeHours: try inv?.optional("leadTimeHours")?.int(in: 1...24 * 60) ?? 24,
                                                   reportEveryHours: reportEvery))
    }

    private static func decodeCustomers(_ v: YAMLValue) throws -> CustomerSpec {
        try v.expectKeys(["perStore", "ordersPerWeek", "linesPerOrder", "orderSizeMultiplier", "churn", "acquisition"])
        let churn = try v.require("churn")
        try churn.expectKeys(["weeklyRate", "recencyEffect", "visitEffect", "stockoutEffect", "frailtySpread"])
        let acq = try v.require("acquisition")
        try acq.expectKeys(["leadsPerStoreWeek", "conversion", "conversionDays"])
        return CustomerSpec(
            perStore: try v.require("perStore").int(in: 0...100_000),
            ordersPerWeek: try v.require("ordersPerWeek").double(in: 0...70),
            linesPerOrder: try v.optional("linesPerOrder")?.double(in: 1...100) ?? 3,
            orderSizeMultiplier: try v.optional("orderSizeMultiplier")?.double(in: 0.1...100) ?? 1,
            churn: ChurnSpec(weeklyRate: try churn.require("weeklyRate").double(in: 0...0.99),
                             recencyEffect: try churn.optional("recencyEffect")?.double(in: -5...5) ?? 0,
                             visitEffect: try churn.optional("visitEffect")?.double(in: -5...5) ?? 0,
                             stockoutEffect: try churn.optional("stockoutEffect")?.double(in: -5...5) ?? 0,
                             frailtySpread: try churn.optional("frailtySpread")?.double(in: 0...3) ?? 0),
            acquisition: AcquisitionSpec(leadsPerStoreWeek: try acq.require("leadsPerStoreWeek").double(in: 0...10_000),
                                         conversion: try acq.require("conversion").double(in: 0...1),
                                         conversionDays: try acq.optional("conversionDays")?.double(in: 0...365) ?? 3))
    }

    private static func decodeReps(_ v: YAMLValue) throws -> RepSpec {
        try v.expectKeys(["storesPerRep", "visitsPerDay", "callsPerDay", "leadVisitsPerDay", "visitPolicy"])
        let policyValue = try v.optional("visitPolicy")
        let policy = try policyValue.map { VisitPolicy(rawValue: try $0.oneOf(VisitPolicy.allCases.map(\.rawValue)))! } ?? .random
        let visits = try v.require("visitsPerDay").int(in: 0...100)
        let leadVisitsValue = try v.optional("leadVisitsPerDay")
        let leadVisits = try leadVisitsValue?.int(in: 0...100) ?? 0
        if leadVisits > visits { throw leadVisitsValue!.error("must be at most visitsPerDay (\(visits)), got \(leadVisits)") }
        return RepSpec(storesPerRep: try v.require("storesPerRep").int(in: 1...1000),
                       visitsPerDay: visits,
                       callsPerDay: try v.optional("callsPerDay")?.int(in: 0...500) ?? 0,
                       leadVisitsPerDay: leadVisits,
                       visitPolicy: policy)
    }

    private static func decodeActions(_ v: YAMLValue?) throws -> [ActionEffectSpec] {
        guard let v else { return [] }
        return try v.mapping().map { name, a in
            try a.expectKeys(["place", "delayHours", "durationDays", "churnMultiplier", "trafficMultiplier", "acquisitionMultiplier"])
            let place = ActionPlace(rawValue: try a.optional("place")?.oneOf(ActionPlace.allCases.map(\.rawValue)) ?? "city")!
            return ActionEffectSpec(name: name, place: place,
                                    delayHours: try a.optional("delayHours")?.double(in: 0...24 * 365) ?? 0,
                                    durationDays: try a.require("durationDays").double(in: 0...3660),
                                    churnMultiplier: try a.optional("churnMultiplier")?.double(in: 0...100) ?? 1,
                                    trafficMultiplier: try a.optional("trafficMultiplier")?.double(in: 0...100) ?? 1,
                                    acquisitionMultiplier: try a.optional("acquisitionMultiplier")?.double(in: 0...100) ?? 1)
        }
    }

    private static func decodeCompetitors(_ v: YAMLValue?, world: WorldSpec, calendar: CalendarSpec) throws -> CompetitorSpec {
        guard let v else { return CompetitorSpec(backgroundSignalsPerStoreWeek: 0, shocks: []) }
        try v.expectKeys(["backgroundSignalsPerStoreWeek", "shocks"])
        var names = Set<String>()
        let shocks = try (v.optional("shocks")?.sequence(maxCount: 100) ?? []).map { s -> ShockSpec in
            try s.expectKeys(["name", "kind", "city", "startDay", "startHour", "rampDays", "durationDays", "trafficEffect",
                              "reach", "churnMultiplier", "signalsPerStoreDay", "leadCapture"])
            let nameValue = try s.require("name")
            let name = try nameValue.name()
            if !names.insert(name).inserted { throw nameValue.error("shock '\(name)' is named twice") }
            let cityValue = try s.require("city")
            let cityName = try cityValue.string()
            guard let city = world.cities.firstIndex(where: { $0.name == cityName }) else {
                throw cityValue.error("unknown city '\(cityName)'; the world has: \(world.cities.map(\.name).joined(separator: ", "))")
            }
            let kind = ShockKind(rawValue: try s.require("kind").oneOf(ShockKind.allCases.map(\.rawValue)))!
            return ShockSpec(name: name, kind: kind, city: city,
                             startDay: try s.require("startDay").int(in: 0...(calendar.liveDays - 1)),
                             startHour: try s.optional("startHour")?.int(in: 0...23) ?? 9,
                             rampDays: try s.optional("rampDays")?.double(in: 0...365) ?? 0,
                             durationDays: try s.require("durationDays").int(in: 1...3660),
                             trafficEffect: try s.optional("trafficEffect")?.double(in: -0.95...5) ?? 0,
                             reach: try s.optional("reach")?.double(in: 0...1) ?? 0,
                             churnMultiplier: try s.optional("churnMultiplier")?.double(in: 0...100) ?? 1,
                             signalsPerStoreDay: try s.optional("signalsPerStoreDay")?.double(in: 0...10_000) ?? 0,
                             leadCapture: try s.optional("leadCapture")?.double(in: 0...1) ?? 0)
        }
        return CompetitorSpec(backgroundSignalsPerStoreWeek: try v.optional("backgroundSignalsPerStoreWeek")?.double(in: 0...10_000) ?? 0,
                              shocks: shocks)
    }
}

extension WorldSpec {
    /// All cities in region order.
    public var cities: [CitySpec] { regions.flatMap(\.cities) }
}
