import Foundation
import Linalg
import WarRoomCore

/// An L2-regularised generalised linear model fitted by Newton's method (IRLS) with a Cholesky
/// solve, the design of scikit-learn's `newton-cholesky`: logistic regression (binomial family,
/// logit link) for churn, Poisson regression (log link, with an offset) for sales.
///
/// Features are standardised (mean 0, variance 1) before fitting and the intercept is not
/// penalised. Each pass over the data runs in fixed row blocks on several threads: per block the
/// linear predictor (`gemv`), the gradient (`gemv`ᵀ) and the Hessian XᵀWX (`syrk` on the rows
/// scaled by √w) are accumulated, so X is read once a pass and results do not depend on the
/// number of cores. Steps are damped by a backtracking (Armijo) line search; the fit stops when
/// the gradient's largest component and the Newton decrement are both tiny.
///
/// ```swift
/// let fit = try GLM.fit(features: x, response: y, family: .binomial, options: .init(l2: 1))
/// let p = try fit.predict(x)
/// ```
public struct GLM: Sendable {
    /// The response distribution and its canonical link.
    public enum Family: Sendable {
        /// 0/1 response, logit link: P(y = 1) = 1 / (1 + e^(−η)).
        case binomial
        /// Non-negative response (counts, or amounts as quasi-Poisson), log link: E y = e^η.
        case poisson
    }

    /// Fitting options.
    public struct Options: Sendable {
        /// L2 penalty λ on the standardised coefficients (loss Σ + λ/2 ‖β‖²); 0 for none.
        public var l2: Double = 1
        /// Stop when max |gradient| / n falls below this and the Newton decrement / n below its square.
        public var tolerance: Double = 1e-8
        /// Newton iterations at most.
        public var maxIterations: Int = 50
        /// Rows per block of a pass.
        public var blockRows: Int = 2048
        /// Creates options.
        public init(l2: Double = 1, tolerance: Double = 1e-8, maxIterations: Int = 50) {
            self.l2 = l2
            self.tolerance = tolerance
            self.maxIterations = maxIterations
        }
    }

    /// The family fitted.
    public var family: Family
    /// Intercept then one coefficient per feature, on the original feature scale.
    public var coefficients: [Double]
    /// Standard errors of `coefficients` (from the inverse penalised Hessian); 0 for dropped columns.
    public var standardErrors: [Double]
    /// Feature columns that were constant in the training data (coefficient 0).
    public var constantColumns: [Int]
    /// Newton iterations taken.
    public var iterations: Int
    /// Whether the convergence test passed.
    public var converged: Bool
    /// Mean negative log-likelihood per row on the training data (log loss for the binomial).
    public var trainingLogLoss: Double
    /// The last Newton decrement λ² / 2 (per row).
    public var newtonDecrement: Double

    /// Linear predictor of one row of features.
    public func linearPredictor(_ row: [Double]) -> Double {
        var eta = coefficients[0]
        for j in row.indices { eta += coefficients[j + 1] * row[j] }
        return eta
    }

    /// The mean response for every row of `features` (gemv): probabilities for the binomial,
    /// e^(η + offset) for the Poisson.
    public func predict(_ features: Matrix, offset: [Double]? = nil) throws -> [Double] {
        guard features.columns + 1 == coefficients.count else {
            throw ModelError.dimensionMismatch("model has \(coefficients.count - 1) features, data has \(features.columns)")
        }
        var eta = offset ?? [Double](repeating: 0, count: features.rows)
        guard eta.count == features.rows else { throw ModelError.dimensionMismatch("\(features.rows) rows, \(eta.count) offsets") }
        for i in eta.indices { eta[i] += coefficients[0] }
        try features.multiply(Array(coefficients.dropFirst()), into: &eta, beta: 1)
        switch family {
        case .binomial: return eta.map(Self.sigmoid)
        case .poisson: return eta.map { exp(min($0, 700)) }
        }
    }

    /// 1 / (1 + e^(−η)), stable for large |η|.
    public static func sigmoid(_ eta: Double) -> Double {
        eta >= 0 ? 1 / (1 + exp(-eta)) : { let e = exp(eta); return e / (1 + e) }()
    }

