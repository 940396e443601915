/// Errors a model raises on data it cannot fit, instead of returning NaNs.
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No rows (or no series) to fit.
    case empty(String)
    /// A feature or label holds a NaN or an infinity.
    case notFinite(row: Int, column: Int)
    /// Labels outside {0, 1}.
    case badLabel(row: Int, value: Double)
    /// The data is perfectly separable and the fit is unpenalised: coefficients diverge.
    case perfectlySeparable
    /// Collinear features with no penalty: the Hessian is singular.
    case collinear(String)
    /// The series is too short for the model.
    case tooShort(needed: Int, got: Int)
    /// Dimensions of the inputs do not agree.
    case dimensionMismatch(String)

    public var description: String {
        switch self {
        case let .empty(s): return "nothing to fit: \(s)"
        case let .notFinite(row, column): return "row \(row), column \(column) is not a finite number"
        case let .badLabel(row, value): return "row \(row): label \(value) is not 0 or 1"
        case .perfectlySeparable: return "the data is perfectly separable; an unpenalised logistic fit has no finite answer (use an L2 penalty > 0)"
        case let .collinear(s): return "collinear or constant features with no penalty (\(s)); use an L2 penalty > 0"
        case let .tooShort(needed, got): return "series too short: the model needs at least \(needed) points, got \(got)"
        case let .dimensionMismatch(s): return "dimension mismatch: \(s)"
        }
    }
}
