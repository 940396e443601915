import ArgumentParser

/// The alert options of commands that run the closed loop (`run`, `stream`).
struct AlertOptions: ParsableArguments {
    @Option(help: "Alert rule file (default: the scenario's `rules:`).")
    var rules: String?
    @Flag(help: "Run the alert engine but do not let the alerts' actions act on the simulated world.")
    var noActions = false
}
