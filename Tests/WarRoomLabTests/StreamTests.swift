import Foundation
import Reporting
import Testing
import WarRoomTestSupport
import WarRoomCore
import WarRoomLab
#if canImport(Glibc)
import Glibc
#endif

/// Parses a record back into an event (NDJSON object or CSV fields, in the schema's order).
func event(fields: [String: Any]) -> Event? {
    guard let t = fields["time_ms"] as? Int, let kindName = fields["kind"] as? String,
          let kind = EventKind.allCases.first(where: { $0.description == kindName }) else { return nil }
    func i(_ k: String) -> Int { fields[k] as? Int ?? Int.min }
    return Event(time: Millis(t), kind: kind, store: Int32(i("store")), city: Int16(i("city")), region: Int16(i("region")),
                 customer: Int64(i("customer")), rep: Int32(i("rep")), sku: Int32(i("sku")), quantity: Int32(i("quantity")),
                 amount: Int64(i("amount_fen")), attr: UInt32(i("attr")))
}

func digest(_ events: [Event]) -> String {
    var d = EventDigest()
    for e in events { d.add(e) }
    return d.hex
}

/// A count shared with the reader thread.
final class LineCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func set(_ v: Int) { lock.lock(); value = v; lock.unlock() }
    func get() -> Int { lock.lock(); defer { lock.unlock() }; return value }
}

@Suite("warroom stream")
struct StreamTests {
    @Test("The NDJSON stream parses back to the run's events: same digest, closed loop included")
    func ndjson() throws {
        let folder = try closedLoopFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = RunPipeline.Options.writing(folder.appendingPathComponent("loop.yaml").path, into: folder)
        let outcome = try RunPipeline.run(run)
        var options = EventStreaming.Options(scenarioPath: run.scenarioPath)
        options.destination = folder.appendingPathComponent("s.ndjson").path
        let summary = try EventStreaming.run(options)
        #expect(summary[path: "event_digest"] == outcome.metrics.json[path: "run.event_digest"])
        let lines = try String(contentsOfFile: options.destination, encoding: .utf8).split(separator: "\n")
        let events = try lines.map { line -> Event in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(event(fields: object))
        }
        #expect(summary[path: "events"] == .int(Int64(events.count)))
        #expect(.string(digest(events)) == outcome.metrics.json[path: "run.event_digest"])
    }

    @Test("A paced stream never runs ahead of its rate and still carries the same events")
    func paced() throws {
        let folder = try closedLoopFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = EventStreaming.Options(scenarioPath: folder.appendingPathComponent("loop.yaml").path)
        options.destination = folder.appendingPathComponent("s.csv").path
        options.format = .csv
        let unpaced = try EventStreaming.run(options)
        options.rate = 20_000
        let paced = try EventStreaming.run(options)
        #expect(paced[path: "event_digest"] == unpaced[path: "event_digest"])
        guard case .int(let n)? = paced[path: "events"], case .double(let seconds)? = paced[path: "seconds"] else {
            Issue.record("summary without events or seconds: \(paced)")
            return
        }
        // Event i goes out no earlier than i / rate after the first.
        #expect(n > 100 && seconds >= Double(n - 1) / 20_000)
    }

    @Test("The CSV stream has the documented header and parses back to the same events")
    func csv() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try runWarroom(["stream", Repository.smokeScenario, "--format", "csv", "--to", "s.csv", "--rate", "50000"], in: folder)
        #expect(r.status == 0, "\(r.err)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.err.utf8)) as? [String: Any])
        let lines = try String(contentsOf: folder.appendingPathComponent("s.csv"), encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "time_ms,time,kind,store,city,region,customer,rep,sku,quantity,amount_fen,attr,arrival_time_ms")
        // Beside the offset, the calendar time: smoke's live window starts on 2026-03-02.
        for line in lines.dropFirst().prefix(2000) {
            let f = line.split(separator: ",")
            guard let t = Int64(f[0]) else { Issue.record("\(line)"); break }
            let day = SimTime.dayIndex(t), ms = t - SimTime.start(ofDay: day)
            let expected = CivilDate(iso: "2026-03-02")!.adding(days: day).description
                + String(format: "T%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
            #expect(f[1] == expected, "\(line)")
        }
        let header = lines[0].split(separator: ",").map(String.init)
        let events = try lines.dropFirst().map { line -> Event in
            let values = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var fields: [String: Any] = [:]
            for (k, v) in zip(header, values) { fields[k] = Int(v) ?? v }
            return try #require(event(fields: fields))
        }
        #expect(summary["events"] as? Int == events.count)
        #expect(summary["event_digest"] as? String == digest(events))
    }

