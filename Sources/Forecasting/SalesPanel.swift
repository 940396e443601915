/// A panel of sales series on one regular time grid (store × day in the lab; any `unique_id` ×
/// `ds` panel from a CSV file), with the covariates the global models use.
public struct SalesPanel: Sendable {
    /// A covariate: one value per series and time step.
    public struct Covariate: Sendable {
        /// Column name.
        public var name: String
        /// Values by series, then time step.
        public var values: [[Double]]
        /// Creates a covariate.
        public init(name: String, values: [[Double]]) {
            self.name = name
            self.values = values
        }
    }

    /// Series ids.
    public var ids: [String]
    /// Group (e.g. region) of each series, an index into `groupNames`.
    public var groups: [Int]
    /// Group names.
    public var groupNames: [String]
    /// Observed values by series, then time step.
    public var values: [[Double]]
    /// Seasonal period (7 for daily data with a weekly cycle, 12 for monthly, 52 for weekly).
    public var season: Int
    /// Position of each time step in the season (weekday 0 = Monday for daily data).
    public var seasonPosition: [Int]
    /// Fraction of the year of each time step, for yearly Fourier terms (daily data only).
    public var yearFraction: [Double]?
    /// Time steps per year (365.25 daily, 52.18 weekly, 12 monthly).
    public var stepsPerYear: Double
    /// Covariates known for the forecast horizon (planned promotions, list prices).
    public var future: [Covariate]
    /// Covariates known only up to the forecast origin (competitor signals).
    public var past: [Covariate]

    /// Creates a panel.
    public init(ids: [String], groups: [Int], groupNames: [String], values: [[Double]], season: Int, seasonPosition: [Int],
                yearFraction: [Double]?, stepsPerYear: Double, future: [Covariate] = [], past: [Covariate] = []) {
        self.ids = ids
        self.groups = groups
        self.groupNames = groupNames
        self.values = values
        self.season = season
        self.seasonPosition = seasonPosition
        self.yearFraction = yearFraction
        self.stepsPerYear = stepsPerYear
        self.future = future
        self.past = past
    }

    /// Number of time steps.
    public var length: Int { seasonPosition.count }
    /// Number of series.
    public var count: Int { ids.count }
}
