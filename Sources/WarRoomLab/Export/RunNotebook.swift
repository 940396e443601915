import Foundation
import Reporting

/// The Jupyter notebook `warroom export --format ipynb` writes beside a run's CSV tables
/// (nbformat 4): it loads the tables with pandas, recomputes the report's headline figures and
/// checks them against the run's `metrics.json`, and redraws the main charts with matplotlib,
/// each step explained in a Markdown cell.
enum RunNotebook {
    /// The Python packages the notebook needs, pinned (written beside it as `requirements.txt`;
    /// the same versions as `make test`'s notebook environment).
    static let requirements = ["pandas==3.1.1", "matplotlib==3.11.2"]

    /// The notebook as JSON text.
    static func json(runID: String, scenario: String) -> String {
        var cells: [JSONValue] = []
        func markdown(_ text: String) { cells.append(cell("markdown", text, id: cells.count + 1)) }
        func code(_ text: String) { cells.append(cell("code", text, id: cells.count + 1)) }

        markdown("""
        # \(runID)

        Analysis notebook of the WarRoom run `\(runID)` (scenario `\(scenario)`), written by `warroom export --format ipynb` \
        beside the run's tables, one CSV file per table. It loads them with pandas, recomputes the report's headline figures \
        from the tables and checks them against the run's own `metrics.json`, then redraws the report's main charts.

        Tables named `truth_*` hold the simulator's ground truth (true expected sales, true churn probabilities, the shocks' \
        true onsets): they are for evaluation only, never model input — the same rule the lab itself follows.
        """)
        code(#"""
        import json
        import os

        import matplotlib
        import matplotlib.pyplot as plt
        import pandas as pd

        def table(name, columns):
            """A run table from its CSV file; empty (with its columns) when the run had no rows."""
            path = name + ".csv"
            return pd.read_csv(path) if os.path.exists(path) else pd.DataFrame(columns=columns)

        metrics = json.load(open("metrics.json"))
        run = metrics["run"]
        live_days = run["live_days"]
        sales = table("store_day_sales", ["store", "day", "date", "lines", "units", "amount_fen", "account_lines"])
        sales["date"] = pd.to_datetime(sales["date"])
        customers = table("customers", ["customer", "store", "won_day", "won_date", "lost_day", "lost_date"])
        alerts = table("alerts", ["seq", "time_ms", "time", "rule", "rule_id", "scope", "key", "kind", "tier", "route", "value",
                                  "compared", "reference", "emit_latency_ns", "rep_message", "manager_message", "hq_message"])
        alerts["time"] = pd.to_datetime(alerts["time"])
        actions = table("actions", ["alert_seq", "action", "parameters", "place", "start_ms", "start", "end_ms", "end", "churn_multiplier",
                                    "traffic_multiplier", "acquisition_multiplier", "effect", "applied"])
        shocks = table("truth_shocks", ["name", "city", "onset_ms", "onset", "full_effect_ms", "full_effect", "end_ms", "end", "stores"])
        shocks["onset"] = pd.to_datetime(shocks["onset"])
        stores = table("stores", ["store", "city", "region", "rep"])
        cities = table("cities", ["city", "name", "region"])
        regions = table("regions", ["region", "name"])
        live_start = pd.Timestamp(json.load(open("run.json"))["live_start_date"])
        print(f"run {run['id']}: seed {run['seed']}, {run['history_days']} history days, {live_days} live days")
        print({name: len(t) for name, t in [("store_day_sales", sales), ("customers", customers), ("alerts", alerts), ("actions", actions)]})
        """#)
        markdown("""
        ## Headline figures, recomputed

        Each figure below is computed from the tables alone and compared with the value the run wrote in `metrics.json`: \
        live sales (days 0 to the end of the live window), alerts fired and escalated and by tier, actions triggered and \
        applied, and accounts lost during the live window. A difference stops the notebook.
        """)
        code(#"""
        DAY_MS = 86_400_000
        live = sales[sales["day"] >= 0]
        fired = alerts[alerts["kind"] == "fired"]
        recomputed = {
            "sales.live_lines": int(live["lines"].sum()),
            "sales.live_amount_cny": round(float(live["amount_fen"].sum()) / 100, 2),
            "alerts.fired_alerts": int(len(fired)),
            "alerts.escalated_alerts": int((alerts["kind"] == "escalated").sum()),
            "alerts.triggered_actions": int(len(actions)),
            "alerts.applied_actions": int(actions["applied"].astype(int).sum()) if len(actions) else 0,
            "churn.live_lost_accounts": int(((customers["lost_day"] >= 0) & (customers["lost_day"] < live_days)).sum()),
        }
        for tier, n in alerts.groupby("tier").size().items():
            recomputed[f"alerts.alerts_by_tier.{tier}"] = int(n)

        # Runs stored before metrics.json's schema version 2 used the older names.
        VERSION_1_NAMES = {"alerts.fired_alerts": "alerts.fired", "alerts.escalated_alerts": "alerts.escalated",
                           "alerts.triggered_actions": "alerts.actions_triggered", "alerts.applied_actions": "alerts.actions_applied",
                           "churn.live_lost_accounts": "churn.live_accounts_lost", "alerts.alerts_by_tier.": "alerts.by_tier."}
        old_names = metrics.get("schema_version", metrics.get("schema")) == 1

        def reported(path):
            if old_names:
                for new, old in VERSION_1_NAMES.items():
                    path = path.replace(new, old)
            value = metrics
            for part in path.split("."):
                value = value.get(part, 0) if isinstance(value, dict) else 0
            return value

        rows = []
        for path, value in recomputed.items():
            expected = reported(path)
            same = abs(value - expected) <= 0.011 if isinstance(expected, float) else value == expected
            rows.append((path, f"{value:,}", f"{expected:,}", "equal" if same else "DIFFERENT"))
        check = pd.DataFrame(rows, columns=["figure", "from the tables", "metrics.json", ""])
        print(check.to_string(index=False))
        different = check[check[""] != "equal"]
        assert different.empty, f"figures differ from metrics.json: {list(different['figure'])}"
        print(f"headline figures: {len(check)} checked, all equal to metrics.json")
        """#)
        markdown("""
        ## Daily sales

        Sale lines per day over all stores: the history (before day 0) and the live window the alert engine watched.
        """)
        code(#"""
        daily = sales.groupby("date")[["lines", "amount_fen"]].sum()
        fig, ax = plt.subplots(figsize=(10, 3.5))
        ax.plot(daily.index, daily["lines"], lw=0.8)
        ax.axvspan(live_start, live_start + pd.Timedelta(days=live_days), color="tab:orange", alpha=0.08, label="live window")
        ax.set_xlabel("date")
        ax.set_ylabel("sale lines per day")
        ax.set_title("Daily sale lines, all stores")
        ax.legend()
        plt.show()
        """#)
        markdown("""
        ## Alerts by tier and day

        Alerts the engine fired or escalated per live day, by the tier they went to first (rep, regional manager, HQ).
        """)
        code(#"""
        if len(alerts):
            alerts["date"] = alerts["time"].dt.normalize()
            per_day = alerts.pivot_table(index="date", columns="tier", values="seq", aggfunc="count").fillna(0)
            ax = per_day.plot(figsize=(10, 3.5), logy=True, title="Alerts per day by tier (log scale)")
            ax.set_xlabel("date")
            ax.set_ylabel("alerts")
            plt.show()
            print(alerts.groupby("rule_id").size().sort_values(ascending=False).head(10).to_string())
        else:
            print("the run fired no alert")
        """#)
        markdown("""
        ## Accounts won and lost

        Accounts won and lost per live day, from the CRM's account records; the competitor shocks' true onsets (from the \
        truth table, for evaluation) are marked.
        """)
        code(#"""
        lost = customers[(customers["lost_day"] >= 0) & (customers["lost_day"] < live_days)].groupby("lost_date").size()
        won = customers[(customers["won_day"] >= 0) & (customers["won_day"] < live_days)].groupby("won_date").size()
        fig, ax = plt.subplots(figsize=(10, 3.5))
        ax.plot(pd.to_datetime(lost.index), lost.values, label="lost", color="tab:red")
        ax.plot(pd.to_datetime(won.index), won.values, label="won", color="tab:green")
        for _, shock in shocks.iterrows():
            ax.axvline(shock["onset"], color="gray", ls="--", lw=0.8)
            ax.text(shock["onset"], ax.get_ylim()[1] * 0.95, f" {shock['name']}", fontsize=8, va="top")
        ax.set_xlabel("date")
        ax.set_ylabel("accounts per day")
        ax.set_title("Accounts won and lost per day")
        ax.legend()
        plt.show()
        """#)
        markdown("""
        ## Each city against the rest of the network

        Daily sales of each city over the live window, as a share of its own mean over the 28 days before the window, beside \
        the rest of the network the same way: a city a competitor hits falls away from the others (the shocks' true onsets, \
        from the truth table, are marked in their city's panel). The lookup tables `stores`, `cities` and `regions` name the places.
        """)
        code(#"""
        named = sales.merge(stores[["store", "city"]], on="store").merge(cities[["city", "name"]], on="city")
        by_city = named.pivot_table(index="date", columns="name", values="amount_fen", aggfunc="sum").fillna(0)
        before = by_city[(by_city.index < live_start) & (by_city.index >= live_start - pd.Timedelta(days=28))].mean()
        live_days_index = by_city[by_city.index >= live_start]
        shown = list(by_city.columns)
        fig, axes = plt.subplots(len(shown), 1, figsize=(10, 1.6 * len(shown)), sharex=True, squeeze=False)
        for ax, city in zip(axes[:, 0], shown):
            rest = live_days_index.drop(columns=[city]).sum(axis=1) / before.drop(labels=[city]).sum()
            ax.plot(live_days_index.index, live_days_index[city] / before[city], label=city, color="tab:red")
            ax.plot(live_days_index.index, rest, label="rest of the network", color="gray", lw=0.8)
            for _, shock in shocks[shocks["city"].isin(cities[cities["name"] == city]["city"])].iterrows():
                ax.axvline(shock["onset"], color="black", ls="--", lw=0.8)
            ax.set_ylabel(city, rotation=0, ha="right", fontsize=8)
            ax.axhline(1, color="gray", lw=0.4)
        axes[0, 0].set_title("Daily sales against the 28 days before the live window: each city (red) and the rest (gray)")
        axes[-1, 0].set_xlabel("date")
        plt.show()
        """#)
        let notebook = JSONValue.object([
            ("cells", .array(cells)),
            ("metadata", .object([
                ("kernelspec", .object([("display_name", .string("Python 3")), ("language", .string("python")), ("name", .string("python3"))])),
                ("language_info", .object([("name", .string("python"))])),
                ("warroom", .object([("run", .string(runID)), ("scenario", .string(scenario))])),
            ])),
            ("nbformat", .int(4)),
            ("nbformat_minor", .int(5)),
        ])
        return notebook.rendered()
    }

    /// One cell; the source as a list of lines, as Jupyter writes it.
    private static func cell(_ type: String, _ text: String, id: Int) -> JSONValue {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let source = lines.enumerated().map { i, line in JSONValue.string(i + 1 < lines.count ? line + "\n" : line) }
        var fields: [(String, JSONValue)] = [("cell_type", .string(type)), ("id", .string("cell-\(id)")),
                                             ("metadata", .object([])), ("source", .array(source))]
        if type == "code" { fields += [("execution_count", .null), ("outputs", .array([]))] }
        return .object(fields)
    }
}