    @Test("With the scenario's delivery the stream comes in arrival order, later than the events; --delivery instant and --history as documented")
    func delivered() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try writeScenario(basedOn: "smoke", appending: """

            delivery:
              all: { mode: streaming, delay: { median: 5m, p99: 2h } }
              competitor: { mode: microBatch, every: 1h }
              lateness: 30m

            """, in: folder, name: "late")
        func records(_ arguments: [String]) throws -> (rows: [[String: Int]], summary: [String: Any]) {
            let r = try runWarroom(["stream", path, "--rules", Repository.presets, "--format", "csv", "--to", "s.csv"] + arguments, in: folder)
            #expect(r.status == 0, "\(r.err)")
            let lines = try String(contentsOf: folder.appendingPathComponent("s.csv"), encoding: .utf8).split(separator: "\n")
            let header = lines[0].split(separator: ",").map(String.init)
            let rows = lines.dropFirst().map { line in
                Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) ?? Int.min }))
            }
            return (rows, try jsonObject(r.err))
        }
        let late = try records([])
        let arrivals = late.rows.map { $0["arrival_time_ms"]! }
        #expect(zip(arrivals, arrivals.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(late.rows.allSatisfy { $0["arrival_time_ms"]! >= $0["time_ms"]! })
        let times = late.rows.map { $0["time_ms"]! }
        #expect(zip(times, times.dropFirst()).contains { $0 > $1 }, "delivery must disorder event times")
        #expect(late.summary["delivery"] as? String == "scenario")
        #expect(late.summary["arrival_order_digest"] as? String != late.summary["event_digest"] as? String)
        // Instant: every record arrives at its own time, in event order, and the digests agree.
        let instant = try records(["--delivery", "instant"])
        #expect(instant.rows.allSatisfy { $0["arrival_time_ms"]! == $0["time_ms"]! })
        #expect(instant.summary["arrival_order_digest"] as? String == instant.summary["event_digest"] as? String)
        // History: one summary sale line per store and history day (smoke: 6 stores, 14 days), first.
        let history = try records(["--delivery", "instant", "--history"])
        let past = history.rows.prefix { $0["time_ms"]! < 0 }
        #expect(past.count == 6 * 14 && history.summary["history_lines"] as? Int == 6 * 14)
        #expect(past.allSatisfy { $0["attr"] == 2 && ($0["time_ms"]! + 1) % Int(SimTime.day) == 0 })
        #expect(Array(history.rows.dropFirst(past.count)) == instant.rows)
    }

    @Test("A local TCP consumer receives every event")
    func tcp() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (listener, port) = try loopbackListener()
        defer { close(listener) }

        let received = LineCount()
        let reader = Thread {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            var newlines = 0
            while true {
                let n = chunk.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                for i in 0..<n where chunk[i] == 10 { newlines += 1 }
            }
            close(connection)
            received.set(newlines)
        }
        reader.start()
        let r = try runWarroom(["stream", Repository.smokeScenario, "--to", "tcp://127.0.0.1:\(port)"], in: folder)
        #expect(r.status == 0, "\(r.err)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.err.utf8)) as? [String: Any])
        let deadline = Date().addingTimeInterval(10)
        while received.get() == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(received.get() == summary["events"] as? Int)
        #expect((summary["events"] as? Int ?? 0) > 1000)
        // Anything but this machine is refused.
        let refused = try runWarroom(["stream", Repository.smokeScenario, "--to", "tcp://10.0.0.1:9"], in: folder)
        #expect(refused.status == 1 && refused.err.contains("this machine only"))
    }

    @Test("No listener: a few tries, then a clear error; a listener closing early: an error, not SIGPIPE")
    func tcpFailures() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A port just freed: nothing listens there.
        let (probe, freePort) = try loopbackListener()
        close(probe)
        let started = Date()
        let none = try runWarroom(["stream", Repository.smokeScenario, "--to", "tcp://127.0.0.1:\(freePort)"], in: folder)
        #expect(none.status == 1 && none.err.hasSuffix("Connection refused (5 tries)\n"), "\(none.err)")
        #expect(Date().timeIntervalSince(started) < 20)

        // A listener that reads a little and hangs up.
        let (listener, port) = try loopbackListener()
        defer { close(listener) }
        let reader = Thread {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            var chunk = [UInt8](repeating: 0, count: 1024)
            _ = chunk.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
            close(connection)
        }
        reader.start()
        // 90,000 events, about 12 MB: far more than the sockets' buffers hold.
        let cut = try runWarroom(["stream", Repository.backtestScenario, "--to", "tcp://127.0.0.1:\(port)"], in: folder)
        #expect(cut.status == 1 && cut.err.contains("error: the stream's listener closed the connection after"), "status \(cut.status): \(cut.err)")
    }
}

/// A socket listening on an ephemeral loopback port, and the port.
func loopbackListener() throws -> (socket: Int32, port: UInt16) {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(listener >= 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
    }
    try #require(bound && listen(listener, 1) == 0)
    return (listener, UInt16(bigEndian: address.sin_port))
}
