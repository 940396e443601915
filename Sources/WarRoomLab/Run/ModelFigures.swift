import Forecasting

/// The models' headline figures (sales forecast and churn model), rounded as `metrics.json` and
/// `warroom backtest --json` give them; nil where those give `null`.
public struct ModelFigures: Sendable {
    /// The primary model's forecast accuracy (1 − WAPE), store × day sales.
    public var forecastAccuracy: Double?
    /// The oracle's forecast accuracy (the true expected values).
    public var oracleAccuracy: Double?
    /// The accuracy of the oracle that does not know the scenario's shocks (nil without shocks).
    public var oracleWithoutShocksAccuracy: Double?
    /// The primary model's MASE.
    public var mase: Double?
    /// The seasonal naive baseline's accuracy.
    public var seasonalNaiveAccuracy: Double?
    /// The ETS baseline's accuracy.
    public var etsAccuracy: Double?
    /// The global regression's accuracy.
    public var regressionAccuracy: Double?
    /// The primary model's share of actuals inside [P10, P90].
    public var coverageP10P90: Double?
    /// The churn model's ROC AUC (nil without a churn backtest).
    public var churnAUC: Double?
    /// The oracle classifier's ROC AUC.
    public var churnOracleAUC: Double?
    /// The churn model's Brier score.
    public var churnBrier: Double?
    /// The churn model's expected calibration error.
    public var churnECE: Double?
    /// The verdict lines, one per target.
    public var verdicts: [String]

    /// The figures of an evaluation.
    init(_ e: ModelEvaluation) {
        let p = e.primaryScore
        forecastAccuracy = Figure.finite(p.accuracy)
        oracleAccuracy = Figure.finite(e.sales.oracle?.accuracy)
        oracleWithoutShocksAccuracy = Figure.finite(ModelEvaluation.shockBlind(of: e.sales)?.accuracy)
        mase = Figure.finite(p.mase)
        seasonalNaiveAccuracy = Figure.finite(e.score("seasonal_naive")?.accuracy)
        etsAccuracy = Figure.finite(e.score("ets")?.accuracy)
        regressionAccuracy = Figure.finite(e.score("regression")?.accuracy)
        coverageP10P90 = Figure.finite(p.coverage80)
        churnAUC = Figure.finite(e.churn?.model.auc)
        churnOracleAUC = Figure.finite(e.churn?.oracle?.auc)
        churnBrier = Figure.finite(e.churn?.model.brier)
        churnECE = Figure.finite(e.churn?.model.ece)
        verdicts = e.verdicts.map(\.text)
    }
}