    /// Fits the model.
    ///
    /// - Parameters:
    ///   - features: n × p feature matrix (no intercept column).
    ///   - response: n responses: each 0 or 1 for the binomial, ≥ 0 for the Poisson.
    ///   - offset: a known part of the linear predictor per row (e.g. log of a store's level).
    ///   - warmStart: a previous fit (e.g. last week's) to start Newton from.
    /// - Throws: `ModelError` for empty, non-finite or badly labelled data, perfectly separable
    ///   data or collinear features without a penalty.
    public static func fit(features: Matrix, response labels: [Double], family: Family, offset: [Double]? = nil,
                           options: Options = Options(), warmStart: GLM? = nil) throws -> GLM {
        let n = features.rows, p = features.columns
        guard n > 0 else { throw ModelError.empty("no rows") }
        guard labels.count == n else { throw ModelError.dimensionMismatch("\(n) rows, \(labels.count) responses") }
        if let offset {
            guard offset.count == n else { throw ModelError.dimensionMismatch("\(n) rows, \(offset.count) offsets") }
            if let i = offset.firstIndex(where: { !$0.isFinite }) { throw ModelError.notFinite(row: i, column: -1) }
        }
        for (i, y) in labels.enumerated() {
            switch family {
            case .binomial where y != 0 && y != 1: throw ModelError.badLabel(row: i, value: y)
            case .poisson where !(y >= 0) || !y.isFinite: throw ModelError.badLabel(row: i, value: y)
            default: break
            }
        }
        let scaling = try Standardisation(features)
        let design = Design(x: features, y: labels, offset: offset, family: family, scaling: scaling, blockRows: max(16, options.blockRows))
        let k = p + 1
        let penalty = (0..<k).map { $0 == 0 || scaling.scale[$0 - 1] == 0 ? 0 : options.l2 }

        var beta = [Double](repeating: 0, count: k)
        if let w = warmStart, w.coefficients.count == k, w.family == family { beta = scaling.standardised(w.coefficients) }
        else {
            // Start at the base rate so the first step is small.
            switch family {
            case .binomial:
                let rate = min(max(labels.reduce(0, +) / Double(n), 1e-6), 1 - 1e-6)
                beta[0] = log(rate / (1 - rate))
            case .poisson:
                let total = max(labels.reduce(0, +), 1e-12)
                let exposure = offset.map { $0.reduce(0) { $0 + exp($1) } } ?? Double(n)
                beta[0] = log(total / exposure)
            }
        }
        func penalised(_ loss: Double, _ b: [Double]) -> Double {
            var s = loss
            for j in 0..<k { s += 0.5 * penalty[j] * b[j] * b[j] }
            return s
        }

        var current = design.pass(beta: beta, derivatives: true)
        var objective = penalised(current.loss, beta)
        var iterations = 0, converged = false, decrement = Double.infinity
        var factor: Cholesky?
        while iterations < options.maxIterations {
            var g = current.gradient
            var h = current.hessian!
            for j in 0..<k { g[j] += penalty[j] * beta[j]; h[j, j] += penalty[j] }
            // Columns that are constant have a zero row and column: keep them out of the solve.
            for j in 1..<max(1, k) where scaling.scale[j - 1] == 0 { h[j, j] = 1; g[j] = 0 }
            factor = try choleskyWithJitter(h, penalised: options.l2 > 0)
            let step = try factor!.solve(g).map { -$0 }
            decrement = 0.5 * (-(try dot(g, step))) / Double(n)
            let gmax = g.reduce(0) { max($0, abs($1)) } / Double(n)
            if gmax <= options.tolerance && decrement <= options.tolerance * options.tolerance { converged = true; break }
            // Backtracking line search (Armijo, c = 1e-4); the accepted point's pass also gives
            // the next gradient and Hessian.
            var t = 1.0
            let slope = try dot(g, step)
            var accepted = false
            while t > 1e-10 {
                let candidate = (0..<k).map { beta[$0] + t * step[$0] }
                let trial = design.pass(beta: candidate, derivatives: t == 1)
                let value = penalised(trial.loss, candidate)
                if value <= objective + 1e-4 * t * slope || abs(value - objective) <= 1e-14 * max(1, abs(objective)) {
                    beta = candidate
                    objective = value
                    current = t == 1 ? trial : design.pass(beta: beta, derivatives: true)
                    accepted = true
                    break
                }
                t *= 0.5
            }
            iterations += 1
            if !accepted { break }
            if family == .binomial && options.l2 == 0 && (current.loss / Double(n) < 1e-9 || beta.contains { abs($0) > 1e8 }) {
                throw ModelError.perfectlySeparable
            }
        }
        if family == .binomial && !converged && options.l2 == 0 && beta.contains(where: { abs($0) > 30 }) && current.loss / Double(n) < 1e-3 {
            throw ModelError.perfectlySeparable
        }
        guard beta.allSatisfy(\.isFinite) else { throw ModelError.collinear("coefficients diverged") }

        // Covariance in the standardised space, then mapped back through the Jacobian.
        var h = current.hessian!
        for j in 0..<k { h[j, j] += penalty[j] }
        for j in 1..<max(1, k) where scaling.scale[j - 1] == 0 { h[j, j] = 1 }
        let covariance = try choleskyWithJitter(h, penalised: options.l2 > 0).inverse()
        let jacobian = scaling.jacobian()
        let mapped = try jacobian.times(covariance).times(jacobian, transposeOther: true)
        var se = mapped.diagonal.map { sqrt(max(0, $0)) }
        for j in 1..<max(1, k) where scaling.scale[j - 1] == 0 { se[j] = 0 }
        return GLM(family: family, coefficients: scaling.original(beta), standardErrors: se,
                                  constantColumns: (0..<p).filter { scaling.scale[$0] == 0 },
                                  iterations: iterations, converged: converged, trainingLogLoss: current.loss / Double(n),
                                  newtonDecrement: decrement)
    }
}

