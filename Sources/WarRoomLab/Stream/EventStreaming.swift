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

        /// Options for a scenario file.
        public init(scenarioPath: String) { self.scenarioPath = scenarioPath }
    }

    /// The closed loop's error, handed from its thread to the writer's.
    private final class ProducerFailure: @unchecked Sendable {
        var error: Error?
    }

    /// Streams the live events; returns a summary (events, digest, achieved rate).
    public static func run(_ options: Options) throws -> JSONValue {
        let format = options.format
        if let r = options.rate, !(r > 0 && r.isFinite) { throw LabError("--rate must be a positive number of events per second") }
        if let x = options.speed, !(x > 0 && x.isFinite) { throw LabError("--speed must be a positive multiple of event time") }
        if options.rate != nil && options.speed != nil { throw LabError("choose --rate or --speed, not both") }
        let scenario: Scenario
        do { scenario = try Scenario.load(path: options.scenarioPath).scenario } catch let e as InputError {
            throw LabError(e)
        }
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
        let days = BlockingQueue<[Event]>(capacity: 4_000_000)
        let failure = ProducerFailure()
        let applyActions = options.applyActions
        let producer = Thread {
            let world = ClosedLoop(scenario: scenario, seed: seed, ruleSet: ruleSet, applyActions: applyActions)
            do {
                while !world.isFinished && !days.isCancelled {
                    try world.step(observe: { obs in if obs.isLive { days.put(obs.events, weight: max(1, obs.events.count)) } }, truth: { _ in })
                }
            } catch { failure.error = error }
            days.close()
        }
        producer.stackSize = 8 << 20
        producer.start()

        var digest = EventDigest()
        var start: UInt64 = 0
        var firstTime: Millis?
        var index = 0
        func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
        do {
            while let events = days.take() {
                for e in events {
                    digest.add(e)
                    if start == 0 { start = now(); firstTime = e.time }
                    var intended: UInt64?
                    if let rate = options.rate { intended = start + UInt64(Double(index) / rate * 1e9) }
                    if let speed = options.speed { intended = start + UInt64(Double(e.time - firstTime!) / speed * 1e6) }
                    if let intended {
                        var t = now()
                        if t < intended {
                            try writer.flush()  // what is due goes out before waiting
                            t = now()
                            if intended > t + 200_000 { usleep(useconds_t((intended - t - 100_000) / 1000)) }
                            while now() < intended {}
                        }
                    }
                    writer.append(e)
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
            ("events", .int(Int64(writer.written))),
            ("event_digest", .string(digest.hex)),
            ("format", .string(format.rawValue)),
            ("destination", .string(options.destination)),
            ("offered_events_per_second", options.rate.map { .double($0) } ?? .null),
            ("speed", options.speed.map { .double($0) } ?? .null),
            ("seconds", .double(seconds)),
            ("achieved_events_per_second", .double(seconds > 0 ? (Double(writer.written) / seconds).rounded() : 0)),
        ])
    }
}
