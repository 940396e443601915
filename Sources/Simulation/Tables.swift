import Foundation
import WarRoomCore

/// Constants derived once from the scenario: samplers, prices, profiles.
struct Tables {
    /// Hour weights normalised to sum 1.
    let hourShare: [Double]
    /// Cumulative hour shares, for drawing a time of day.
    let hourCDF: [Double]
    /// The first open hour.
    let openingHour: Int
    /// Cumulative category shares of walk-in lines.
    let categoryCDF: [Double]
    /// All SKU prices in fen, category after category (`skuOffset[c]` is category c's first).
    let skuPriceFlat: [Int64]
    /// Index of each category's first SKU in `skuPriceFlat`.
    let skuOffset: [Int]
    /// Mean SKU price in fen, by category.
    let meanPriceFen: [Double]
    /// Units per walk-in line: 1 + Poisson(mean − 1), by category.
    let walkInUnits: [PoissonTable]
    /// Units per account-order line, by category.
    let orderUnits: [PoissonTable]
    /// Extra lines per order: Poisson(linesPerOrder − 1).
    let extraOrderLines: PoissonTable
    /// Baseline daily churn hazard of a typical customer.
    let baseHazard: Double
    /// Centring of the recency term, so the typical customer's multiplier is about 1.
    let recencyCentre: Double
    /// Centring of the visit term.
    let visitCentre: Double
    /// Days from 1970-01-01 to the first live day.
    let startEpochDay: Int

    init(scenario: Scenario, seed: UInt64) {
        let d = scenario.demand
        let hourSum = d.hourOfDay.reduce(0, +)
        hourShare = d.hourOfDay.map { $0 / hourSum }
        var acc = 0.0
        hourCDF = hourShare.map { acc += $0; return acc }
        openingHour = d.hourOfDay.firstIndex { $0 > 0 } ?? 0
        acc = 0
        let cats = scenario.world.categories
        categoryCDF = cats.map { acc += $0.share; return acc }
        var prices: [[Int64]] = []
        for (c, cat) in cats.enumerated() {
            // SKU price factors are fixed by the seed and category, never by store.
            var rng = RandomStream(seed: seed, stream: .storeProfile, entity: UInt64(1 << 40) + UInt64(c))
            prices.append((0..<cat.skus).map { _ in
                // Capped at 1,000,000 CNY a unit so that line and day amounts stay far inside Int64.
                min(100_000_000, max(1, Int64((cat.price * 100 * rng.lognormalMeanOne(sigma: cat.priceSpread)).rounded())))
            })
        }
        skuPriceFlat = prices.flatMap { $0 }
        var offsets: [Int] = []
        var next = 0
        for p in prices { offsets.append(next); next += p.count }
        skuOffset = offsets
        meanPriceFen = prices.map { Double($0.reduce(0, +)) / Double($0.count) }
        walkInUnits = cats.map { PoissonTable(mean: $0.unitsPerLine - 1) }
        orderUnits = cats.map { PoissonTable(mean: $0.unitsPerLine * scenario.customers.orderSizeMultiplier - 1) }
        extraOrderLines = PoissonTable(mean: scenario.customers.linesPerOrder - 1)

        let churn = scenario.customers.churn
        baseHazard = 1 - pow(1 - churn.weeklyRate, 1.0 / 7)
        // Days since the last order of a customer ordering at the configured rate: P(D ≥ k) = qᵏ.
        let q = exp(-scenario.customers.ordersPerWeek / 7)
        var expectedCapped = 0.0
        var qk = 1.0
        for _ in 1...90 { qk *= q; expectedCapped += qk }
        recencyCentre = expectedCapped / 30
        // Chance that a customer was visited in the last 14 days, with visits spread evenly.
        let customersPerRep = Double(scenario.customers.perStore * scenario.reps.storesPerRep)
        let visitsPerDay = Double(scenario.reps.visitsPerDay) * 5 / 7
        let pDay = customersPerRep > 0 ? min(1, visitsPerDay / customersPerRep) : 0
        visitCentre = 1 - pow(1 - pDay, 14)
        startEpochDay = scenario.calendar.start.daysSinceEpoch
    }

    /// A time of day in ms, drawn from the hour profile.
    @inline(__always)
    func timeOfDay(_ rng: inout RandomStream) -> Millis {
        let u = rng.uniform()
        var h = 0
        while h < 23 && u >= hourCDF[h] { h += 1 }
        return Millis(h) * SimTime.hour + Millis(rng.below(Int(SimTime.hour)))
    }

    /// A category drawn by walk-in share.
    @inline(__always)
    func category(_ rng: inout RandomStream) -> Int {
        let u = rng.uniform()
        var c = 0
        let last = categoryCDF.count - 1
        while c < last && u >= categoryCDF[c] { c += 1 }
        return c
    }
}

/// Inversion sampler for Poisson variates with a small mean: a cumulative table scanned from
/// zero, exact up to the table's end (probability mass beyond is below 1e-15) and falling back
/// to the general sampler there.
struct PoissonTable {
    let cdf: [Double]
    let mean: Double

    init(mean: Double) {
        self.mean = max(0, mean)
        var p = exp(-self.mean), s = p
        var table = [s]
        var k = 0.0
        while s < 1 - 1e-15 && table.count < 4096 {
            k += 1
            p *= self.mean / k
            s += p
            table.append(s)
            if p == 0 && k > self.mean { break }
        }
        cdf = table
    }

    @inline(__always)
    func sample(_ rng: inout RandomStream) -> Int {
        let u = rng.uniform()
        var k = 0
        let n = cdf.count
        while k < n && u >= cdf[k] { k += 1 }
        return k < n ? k : rng.poisson(mean)
    }
}
