import Forecasting
import Reporting

extension ModelEvaluation {
    /// The `forecast` and `churn` parts of `metrics.json` and of `warroom backtest --json`.
    var json: [(String, JSONValue)] {
        func r(_ v: Double?, _ digits: Double = 1e6) -> JSONValue {
            guard let v, v.isFinite else { return .null }
            return .double((v * digits).rounded() / digits)
        }
        func scoreJSON(_ s: SalesBacktest.Score, timed: Bool = true) -> JSONValue {
            var fields: [(String, JSONValue)] = [
                ("accuracy", r(s.accuracy)), ("wape", r(s.wape)), ("mase", r(s.mase)), ("bias", r(s.bias)),
                ("pinball_p10", r(s.pinball10)), ("pinball_p50", r(s.pinball50)), ("pinball_p90", r(s.pinball90)),
                ("coverage_p10_p90", r(s.coverage80)),
                ("accuracy_by_horizon", .array(s.accuracyByHorizon.map { r($0) })),
                ("accuracy_by_region", .object(zip(panel.groupNames, s.accuracyByGroup).map { ($0, r($1)) })),
            ]
            if timed { fields.append(("fit_seconds", r(s.fitSeconds, 1000))) }
            return .object(fields)
        }
        func forecastJSON(_ sales: SalesBacktest, _ what: String) -> JSONValue {
        let p = Self.primary(of: sales)
        var forecast: [(String, JSONValue)] = [
            ("target", .string(what)),
            ("model", .string(p.name)),
            ("horizon_days", .int(Int64(sales.horizon))),
            ("origins_live_day", .array(originDays.map { .int(Int64($0)) })),
            ("series", .int(Int64(panel.count))),
            ("accuracy", r(p.accuracy)),
            ("oracle_accuracy", r(sales.oracle?.accuracy)),
            ("mase", r(p.mase)),
            ("oracle_mase", r(sales.oracle?.mase)),
            ("oracle_without_shocks_accuracy", r(Self.shockBlind(of: sales)?.accuracy)),
            ("bias", r(p.bias)),
            ("coverage_p10_p90", r(p.coverage80)),
            ("fit_seconds", r(p.fitSeconds, 1000)),
            ("target_accuracy", r(Self.accuracyTarget)),
            ("target_met", .bool(p.accuracy >= Self.accuracyTarget)),
            ("within_oracle_gap", .bool((sales.oracle?.accuracy ?? 1) - p.accuracy <= Self.oracleGap)),
        ]
        forecast.append(("by_model", .object(sales.scores.map { ($0.name, scoreJSON($0)) })))
        forecast.append(("baselines_by_model", .object(sales.scores.filter { $0.name == "seasonal_naive" || $0.name == "ets" }.map { ($0.name, scoreJSON($0)) })))
        if let o = sales.oracle { forecast.append(("oracle", scoreJSON(o, timed: false))) }
        for x in sales.references { forecast.append((x.name, scoreJSON(x.score, timed: false))) }
        return .object(forecast)
        }

        var churnJSON: JSONValue = .null
        if let c = churn {
            func classifier(_ s: ChurnBacktest.Score) -> JSONValue {
                .object([("auc", r(s.auc)), ("log_loss", r(s.logLoss)), ("brier", r(s.brier)), ("ece", r(s.ece)),
                         ("top_decile_lift", r(s.topDecileLift)),
                         ("reliability", .array(s.reliability.map { .object([("rows", .int(Int64($0.count))), ("predicted", r($0.predicted)), ("observed", r($0.observed))]) }))])
            }
            var fields: [(String, JSONValue)] = [
                ("label", .string("lost within the next \(c.horizonDays) days")),
                ("test_snapshot_days", .array(c.testDays.map { .int(Int64($0)) })),
                ("test_rows", .int(Int64(c.testRows))), ("last_refit_training_rows", .int(Int64(c.trainingRows))),
                ("positive_share", r(c.positiveRate)),
                ("auc", r(c.model.auc)), ("oracle_auc", r(c.oracle?.auc)),
                ("log_loss", r(c.model.logLoss)), ("oracle_log_loss", r(c.oracle?.logLoss)),
                ("brier", r(c.model.brier)), ("oracle_brier", r(c.oracle?.brier)),
                ("ece", r(c.model.ece)), ("oracle_ece", r(c.oracle?.ece)),
                ("top_decile_lift", r(c.model.topDecileLift)), ("oracle_top_decile_lift", r(c.oracle?.topDecileLift)),
                ("fit_seconds", r(c.fitSeconds.reduce(0, +), 1000)),
                ("each_refit_newton_iterations", .array(c.iterations.map { .int(Int64($0)) })),
                ("model", classifier(c.model)),
            ]
            if let o = c.oracle { fields.append(("oracle", classifier(o))) }
            for r in c.references { fields.append((r.name, classifier(r.score))) }
            fields.append(("baselines", .object([("base_rate", classifier(c.baseRate)), ("recency_only", classifier(c.recencyOnly))])))
            fields.append(("coefficients", .object(zip(["intercept"] + c.featureNames, zip(c.lastFit.coefficients, c.lastFit.standardErrors)).map {
                ($0, .object([("estimate", r($1.0)), ("standard_error", r($1.1))]))
            })))
            churnJSON = .object(fields)
        } else if let churnNote {
            churnJSON = .object([("note", .string(churnNote))])
        }
        return [("forecast", forecastJSON(sales, "store × day sales (CNY)")), ("forecast_lines", forecastJSON(volume, "store × day sale lines")),
                ("churn", churnJSON),
                ("verdicts", .array(verdicts.map { .object([("target", .string($0.label)), ("met", .bool($0.met)), ("text", .string($0.text))]) }))]
    }
}
