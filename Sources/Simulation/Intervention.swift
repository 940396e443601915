import WarRoomCore

/// A change to the simulated world from outside it: how an action's modelled effect reaches
/// the world (the closed loop of DESIGN.md). Applied from the first hour or day it covers.
public struct Intervention: Sendable, Equatable {
    /// What the intervention changes.
    public enum Effect: Sendable, Equatable {
        /// Multiplies customers' churn hazard.
        case churnHazard(multiplier: Double)
        /// Multiplies walk-in traffic and account orders.
        case traffic(multiplier: Double)
        /// Multiplies lead scans.
        case acquisition(multiplier: Double)
    }

    /// Where it acts.
    public var place: Place
    /// First instant it acts.
    public var start: Millis
    /// First instant it no longer acts.
    public var end: Millis
    /// What it changes.
    public var effect: Effect
    /// When set, only this account (of a store in `place`) is affected: a task card about one
    /// account changes that account's hazard and orders, not its whole store's.
    public var customer: Int64?

    /// Creates an intervention.
    public init(place: Place, start: Millis, end: Millis, effect: Effect, customer: Int64? = nil) {
        self.place = place
        self.start = start
        self.end = end
        self.effect = effect
        self.customer = customer
    }
}
