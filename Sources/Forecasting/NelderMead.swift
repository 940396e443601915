/// The Nelder–Mead simplex minimiser (standard coefficients: reflection 1, expansion 2,
/// contraction ½, shrink ½), for the few smoothing parameters of ETS.
///
/// Works in an unbounded space; callers map bounds through a logistic transform. A point where
/// the objective is not finite counts as +∞, so infeasible regions are simply avoided.
struct NelderMead {
    /// Stop when the simplex's objective values differ by less than this (absolute + relative).
    var tolerance = 1e-8
    /// Objective evaluations at most.
    var maxEvaluations = 1000
    /// Initial step along each axis.
    var step = 0.5

    struct Result {
        var point: [Double]
        var value: Double
        var evaluations: Int
    }

    func minimise(from start: [Double], _ f: ([Double]) -> Double) -> Result {
        let d = start.count
        var evaluations = 0
        func eval(_ x: [Double]) -> Double {
            evaluations += 1
            let v = f(x)
            return v.isFinite ? v : .infinity
        }
        if d == 0 { return Result(point: [], value: eval([]), evaluations: evaluations) }
        var simplex = [start]
        for i in 0..<d {
            var x = start
            x[i] += step
            simplex.append(x)
        }
        var values = simplex.map(eval)
        while evaluations < maxEvaluations {
            // Order: best first.
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            let best = values[0], worst = values[d]
            if worst.isFinite && abs(worst - best) <= tolerance * (abs(best) + 1e-12) + 1e-14 { break }
            var centroid = [Double](repeating: 0, count: d)
            for p in simplex.dropLast() { for j in 0..<d { centroid[j] += p[j] / Double(d) } }
            func along(_ t: Double) -> [Double] { (0..<d).map { centroid[$0] + t * (simplex[d][$0] - centroid[$0]) } }
            let reflected = along(-1)
            let fr = eval(reflected)
            if fr < values[0] {
                let expanded = along(-2)
                let fe = eval(expanded)
                if fe < fr { simplex[d] = expanded; values[d] = fe } else { simplex[d] = reflected; values[d] = fr }
            } else if fr < values[d - 1] {
                simplex[d] = reflected; values[d] = fr
            } else {
                let outside = fr < values[d]
                let contracted = along(outside ? -0.5 : 0.5)
                let fc = eval(contracted)
                if fc < (outside ? fr : values[d]) {
                    simplex[d] = contracted; values[d] = fc
                } else {
                    for i in 1...d {
                        simplex[i] = (0..<d).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
                        values[i] = eval(simplex[i])
                    }
                }
            }
        }
        let i = values.indices.min { values[$0] < values[$1] }!
        return Result(point: simplex[i], value: values[i], evaluations: evaluations)
    }
}
