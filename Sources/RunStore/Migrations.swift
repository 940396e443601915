/// The run store's schema, as numbered migrations applied in order and recorded in
/// `schema_migrations`. Never edit a released migration: add the next one.
enum Migrations {
    static let all: [(version: Int, sql: String)] = [
        (1, """
        CREATE TABLE runs (
            number INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            scenario_name TEXT NOT NULL,
            scenario_path TEXT NOT NULL,
            scenario_hash TEXT NOT NULL,
            scenario_text TEXT NOT NULL,
            seed INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
            started_at TEXT NOT NULL,
            finished_at TEXT,
            event_digest TEXT,
            events INTEGER,
            wall_seconds REAL,
            report_path TEXT,
            metrics_json TEXT
        );
        CREATE TABLE regions (run INTEGER NOT NULL, region INTEGER NOT NULL, name TEXT NOT NULL,
            PRIMARY KEY (run, region)) WITHOUT ROWID;
        CREATE TABLE cities (run INTEGER NOT NULL, city INTEGER NOT NULL, region INTEGER NOT NULL, name TEXT NOT NULL,
            PRIMARY KEY (run, city)) WITHOUT ROWID;
        CREATE TABLE stores (run INTEGER NOT NULL, store INTEGER NOT NULL, city INTEGER NOT NULL, region INTEGER NOT NULL,
            rep INTEGER NOT NULL, PRIMARY KEY (run, store)) WITHOUT ROWID;
        CREATE TABLE store_day_sales (run INTEGER NOT NULL, store INTEGER NOT NULL, day INTEGER NOT NULL,
            lines INTEGER NOT NULL, units INTEGER NOT NULL, amount_fen INTEGER NOT NULL, account_lines INTEGER NOT NULL,
            PRIMARY KEY (run, store, day)) WITHOUT ROWID;
        CREATE TABLE customers (run INTEGER NOT NULL, customer INTEGER NOT NULL, store INTEGER NOT NULL,
            won_day INTEGER NOT NULL, lost_day INTEGER, PRIMARY KEY (run, customer)) WITHOUT ROWID;
        CREATE TABLE customer_snapshots (run INTEGER NOT NULL, day INTEGER NOT NULL, customer INTEGER NOT NULL,
            store INTEGER NOT NULL, tenure_days INTEGER NOT NULL, days_since_order INTEGER NOT NULL,
            orders_28d INTEGER NOT NULL, amount_28d_fen INTEGER NOT NULL, amount_prev_28d_fen INTEGER NOT NULL,
            days_since_visit INTEGER NOT NULL, calls_28d INTEGER NOT NULL, positive_calls_28d INTEGER NOT NULL,
            competitor_signals_7d INTEGER NOT NULL, PRIMARY KEY (run, day, customer)) WITHOUT ROWID;
        CREATE TABLE truth_store_day (run INTEGER NOT NULL, store INTEGER NOT NULL, day INTEGER NOT NULL,
            expected_lines REAL NOT NULL, expected_amount REAL NOT NULL, lost_lines INTEGER NOT NULL,
            shock_factor REAL NOT NULL, PRIMARY KEY (run, store, day)) WITHOUT ROWID;
        CREATE TABLE truth_customer_day (run INTEGER NOT NULL, customer INTEGER NOT NULL, day INTEGER NOT NULL,
            churn_probability REAL NOT NULL, reached INTEGER NOT NULL, PRIMARY KEY (run, customer, day)) WITHOUT ROWID;
        CREATE TABLE truth_shocks (run INTEGER NOT NULL, name TEXT NOT NULL, city INTEGER NOT NULL,
            onset_ms INTEGER NOT NULL, full_effect_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, stores INTEGER NOT NULL,
            PRIMARY KEY (run, name)) WITHOUT ROWID;
        CREATE TABLE events (run INTEGER NOT NULL, seq INTEGER NOT NULL, time_ms INTEGER NOT NULL, kind INTEGER NOT NULL,
            store INTEGER NOT NULL, city INTEGER NOT NULL, region INTEGER NOT NULL, customer INTEGER NOT NULL,
            rep INTEGER NOT NULL, sku INTEGER NOT NULL, quantity INTEGER NOT NULL, amount_fen INTEGER NOT NULL,
            attr INTEGER NOT NULL, PRIMARY KEY (run, seq)) WITHOUT ROWID;
        CREATE TABLE event_kinds (kind INTEGER PRIMARY KEY, name TEXT NOT NULL);
        """),
        (2, """
        INSERT OR IGNORE INTO event_kinds (kind, name) VALUES (9, 'account_base');
        CREATE TABLE rules (run INTEGER NOT NULL, rule INTEGER NOT NULL, id TEXT NOT NULL, description TEXT NOT NULL,
            scope TEXT NOT NULL, tier TEXT NOT NULL, every_ms INTEGER NOT NULL, PRIMARY KEY (run, rule)) WITHOUT ROWID;
        CREATE TABLE alerts (run INTEGER NOT NULL, seq INTEGER NOT NULL, time_ms INTEGER NOT NULL, rule INTEGER NOT NULL,
            rule_id TEXT NOT NULL, scope TEXT NOT NULL, key INTEGER NOT NULL, kind TEXT NOT NULL, tier TEXT NOT NULL, route TEXT NOT NULL,
            value REAL, compared REAL, reference REAL, emit_latency_ns INTEGER NOT NULL,
            rep_message TEXT NOT NULL, manager_message TEXT NOT NULL, hq_message TEXT NOT NULL,
            PRIMARY KEY (run, seq)) WITHOUT ROWID;
        CREATE TABLE actions (run INTEGER NOT NULL, alert_seq INTEGER NOT NULL, action TEXT NOT NULL, parameters TEXT NOT NULL,
            place TEXT NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, effect TEXT NOT NULL, applied INTEGER NOT NULL,
            PRIMARY KEY (run, alert_seq, action)) WITHOUT ROWID;
        """),
        (3, """
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        ALTER TABLE runs ADD COLUMN host TEXT;
        """),
        (4, """
        ALTER TABLE customer_snapshots ADD COLUMN calls_total INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE customer_snapshots ADD COLUMN positive_calls_total INTEGER NOT NULL DEFAULT 0;
        """),
        (5, """
        CREATE TABLE sweeps (number INTEGER PRIMARY KEY, scenario TEXT NOT NULL, scenario_hash TEXT NOT NULL, baseline TEXT NOT NULL,
            variants INTEGER NOT NULL, seeds INTEGER NOT NULL, created_at TEXT NOT NULL, report_path TEXT NOT NULL, metrics_json TEXT NOT NULL);
        CREATE TABLE sweep_results (sweep INTEGER NOT NULL, variant TEXT NOT NULL, seed INTEGER NOT NULL, digest TEXT NOT NULL,
            outcome TEXT NOT NULL, value REAL, PRIMARY KEY (sweep, variant, seed, outcome)) WITHOUT ROWID;
        CREATE TABLE sweep_estimates (sweep INTEGER NOT NULL, outcome TEXT NOT NULL, variant TEXT NOT NULL, n INTEGER NOT NULL,
            mean REAL, ci_low REAL, ci_high REAL, paired_difference REAL, paired_ci_low REAL, paired_ci_high REAL,
            unpaired_ci_half_width REAL, PRIMARY KEY (sweep, outcome, variant)) WITHOUT ROWID;
        """),
        // What `warroom report RUN` needs to re-create a report: the rules as run, the run's
        // options, its language and its wall-clock measurements.
        (6, """
        ALTER TABLE runs ADD COLUMN rules_path TEXT;
        ALTER TABLE runs ADD COLUMN rules_text TEXT;
        ALTER TABLE runs ADD COLUMN apply_actions INTEGER;
        ALTER TABLE runs ADD COLUMN record_events INTEGER;
        ALTER TABLE runs ADD COLUMN language TEXT;
        ALTER TABLE runs ADD COLUMN measurements_json TEXT;
        """),
        // The common queries' indices: a run's alerts by rule and time, runs by status (the
        // orphan check at every opening).
        (7, """
        CREATE INDEX alerts_by_rule ON alerts (run, rule, time_ms);
        CREATE INDEX runs_by_status ON runs (status);
        """),
        // Actions' parameters and effects as values: a JSON object and one column per multiplier
        // (NULL when the action does not change that rate), beside the readable text.
        (8, """
        ALTER TABLE actions ADD COLUMN parameters_json TEXT;
        ALTER TABLE actions ADD COLUMN churn_multiplier REAL;
        ALTER TABLE actions ADD COLUMN traffic_multiplier REAL;
        ALTER TABLE actions ADD COLUMN acquisition_multiplier REAL;
        """),
        // Actions stored before version 8 get their parameters as JSON too, read from the text
        // (`key=value key=value`): the ones without parameters here, the others by
        // `RunStore.fillParametersJSON` in the same transaction.
        (9, """
        UPDATE actions SET parameters_json = '{}' WHERE parameters_json IS NULL AND parameters = '';
        """),
        // Each alert's decision timeline beside its tick (time_ms) and its actions' start_ms: the
        // event time of the evidence that closed the tick and its arrival, when the alert came out.
        (10, """
        ALTER TABLE alerts ADD COLUMN evidence_ms INTEGER;
        ALTER TABLE alerts ADD COLUMN emitted_ms INTEGER;
        """),
    ]
}
