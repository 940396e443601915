import Reporting

/// Model-fitting speed (`warroom bench fit`): the logistic churn model on synthetic rows, and ETS
/// with model selection on synthetic daily series.
public struct FitBenchmark: Sendable {
    /// The ETS part: series fitted, their length and season, models tried per series.
    public var etsSeries: Int, etsLength: Int, etsPeriod: Int, etsModelsPerSeries: Int
    /// Median seconds for all series, and series per second.
    public var etsSeconds: Double, etsSeriesPerSecond: Double
    /// Threads the series were fitted on.
    public var etsThreads: Int
    /// How many series chose each model, by model name.
    public var etsChosen: [(model: String, series: Int)]
    /// The logistic part: rows and features.
    public var logisticRows: Int, logisticFeatures: Int
    /// Median seconds per fit, and every fit's.
    public var logisticFitSeconds: Double, logisticFitSecondsAll: [Double]
    /// Newton iterations, and whether they converged.
    public var logisticIterations: Int, logisticConverged: Bool
    /// Log loss on the training rows.
    public var logisticTrainingLogLoss: Double
    /// The largest |estimate − true coefficient| / standard error.
    public var logisticMaxAbsZ: Double

    /// The figures as JSON (`warroom bench fit --json`).
    public var json: JSONValue {
        .object([
            ("benchmark", .string("fit")),
            ("ets", .object([
                ("series", .count(etsSeries)), ("length_days", .count(etsLength)), ("period_days", .count(etsPeriod)),
                ("models_per_series", .count(etsModelsPerSeries)),
                ("seconds", .double(etsSeconds)),
                ("series_per_second", .double(etsSeriesPerSecond)),
                ("threads", .count(etsThreads)),
                ("series_by_model", .object(etsChosen.map { ($0.model, .count($0.series)) })),
            ])),
            ("logistic", .object([
                ("rows", .count(logisticRows)), ("features", .count(logisticFeatures)),
                ("fit_seconds", .double(logisticFitSeconds)),
                ("each_fit_seconds", .array(logisticFitSecondsAll.map { .double($0) })),
                ("iterations", .count(logisticIterations)), ("converged", .bool(logisticConverged)),
                ("training_log_loss", .double(logisticTrainingLogLoss)),
                ("true_coefficients_max_abs_z", .double(logisticMaxAbsZ)),
            ])),
        ])
    }
}
