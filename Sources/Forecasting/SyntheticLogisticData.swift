import Linalg
import WarRoomCore

/// Synthetic data for the logistic model with known coefficients: `rows` rows of `features`
/// standard-normal-like features (each leaning on the one before, as real features do), labels
/// drawn from the logistic model. Deterministic in `seed`, whatever the number of threads.
///
/// ```swift
/// let data = SyntheticLogisticData(rows: 100_000, features: 30, seed: 7)
/// let fit = try data.fit(l2: 1)   // fit.coefficients ≈ data.coefficients
/// ```
public struct SyntheticLogisticData: Sendable {
    /// The design matrix, `rows` × `features` (no intercept column).
    public var features: Matrix
    /// The 0/1 labels.
    public var labels: [Double]
    /// The coefficients the labels were drawn from, intercept first.
    public var coefficients: [Double]

    /// Draws the data.
    public init(rows n: Int, features p: Int, seed: UInt64) {
        var coefficientRNG = RandomStream(seed: seed, stream: .synthetic, entity: 0)
        let truth = [-1.5] + (0..<p).map { _ in 0.5 * coefficientRNG.normal() }
        // Drawn in 64 chunks, each from its own stream, so the rows do not depend on the threads.
        let chunks = 64
        let per = (n + chunks - 1) / chunks
        let parts = parallelMap(chunks) { c -> ([Double], [Double]) in
            var rng = RandomStream(seed: seed, stream: .synthetic, entity: UInt64(c + 1))
            let lo = c * per, hi = min(n, lo + per)
            var xs = [Double](), ys = [Double]()
            xs.reserveCapacity(max(0, hi - lo) * p)
            for _ in lo..<max(lo, hi) {
                var eta = truth[0]
                var previous = 0.0
                for j in 0..<p {
                    let v = 0.6 * previous + 0.8 * rng.normal() + (j % 5 == 0 ? 2 : 0)
                    previous = v
                    xs.append(v)
                    eta += truth[j + 1] * v
                }
                ys.append(rng.uniform() < GLM.sigmoid(eta) ? 1 : 0)
            }
            return (xs, ys)
        }
        var x = Matrix(rows: n, columns: p)
        var y = [Double](repeating: 0, count: n)
        var offset = 0
        for (c, part) in parts.enumerated() {
            x.elements.replaceSubrange(offset..<(offset + part.0.count), with: part.0)
            offset += part.0.count
            for (i, v) in part.1.enumerated() { y[c * per + i] = v }
        }
        features = x
        labels = y
        coefficients = truth
    }

    /// Fits the L2-regularised logistic model to the data.
    public func fit(l2: Double) throws -> GLM {
        try GLM.fit(features: features, response: labels, family: .binomial, options: .init(l2: l2))
    }

    /// The largest |estimate − true coefficient| / standard error of a fit (about 3 at most
    /// when the fit recovers the coefficients).
    public func largestZ(of fit: GLM) -> Double {
        var z = 0.0
        for j in fit.coefficients.indices where fit.standardErrors[j] > 0 {
            z = max(z, abs(fit.coefficients[j] - coefficients[j]) / fit.standardErrors[j])
        }
        return z
    }
}