/// Cholesky factor of a Hessian. A penalised Hessian is positive definite in exact arithmetic;
/// when rounding says otherwise (nearly collinear features), a growing ridge is added, up to 1e-2
/// of the largest diagonal element. Unpenalised, a singular Hessian is a collinearity error.
func choleskyWithJitter(_ h: Matrix, penalised: Bool) throws -> Cholesky {
    do { return try Cholesky(h) } catch LinalgError.notPositiveDefinite {
        guard penalised else { throw ModelError.collinear("the Hessian XᵀWX is singular") }
        let scale = h.diagonal.map(abs).max() ?? 1
        var jitter = 1e-10 * scale
        while jitter <= 1e-2 * scale {
            var m = h
            for j in 0..<m.rows { m[j, j] += jitter }
            if let f = try? Cholesky(m) { return f }
            jitter *= 100
        }
        throw ModelError.collinear("the Hessian stays singular with a ridge of 1e-2")
    }
}

/// Column means and standard deviations, and the maps between the original and standardised
/// coefficient spaces.
struct Standardisation: Sendable {
    var mean: [Double]
    /// Standard deviation, 0 for a constant column (which then stays out of the fit).
    var scale: [Double]

    init(_ x: Matrix) throws {
        let n = x.rows, p = x.columns
        var sum = [Double](repeating: 0, count: p), sq = [Double](repeating: 0, count: p)
        x.elements.withUnsafeBufferPointer { e in
            for i in 0..<n {
                for j in 0..<p { let v = e[i * p + j]; sum[j] += v }
            }
        }
        let mean = sum.map { $0 / Double(n) }
        self.mean = mean
        x.elements.withUnsafeBufferPointer { e in
            for i in 0..<n {
                for j in 0..<p { let d = e[i * p + j] - mean[j]; sq[j] += d * d }
            }
        }
        for j in 0..<p where !sq[j].isFinite || !mean[j].isFinite {
            let row = (0..<n).first { !x[$0, j].isFinite } ?? 0
            throw ModelError.notFinite(row: row, column: j)
        }
        scale = sq.enumerated().map { j, s in
            let sd = (s / Double(n)).squareRoot()
            return sd > 1e-12 * max(1, abs(mean[j])) ? sd : 0
        }
    }

    /// Standardised value of feature j.
    @inline(__always) func z(_ v: Double, _ j: Int) -> Double { scale[j] == 0 ? 0 : (v - mean[j]) / scale[j] }

