import Foundation
import WarRoomCore

/// Student's t distribution's quantiles, for confidence intervals of means.
public enum StudentT {
    /// t such that P(T ≤ t) = p for ν degrees of freedom: exact for ν = 1, 2; otherwise the
    /// Cornish–Fisher expansion in 1/ν, polished by Newton steps on the CDF (the density
    /// integrated by Simpson's rule), to about 1e-9.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Int) -> Double {
        let start = cornishFisher(p, nu)
        if nu <= 2 { return start }
        let v = Double(nu)
        let logC = lgamma((v + 1) / 2) - lgamma(v / 2) - 0.5 * log(v * Double.pi)
        func density(_ x: Double) -> Double { exp(logC - (v + 1) / 2 * log1p(x * x / v)) }
        func cdf(_ t: Double) -> Double {
            let n = 2000
            let h = t / Double(n)
            var s = density(0) + density(t)
            for i in 1..<n { s += density(Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
            return 0.5 + s * h / 3
        }
        var t = start
        for _ in 0..<3 { t -= (cdf(t) - p) / density(t) }
        return t
    }

    static func cornishFisher(_ p: Double, _ nu: Int) -> Double {
        precondition(nu >= 1 && p > 0 && p < 1)
        let v = Double(nu)
        if nu == 1 { return tan(Double.pi * (p - 0.5)) }
        if nu == 2 { let a = 4 * p * (1 - p); return 2 * (p - 0.5) * (2 / a).squareRoot() }
        let z = Normal.quantile(p)
        let z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z
        return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v)
            + (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v)
    }
}
