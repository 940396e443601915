import Foundation

/// Names the independent random streams of the simulator. Each draw is keyed by
/// (seed, stream, entity, counter), so an entity's draws never depend on another entity's.
public enum StreamID: UInt64, Sendable {
    /// Store layout constants: size multiplier, base inventory.
    case storeProfile = 1
    /// Walk-in sale lines of a store on a day.
    case storeSales = 2
    /// Inventory and replenishment of a store on a day.
    case storeInventory = 3
    /// Promotion execution at a store on a day.
    case storePromotion = 4
    /// Competitor signals near a store on a day.
    case competitorSignals = 5
    /// A customer's constant traits (frailty, order size).
    case customerProfile = 6
    /// A customer's behaviour on a day (orders, churn).
    case customerDay = 7
    /// Lead scans and acquisition of a store on a day.
    case acquisition = 8
    /// A rep's visits and calls on a day.
    case repDay = 9
    /// Delays, duplicates and hold-backs of one source's events on a day (delivery).
    case deliveryEvents = 10
    /// The delay of one batch of a source (delivery).
    case deliveryBatch = 11
    /// A source's outages on a day (delivery).
    case deliveryOutages = 12
    /// Synthetic data of benchmarks and model tests (never part of a simulated world).
    case synthetic = 100
}

/// A counter-based random stream: draw `n` is a pure function of (seed, stream, entity, day, n).
///
/// The key is hashed once; each draw is one SplitMix64 finaliser of `key + n·γ`, so streams
/// for different keys are independent for all practical purposes and cost ~1 ns a draw.
public struct RandomStream {
    @usableFromInline var state: UInt64

    /// The stream for an entity on a day.
    @inlinable
    public init(seed: UInt64, stream: StreamID, entity: UInt64, day: Int64 = 0) {
        var k = RandomStream.mix(seed ^ 0x6A09_E667_F3BC_C909)
        k = RandomStream.mix(k ^ (stream.rawValue &* 0x9E37_79B9_7F4A_7C15))
        k = RandomStream.mix(k ^ (entity &* 0xD1B5_4A32_D192_ED03))
        k = RandomStream.mix(k ^ (UInt64(bitPattern: day) &* 0x8CB9_2BA7_2F3D_8DD7))
        state = k
    }

    /// The SplitMix64 finaliser (Stafford's mix 13).
    @inlinable @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return RandomStream.mix(state)
    }

    /// A uniform double in [0, 1).
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in (0, 1], safe for `log`.
    @inlinable @inline(__always)
    public mutating func uniformPositive() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }

    /// A uniform integer in 0..<n (n > 0), by Lemire's multiply-shift (bias below 2⁻⁶⁴·n).
    @inlinable @inline(__always)
    public mutating func below(_ n: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// True with probability `p`.
    @inlinable @inline(__always)
    public mutating func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// An exponential variate with mean 1.
    @inlinable @inline(__always)
    public mutating func exponential() -> Double { -log(uniformPositive()) }

    /// A standard normal variate (Box–Muller, one of the pair).
    @inlinable
    public mutating func normal() -> Double {
        let u = uniformPositive(), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// A lognormal multiplier with mean 1 and log-scale standard deviation `sigma`.
    @inlinable
    public mutating func lognormalMeanOne(sigma: Double) -> Double {
        sigma == 0 ? 1 : exp(sigma * normal() - sigma * sigma / 2)
    }

    /// A Poisson variate with mean `lambda` (exact: inversion below 10, Hörmann's PTRS above).
    public mutating func poisson(_ lambda: Double) -> Int {
        if !(lambda > 0) { return 0 }
        if lambda < 10 {
            // Inversion by sequential search.
            var k = 0
            var p = exp(-lambda)
            var s = p
            let u = uniform()
            while u > s && k < 1000 {
                k += 1
                p *= lambda / Double(k)
                s += p
            }
            return k
        }
        // PTRS: W. Hörmann, "The transformed rejection method for generating Poisson random
        // variables", Insurance: Mathematics and Economics 12 (1993).
        let slam = lambda.squareRoot(), loglam = log(lambda)
        let b = 0.931 + 2.53 * slam
        let a = -0.059 + 0.02483 * b
        let invalpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = uniform() - 0.5
            let v = uniform()
            let us = 0.5 - abs(u)
            let k = floor((2 * a / us + b) * u + lambda + 0.43)
            if us >= 0.07 && v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(invalpha) - log(a / (us * us) + b) <= -lambda + k * loglam - lgamma(k + 1) {
                return Int(k)
            }
        }
    }
}
