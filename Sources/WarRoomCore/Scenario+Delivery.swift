import Foundation

extension Scenario {
    /// Decodes the `delivery:` section: `all:` sets every source, then each named source
    /// (`pos`, `inventory`, `promotion`, `leads`, `crm`, `calls`, `competitor`) replaces it for
    /// itself; `lateness:` sets the engine's allowed lateness in place of the rule file's.
    static func decodeDelivery(_ v: YAMLValue) throws -> DeliverySpec {
        let names = DataSource.allCases.map(\.description)
        try v.expectKeys(["all", "lateness"] + names)
        var spec = DeliverySpec()
        if let lateness = try v.optional("lateness") {
            let l = try lateness.duration()
            if l > 7 * SimTime.day { throw lateness.error("must be at most 7d, got \(DurationText.format(l))") }
            spec.lateness = l
        }
        if let all = try v.optional("all") {
            let model = try decodeDeliveryModel(all)
            for source in DataSource.allCases { spec[source] = model }
        }
        for source in DataSource.allCases {
            if let entry = try v.optional(source.description) { spec[source] = try decodeDeliveryModel(entry) }
        }
        return spec
    }

    /// Decodes one source's delivery model.
    static func decodeDeliveryModel(_ v: YAMLValue) throws -> DeliveryModel {
        try v.expectKeys(["mode", "delay", "every", "hour", "outages", "duplicates", "reorder"])
        let modeValue = try v.require("mode")
        let modeName = try modeValue.oneOf(["instant", "streaming", "microBatch", "daily"])
        var model = DeliveryModel()
        func reject(_ key: String) throws {
            if let extra = try v.optional(key) { throw extra.error("is not used with mode \(modeName)") }
        }
        switch modeName {
        case "instant":
            for key in ["delay", "every", "hour", "outages", "duplicates", "reorder"] { try reject(key) }
            return model
        case "streaming":
            try reject("every")
            try reject("hour")
            model.mode = .streaming
            model.delay = try decodeDelay(try v.require("delay"))
        case "microBatch":
            try reject("hour")
            let every = try v.require("every")
            let step = try every.duration(min: SimTime.second)
            if step > SimTime.day { throw every.error("must be at most 1d (a longer batch is mode daily), got \(DurationText.format(step))") }
            model.mode = .microBatch(every: step)
            model.delay = try v.optional("delay").map(decodeDelay) ?? .zero
        default:
            try reject("every")
            model.mode = .daily(hour: try v.optional("hour")?.int(in: 0...23) ?? 6)
            model.delay = try v.optional("delay").map(decodeDelay) ?? .zero
        }
        if let outages = try v.optional("outages") {
            try outages.expectKeys(["perWeek", "duration"])
            model.outagesPerWeek = try outages.require("perWeek").double(in: 0...50)
            let duration = try outages.require("duration")
            model.outageDuration = try duration.duration(min: SimTime.minute)
            if model.outageDuration > 7 * SimTime.day { throw duration.error("must be at most 7d, got \(DurationText.format(model.outageDuration))") }
        }
        model.duplicates = try v.optional("duplicates")?.double(in: 0...0.5) ?? 0
        model.reorder = try v.optional("reorder")?.double(in: 0...1) ?? 0
        return model
    }

    /// Decodes `{ median: 2m, p99: 10m }`.
    private static func decodeDelay(_ v: YAMLValue) throws -> DelaySpec {
        try v.expectKeys(["median", "p99"])
        let medianValue = try v.require("median"), p99Value = try v.require("p99")
        let median = try medianValue.duration(), p99 = try p99Value.duration()
        if median > 7 * SimTime.day { throw medianValue.error("must be at most 7d, got \(DurationText.format(median))") }
        if p99 > 30 * SimTime.day { throw p99Value.error("must be at most 30d, got \(DurationText.format(p99))") }
        if p99 < median { throw p99Value.error("must be at least the median (\(DurationText.format(median))), got \(DurationText.format(p99))") }
        if median == 0 && p99 > 0 { throw medianValue.error("must be above 0 when p99 is (a lognormal delay needs a median)") }
        return DelaySpec(median: median, p99: p99)
    }
}
