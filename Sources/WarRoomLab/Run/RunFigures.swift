/// The figures `warroom run` prints, rounded as they stand in the run's `metrics.json`.
public struct RunFigures: Sendable {
    /// Live events simulated.
    public var events: Int
    /// The digest of the event stream (hex).
    public var eventDigest: String
    /// Live events simulated per second of the simulator's time.
    public var eventsPerSecond: Double
    /// Seconds the whole run took.
    public var runWallSeconds: Double
    /// Peak resident memory, MiB (nil where the system does not say).
    public var peakResidentMiB: Double?
    /// The alert engine's figures (nil for a run without rules).
    public var alerts: Alerts?
    /// The models' figures (nil when the run was too short for the backtest).
    public var models: ModelFigures?

    /// What the alert engine did in a run.
    public struct Alerts: Sendable {
        /// Alerts fired (first tier).
        public var fired: Int
        /// Alerts escalated.
        public var escalated: Int
        /// Share of the alerts that point at a true shock.
        public var precision: Double?
        /// Share of the true shocks an alert detected.
        public var recall: Double?
        /// With a scenario `delivery:`: how late the data came and what it cost (nil with instant delivery).
        public var delivery: Delivery?
    }

    /// What delayed delivery did in a run.
    public struct Delivery: Sendable {
        /// Median and 99th-percentile age of an event on arrival, ms.
        public var dataAgeMedianMs: Int64, dataAgeP99Ms: Int64
        /// Events behind the watermark, left out.
        public var lateEvents: Int
        /// The first shock's first detector alert out (arrival clock) after its true onset, ms.
        public var firstOutAfterOnsetMs: Int64?
    }
}
