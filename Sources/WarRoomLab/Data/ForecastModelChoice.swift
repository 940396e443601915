import Forecasting

/// The model `warroom forecast` uses: one by name, or `auto`, the best on a backtest of the
/// last horizon.
public enum ForecastModelChoice: String, CaseIterable, Sendable {
    /// The most accurate of the others on the last `horizon` steps.
    case auto
    /// Exponential smoothing (ETS) with model selection, per series.
    case ets
    /// The global regression on lag, calendar and covariate features.
    case regression
    /// The global Poisson GLM on the same features.
    case glm
    /// Last season's value.
    case seasonalNaive = "seasonal_naive"

    /// The forecaster of a named model (nil for `auto`).
    var forecaster: (any SalesForecaster)? {
        switch self {
        case .auto: nil
        case .ets: ETSForecaster()
        case .regression: GlobalForecaster(.regression)
        case .glm: GlobalForecaster(.glm)
        case .seasonalNaive: SeasonalNaiveForecaster()
        }
    }

    /// Whether the model needs every covariate's value for every forecast step.
    var usesCovariates: Bool { self == .regression || self == .glm }
}
