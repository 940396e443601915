import ArgumentParser
import Foundation
import WarRoomLab

extension WarRoom {
    /// `warroom stream`: a run's observable live stream, for other engines.
    struct Stream: LabCommand {
        static let configuration = CommandConfiguration(
            abstract: "Emit a run's exact observable live stream (same digest as warroom run) for other engines.",
            discussion: "Records: time_ms, time, kind, store, city, region, customer, rep, sku, quantity, amount_fen, attr, arrival_time_ms, in arrival order. A summary goes to stderr.")

        @Argument(help: "The scenario file (YAML).")
        var scenario: String
        @Option(help: "Seed (default: the scenario's).")
        var seed: UInt64?
        @Option(help: "Record format.")
        var format = StreamFormat.ndjson
        @Option(help: "Destination: stdout, a file, or tcp://127.0.0.1:PORT.")
        var to = "stdout"
        @Option(help: "Pace at a fixed rate (events/s).")
        var rate: Double?
        @Option(help: "Pace at a multiple of event time (60: one minute of events per second).")
        var speed: Double?
        @Option(help: "Arrival order: the scenario's delivery (delays, batches, disorder) or instant.")
        var delivery = StreamDelivery.scenario
        @Flag(help: "First the history days as the summary lines warroom run feeds its engine (one sale line per store and day, attr 2, at the day's last millisecond).")
        var history = false
        @OptionGroup var alerts: AlertOptions
        // Not `QuietOption`: standard output may carry the stream itself.
        @Flag(help: "No summary on standard error (standard output may carry the stream).")
        var quiet = false

        func validate() throws {
            if rate != nil && speed != nil { throw ValidationError("choose --rate or --speed, not both") }
        }

        func runLab() throws {
            var options = EventStreaming.Options(scenarioPath: scenario)
            options.seed = seed
            options.format = format
            options.destination = to
            options.rate = rate
            options.speed = speed
            options.rulesPath = alerts.rules
            options.applyActions = !alerts.noActions
            options.delivery = delivery
            options.history = history
            let summary = try EventStreaming.run(options)
            if !quiet { FileHandle.standardError.write(Data(JSONDocument.make("stream", summary).rendered().utf8)) }
        }
    }
}
