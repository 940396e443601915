import Alerting
import Foundation
import Histogram
import Reporting

/// One open-loop measurement of the alert engine at a fixed offered rate.
struct OpenLoop {
    /// Events offered and recorded.
    var events = 0
    /// Events offered first, to warm the engine, and not recorded.
    var warmupEvents = 0
    var offeredRate = 0.0
    var achievedRate = 0.0
    var seconds = 0.0
    /// Events whose intended send time had passed before the engine could take them.
    var late = 0
    /// Event latency, ns.
    var latency = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: .three)
    /// Event service time, ns: from the moment the engine took the event (its send time, or the
    /// end of the event before when late) to the end of its processing. Latency minus queueing:
    /// a long latency with short service times comes from a stall that events queued behind.
    var service = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: .three)
    /// Minor page faults of the process during the recorded part.
    var pageFaults = 0
    /// Bytes of window state the engine held at the end.
    var windowBytes = 0
    /// Alert delay from its tick falling due to its emission, ns.
    var alertDelay = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: .three)
    var alerts = 0
    var rules = 0
    var tickWork = TickWork.inline

    /// Offers `input`'s live events at `rate` for `duration` seconds (or the whole stream).
    ///
    /// - Parameter preload: events handed over first as fast as the engine takes them, untimed,
    ///   so the offered ones meet a warm engine (keys known, pages touched).
    static func run(input: EngineInput, rate: Double, duration: Double, warmup: Double, tickWork: TickWork, rules: RuleSet? = nil,
                    preload: Int = 0) -> OpenLoop {
        let ruleSet = rules ?? input.ruleSet
        let stage = AlertingStage(ruleSet: ruleSet, scenario: input.scenario, layout: input.simulator.layout, applyActions: false)
        for h in input.history { stage.replayHistory(day: h.day, sales: h.sales) }
        let engine = stage.engine
        let skip = min(max(0, preload), input.live.count)
        if skip > 0 { engine.process(input.live[..<skip]) }
        _ = engine.takeAlerts()
        engine.tickWork = tickWork
        var out = OpenLoop()
        out.rules = ruleSet.rules.count
        out.tickWork = tickWork
        out.offeredRate = rate
        // The first events warm the engine (keys met for the first time, pages touched) and are
        // offered like the others but not recorded.
        let available = input.live.count - skip
        let warm = min(available, Int(rate * warmup))
        let n = min(available, warm + Int(rate * duration))
        let interval = 1e9 / rate
        let deferred = tickWork == .deferred
        let start = DispatchTime.now().uptimeNanoseconds + 1_000_000
        var done: UInt64 = 0  // the first event waits for the start too
        var faultsAtStart = ProcessMemory.minorPageFaults
        input.live.withUnsafeBufferPointer { all in
            let events = UnsafeBufferPointer(rebasing: all[skip...])
            for i in 0..<n {
                let intended = start + UInt64(Double(i) * interval)
                if i == warm { faultsAtStart = ProcessMemory.minorPageFaults }
                var taken = done
                if done < intended {
                    // Ahead of the schedule: hand over the alerts, evaluate due ticks, back the
                    // memory new keys will take, or spin.
                    // The clock read at the end of the event before stands for now (it is a
                    // few ns old), so a busy engine reads the clock once per event, not twice.
                    var now = done
                    while now < intended {
                        if engine.hasAlerts {
                            out.collect(engine.takeAlerts())
                        } else if deferred && engine.hasDueWork {
                            engine.evaluatePending(limit: 1)
                        } else {
                            engine.prefault()
                        }
                        now = DispatchTime.now().uptimeNanoseconds
                    }
                    taken = now
                } else if i >= warm {
                    out.late += 1
                }
                engine.process(events[i])
                done = DispatchTime.now().uptimeNanoseconds
                if i >= warm {
                    _ = out.latency.record(done &- intended)
                    _ = out.service.record(done &- taken)
                }
            }
        }
        let end = done
        out.pageFaults = ProcessMemory.minorPageFaults - faultsAtStart
        out.windowBytes = engine.paneBytes
        engine.drain()
        out.collect(engine.takeAlerts())
        out.events = n - warm
        out.warmupEvents = warm
        out.seconds = Double(end - start) / 1e9
        out.achievedRate = (Double(n) / out.seconds).rounded()
        return out
    }

    private mutating func collect(_ alerts: [Alert]) {
        for a in alerts where a.latencyNanoseconds > 0 { _ = alertDelay.record(UInt64(a.latencyNanoseconds)) }
        self.alerts += alerts.count
    }

    /// This machine's stalls over as long as the recorded load, on a working set as large as the
    /// engine's window state, replayed at the offered rate and the events' mean service time,
    /// with the highest event utilisation at which any engine keeps p99 within `p99Bound` µs.
    func machineFloor(p99Bound: Double = LoadSweep.p99Target) -> MachineStalls.Floor {
        MachineStalls.measure(seconds: seconds, workingSetBytes: max(16 << 20, windowBytes))
            .floor(rate: offeredRate, serviceNanoseconds: service.totalCount > 0 ? service.mean : 0, p99Bound: p99Bound)
    }

    /// Event latency at percentile p, µs.
    func latencyMicros(_ p: Double) -> Double { Double(latency.valueAtPercentile(p)) / 1000 }

    /// A histogram's value at percentile p, µs (nil when it is empty).
    static func micros(_ h: Histogram<UInt64>, _ p: Double) -> Double? { h.totalCount > 0 ? Double(h.valueAtPercentile(p)) / 1000 : nil }

    /// The events' mean service time, µs to two decimals (nil without events).
    var serviceMeanMicros: Double? { service.totalCount > 0 ? (service.mean / 10).rounded() / 100 : nil }

    /// The share of the recorded time the events' own processing took (offered rate × mean
    /// service), to three decimals: the load the queue behind a stall drains against.
    var eventUtilization: Double? { service.totalCount > 0 ? (service.mean * offeredRate / 1e9 * 1000).rounded() / 1000 : nil }

    /// The longest alert delay, µs (nil without alerts).
    var alertDelayMaxMicros: Double? { alertDelay.totalCount > 0 ? Double(alertDelay.max) / 1000 : nil }

    /// The figures as JSON.
    var json: JSONValue {
        func us(_ h: Histogram<UInt64>, _ p: Double) -> JSONValue { .number(Self.micros(h, p)) }
        let mode: String
        switch tickWork {
        case .inline: mode = "inline"
        case .perEvent(let n): mode = "per-event:\(n)"
        case .deferred: mode = "deferred"
        }
        return .object([
            ("rules", .int(Int64(rules))),
            ("tick_work", .string(mode)),
            ("events", .int(Int64(events))),
            ("warmup_events", .int(Int64(warmupEvents))),
            ("offered_events_per_second", .double(offeredRate)),
            ("achieved_events_per_second", .double(achievedRate)),
            ("seconds", .double(seconds)),
            ("late_events", .int(Int64(late))),
            ("dropped_events", .int(0)),
            ("latency_us", .object([
                ("p50", us(latency, 50)), ("p90", us(latency, 90)), ("p99", us(latency, 99)), ("p999", us(latency, 99.9)),
                ("p9999", us(latency, 99.99)), ("max", .double(Double(latency.max) / 1000)),
            ])),
            ("service_us", .object([
                ("mean", .number(serviceMeanMicros)),
                ("p50", us(service, 50)), ("p99", us(service, 99)), ("p999", us(service, 99.9)), ("max", .double(Double(service.max) / 1000)),
            ])),
            ("event_utilisation", .number(eventUtilization)),
            ("page_faults", .int(Int64(pageFaults))),
            ("alerts", .int(Int64(alerts))),
            ("alert_delay_us", .object([
                ("p50", us(alertDelay, 50)), ("p99", us(alertDelay, 99)), ("max", .number(alertDelayMaxMicros)),
            ])),
        ])
    }

    /// The event latency distribution in HdrHistogram's .hgrm text format, in µs.
    var hgrm: String { latency.hgrm(measuring: "each event's latency, from its due time to the end of its processing") }
}
