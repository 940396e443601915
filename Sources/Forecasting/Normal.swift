import Foundation

/// The standard normal distribution's quantile function.
public enum Normal {
    /// Φ⁻¹(p) by Acklam's rational approximation (relative error < 1.2e-9), refined with one
    /// Halley step on erfc.
    public static func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "quantile level must be in (0, 1)")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        return x - u / (1 + x * u / 2)
    }
}

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
