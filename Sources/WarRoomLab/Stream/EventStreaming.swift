import Foundation
import Reporting
import WarRoomCore

/// What `warroom stream` does: the exact observable live stream of a run (the same closed loop,
/// the same digest), written as records for other engines, as fast as possible or paced.
public enum EventStreaming {
    /// Options of a stream.
    public struct Options {
        /// Scenario file.
        public var scenarioPath: String
        /// Seed; the scenario's own when nil.
        public var seed: UInt64?
        /// `ndjson` or `csv`.
        public var format = StreamFormat.ndjson
        /// `stdout`, a file path, or `tcp://127.0.0.1:PORT`.
        public var destination = "stdout"
        /// Fixed pace in events per second.
        public var rate: Double?
        /// Pace as a multiple of event time (60: one minute of events per second).
        public var speed: Double?
        /// A rule file overriding the scenario's.
        public var rulesPath: String?
        /// Whether alerts' actions act on the world (as in `warroom run`).
        public var applyActions = true
        /// The scenario's delivery (arrival order, delays) or instant delivery.
        public var delivery = StreamDelivery.scenario
        /// Whether the history days go first, as the summary lines `warroom run` feeds its engine
        /// (one sale line per store and day, `attr` 2, at the day's last millisecond), so an engine
        /// given the stream alone has the past its year-over-year and baseline rules need.
        public var history = false

        /// Options for a scenario file.
        public init(scenarioPath: String) { self.scenarioPath = scenarioPath }
    }

    /// The closed loop's error, handed from its thread to the writer's.
    private final class ProducerFailure: @unchecked Sendable {
        var error: Error?
    }

    /// The digest of the world's live events in event order (the run's digest), kept by the
    /// closed loop's thread and read once it has finished.
    private final class WorldDigest: @unchecked Sendable {
        var digest = EventDigest()
    }

    /// Streams the live events; returns a summary (events, digest, achieved rate).
    public static func run(_ options: Options) throws -> JSONValue {
        let format = options.format
        if let r = options.rate, !(r > 0 && r.isFinite) { throw LabError("--rate must be a positive number of events per second") }
        if let x = options.speed, !(x > 0 && x.isFinite) { throw LabError("--speed must be a positive multiple of event time") }
        if options.rate != nil && options.speed != nil { throw LabError("choose --rate or --speed, not both") }
        var loaded: Scenario
        do { loaded = try Scenario.load(path: options.scenarioPath).scenario } catch let e as InputError {
            throw LabError(e)
        }
        // Instant: every source delivers at once; the engine keeps the scenario's lateness.
        if options.delivery == .instant { loaded.delivery.models = DeliverySpec().models }
        let scenario = loaded
        try MemoryEstimate.check(scenario, file: options.scenarioPath)
        var runOptions = RunPipeline.Options(scenarioPath: options.scenarioPath)
        runOptions.rulesPath = options.rulesPath
        let ruleSet = try RunPipeline.loadRules(options: runOptions, scenario: scenario)
        let seed = options.seed ?? scenario.seed
        let fd = try EventStreamWriter.open(options.destination)
        defer { if fd > 2 { close(fd) } }
        let writer = try EventStreamWriter(fd: fd, format: format, liveStart: scenario.calendar.start)

        // The closed loop runs on its own thread, a few days ahead of the writer, so that
        // simulating a day never holds up the pace (2 cores: one simulates, one writes).
        let days = BlockingQueue<[DeliveredEvent]>(capacity: 4_000_000)
        let failure = ProducerFailure()
        let applyActions = options.applyActions, history = options.history
        let world = WorldDigest()
        let producer = Thread {
            let loop = ClosedLoop(scenario: scenario, seed: seed, ruleSet: ruleSet, applyActions: applyActions)
            let layout = loop.simulator.layout
            do {
                while !loop.isFinished && !days.isCancelled {
                    try loop.step(observe: { obs in
                        if obs.isLive {
                            for e in obs.events { world.digest.add(e) }
                        } else if history {
                            let lines = AlertingStage.historySummary(day: obs.day, sales: obs.sales, layout: layout)
                            days.put(lines.map { DeliveredEvent(arrival: $0.time, event: $0) }, weight: max(1, lines.count))
                        }
                    }, truth: { _ in }, deliver: { arrived in days.put(arrived, weight: max(1, arrived.count)) })
                }
            } catch { failure.error = error }
            days.close()
        }
        producer.stackSize = 8 << 20
        producer.start()

        var arrivalDigest = EventDigest()
        var start: UInt64 = 0
        var firstTime: Millis?
        var index = 0, historyLines = 0
        func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
        do {
            while let events = days.take() {
                for d in events {
                    let e = d.event
                    // History lines (before the live window) go out at once, unpaced and undigested.
                    if e.time < 0 {
                        writer.append(e, arrival: d.arrival)
                        historyLines += 1
                        if writer.shouldFlush { try writer.flush() }
                        continue
                    }
                    arrivalDigest.add(e)
                    if start == 0 { start = now(); firstTime = d.arrival }
                    var intended: UInt64?
                    if let rate = options.rate { intended = start + UInt64(Double(index) / rate * 1e9) }
                    // Paced by arrival: the stream comes out as the war room would receive it.
                    if let speed = options.speed { intended = start + UInt64(Double(max(0, d.arrival - firstTime!)) / speed * 1e6) }
                    if let intended {
                        var t = now()
                        if t < intended {
                            try writer.flush()  // what is due goes out before waiting
                            t = now()
                            if intended > t + 200_000 { usleep(useconds_t((intended - t - 100_000) / 1000)) }
                            while now() < intended {}
                        }
                    }
                    writer.append(e, arrival: d.arrival)
                    index += 1
                    if writer.shouldFlush { try writer.flush() }
                }
            }
        } catch {
            // Stop the producer at the end of its current day (it may be waiting for room), then
            // report the writer's error.
            days.cancel()
            while days.take() != nil {}
            throw error
        }
        if let error = failure.error { throw error }
        try writer.flush()
        let seconds = start == 0 ? 0 : Double(now() - start) / 1e9
        return .object([
            ("events", .int(Int64(writer.written - historyLines))),
            ("history_lines", .int(Int64(historyLines))),
            ("event_digest", .string(world.digest.hex)),
            ("arrival_order_digest", .string(arrivalDigest.hex)),
            ("delivery", .string(scenario.delivery.isInstant ? "instant" : "scenario")),
            ("format", .string(format.rawValue)),
            ("destination", .string(options.destination)),
            ("offered_events_per_second", options.rate.map { .double($0) } ?? .null),
            ("speed", options.speed.map { .double($0) } ?? .null),
            ("seconds", .double(seconds)),
            ("achieved_events_per_second", .double(seconds > 0 ? (Double(writer.written - historyLines) / seconds).rounded() : 0)),
        ])
    }
}
