/// Errors of the linear-algebra routines, raised instead of returning NaNs.
public enum LinalgError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The dimensions of the operands do not agree.
    case dimensionMismatch(String)
    /// The matrix is not positive definite (the leading minor of this order is not positive).
    case notPositiveDefinite(order: Int)
    /// The system is singular or rank-deficient beyond what the routine accepts.
    case singular(rank: Int, columns: Int)
    /// An operand holds a NaN or an infinity.
    case notFinite(String)
    /// LAPACK reported an illegal argument or another failure.
    case lapack(routine: String, info: Int32)

    public var description: String {
        switch self {
        case let .dimensionMismatch(s): return "dimension mismatch: \(s)"
        case let .notPositiveDefinite(order): return "matrix is not positive definite (leading minor of order \(order))"
        case let .singular(rank, columns): return "system is singular: rank \(rank) of \(columns) columns"
        case let .notFinite(s): return "\(s) holds a NaN or an infinity"
        case let .lapack(routine, info): return "LAPACK \(routine) failed (info \(info))"
        }
    }
}
