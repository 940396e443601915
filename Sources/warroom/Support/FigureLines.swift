import WarRoomLab

/// Figures printed as people read them in a log: an optional title line (`bench sim`), then one
/// `  key: value` line per figure that has a value (a figure the lab could not compute is left out).
enum FigureLines {
    /// Prints the lines.
    static func print(title: String? = nil, _ figures: [(key: String, value: (any CustomStringConvertible)?)]) {
        if let title { Swift.print(title) }
        for (key, value) in figures {
            if let value { Swift.print("  \(key): \(value)") }
        }
    }

    /// The lines of a benchmark's hardware counts (`--instructions`): per event, or why none.
    static func counts(_ c: EventCounts?) -> [(key: String, value: (any CustomStringConvertible)?)] {
        guard let c else { return [] }
        return [("instructions_per_event", c.instructionsPerEvent), ("cycles_per_event", c.cyclesPerEvent), ("hardware_counters", c.unavailable)]
    }
}
