import Reporting

/// Every JSON document the lab prints (`--json`) or writes (`metrics.json`, an export's
/// `run.json`) begins with its schema version and kind, and names its fields by one rule:
///
/// - keys are snake_case ASCII;
/// - a number's key ends in its unit: a time (`_seconds`, `_ms`, `_us`, `_ns`, `_days`), a size
///   (`_bytes`, `_mib`), a rate (`_per_second`, `_per_event`, `_per_store_day`), money (`_cny`),
///   a dimensionless share (`_share`, `_ratio`, `_fraction`, `_utilisation`, spelt so), the
///   things counted (`events`, `alerts`, `stores`, `rows`, …), or a named statistic (`auc`,
///   `precision`, `wape`, `mean`, …); quantile qualifiers (`pinball_p10`) may follow;
/// - percentiles always take one shape: an object of `p50`, `p90`, `p99`, `p999`, `p9999`,
///   `min`, `max`, `mean` under a key that carries the unit (`latency_us: {p50, p99, max}`),
///   never flat keys such as `latency_us_p99`;
/// - an object whose keys are data (rule ids, tiers, model or file names) is named `X_by_Y`
///   or `by_Y`: its keys are exempt from snake_case and its values take the unit of X.
///
/// `JSONNamingTests` runs every command with `--json` and checks its output against the rule.
public enum JSONDocument {
    /// The schema version of each kind of document; a kind's version rises when a key of it is
    /// renamed or removed.
    public static let versions: [String: Int64] = [
        "run": MetricsDocument.schema, "sweep_metrics": 2, "sweep": 1, "merge": 1, "validate": 1, "runs": 1, "run_record": 1, "report": 1, "export": 1,
        "comparison": 1, "export_run": 1, "backtest": 1, "backtest_data": 1, "forecast": 1, "churn": 1, "bench_sim": 1, "bench_record": 1,
        "bench_engine": 1, "bench_fit": 1, "bench_sweep_load": 1, "fuzz": 1, "soak": 1, "stream": 1,
    ]

    /// `body` as a document of `kind`: `schema_version` and `kind` first, then the body's keys.
    /// A body that is not an object goes under `items`; one that already starts with
    /// `schema_version` is returned as it is.
    ///
    /// - Parameters:
    ///   - kind: the document's kind, a key of `versions`.
    ///   - body: the figures.
    public static func make(_ kind: String, _ body: JSONValue) -> JSONValue {
        let head: [(String, JSONValue)] = [("schema_version", .int(versions[kind] ?? 1)), ("kind", .string(kind))]
        switch body {
        case .object(let pairs):
            if pairs.first?.0 == "schema_version" { return body }
            return .object(head + pairs)
        default:
            return .object(head + [("items", body)])
        }
    }
}