    /// Original-scale coefficients (intercept first) from standardised ones.
    func original(_ b: [Double]) -> [Double] {
        var out = b
        for j in 0..<scale.count {
            out[j + 1] = scale[j] == 0 ? 0 : b[j + 1] / scale[j]
            out[0] -= out[j + 1] * mean[j]
        }
        return out
    }

    /// Standardised coefficients from original-scale ones (for warm starts).
    func standardised(_ b: [Double]) -> [Double] {
        var out = b
        for j in 0..<scale.count {
            out[j + 1] = b[j + 1] * scale[j]
            out[0] += b[j + 1] * mean[j]
        }
        return out
    }

    /// d(original) / d(standardised).
    func jacobian() -> Matrix {
        let k = scale.count + 1
        var m = Matrix(rows: k, columns: k)
        m[0, 0] = 1
        for j in 0..<scale.count where scale[j] > 0 {
            m[j + 1, j + 1] = 1 / scale[j]
            m[0, j + 1] = -mean[j] / scale[j]
        }
        return m
    }
}

/// The data of a fit, and one blocked pass over it.
struct Design: Sendable {
    let x: Matrix
    let y: [Double]
    let offset: [Double]?
    let family: GLM.Family
    let scaling: Standardisation
    let blockRows: Int
    /// Fixed number of parts, so the summation order (and the result) does not depend on cores.
    let parts = 8

    struct Pass {
        var loss: Double
        var gradient: [Double]
        var hessian: Matrix?
    }

    /// Loss, and optionally gradient and Hessian XᵀWX (both unpenalised), at standardised β.
    func pass(beta: [Double], derivatives: Bool) -> Pass {
        let n = x.rows, p = x.columns, k = p + 1
        let perPart = (n + parts - 1) / parts
        setBLASThreads(1)
        let results = parallelMap(parts) { part -> Pass in
            var out = Pass(loss: 0, gradient: [Double](repeating: 0, count: k), hessian: derivatives ? Matrix(rows: k, columns: k) : nil)
            var block = Matrix(rows: blockRows, columns: k)
            var eta = [Double](repeating: 0, count: blockRows)
            var r = [Double](repeating: 0, count: blockRows)
            var sw = [Double](repeating: 0, count: blockRows)
            let start = part * perPart, end = min(n, start + perPart)
            var row = start
            while row < end {
                let m = min(blockRows, end - row)
                x.elements.withUnsafeBufferPointer { xe in
                    block.elements.withUnsafeMutableBufferPointer { be in
                        for i in 0..<blockRows {
                            let dst = i * k
                            if i >= m { for j in 0..<k { be[dst + j] = 0 }; continue }
                            be[dst] = 1
                            let src = (row + i) * p
                            for j in 0..<p { be[dst + 1 + j] = scaling.z(xe[src + j], j) }
                        }
                    }
                }
                try! block.multiply(beta, into: &eta)
                for i in 0..<m {
                    let e = eta[i] + (offset?[row + i] ?? 0), yi = y[row + i]
                    switch family {
                    case .binomial:
                        out.loss += (e > 0 ? e + log1p(exp(-e)) : log1p(exp(e))) - yi * e
                        let pr = GLM.sigmoid(e)
                        r[i] = pr - yi
                        sw[i] = (pr * (1 - pr)).squareRoot()
                    case .poisson:
                        let mu = exp(min(e, 700))
                        out.loss += mu - yi * e
                        r[i] = mu - yi
                        sw[i] = mu.squareRoot()
                    }
                }
                for i in m..<blockRows { r[i] = 0; sw[i] = 0 }
                if derivatives {
                    try! block.multiply(r, into: &out.gradient, transposed: true, beta: 1)
                    try! block.scaleRows(by: sw)
                    block.accumulateGram(into: &out.hessian!)
                }
                row += m
            }
            return out
        }
        var total = Pass(loss: 0, gradient: [Double](repeating: 0, count: k), hessian: derivatives ? Matrix(rows: k, columns: k) : nil)
        for part in 0..<parts {
            total.loss += results[part].loss
            if derivatives {
                for j in 0..<k { total.gradient[j] += results[part].gradient[j] }
                try! total.hessian!.add(1, times: results[part].hessian!)
            }
        }
        if derivatives { total.hessian!.symmetrizeFromLower() }
        return total
    }
}
