import Foundation
import WarRoomCore
#if canImport(Glibc)
import Glibc
#endif

/// Writes events as NDJSON or CSV records to a file descriptor, buffered, with hand-rolled
/// number formatting (a million records a second and more).
///
/// Record schema (both formats, in this order): `time_ms` (0 at the first live day), `time` (the
/// same instant in the scenario's calendar, `2026-03-06T10:00:00.000`, no time zone), `kind`
/// (name), `store`, `city`, `region`, `customer`, `rep`, `sku`, `quantity`, `amount_fen`, `attr`,
/// `arrival_time_ms` (when the event reached the war room: `time_ms` itself with instant delivery).
final class EventStreamWriter {
    static let fields = ["time_ms", "time", "kind", "store", "city", "region", "customer", "rep", "sku", "quantity", "amount_fen", "attr",
                         "arrival_time_ms"]
    private static let kindNames: [[UInt8]] = EventKind.allCases.map { Array($0.description.utf8) }
    private static let keys: [[UInt8]] = fields.enumerated().map { i, f in Array(((i == 0 ? "{\"" : ",\"") + f + "\":").utf8) }

    let format: StreamFormat
    private let fd: Int32
    private var buffer: [UInt8] = []
    private(set) var written = 0

    /// Whether `fd` is a socket: written with `send(MSG_NOSIGNAL)`, so that a listener closing
    /// early is an error to report rather than a SIGPIPE that ends the process.
    private let isSocket: Bool

    /// The first live day, days since 1970-01-01.
    private let liveStartDay: Int
    /// The day whose date prefix (`YYYY-MM-DDT`) is cached, and the prefix.
    private var cachedDay = Int.min, datePrefix: [UInt8] = []

    init(fd: Int32, format: StreamFormat, liveStart: CivilDate) throws {
        self.fd = fd
        self.format = format
        liveStartDay = liveStart.daysSinceEpoch
        var status = stat()
        isSocket = fstat(fd, &status) == 0 && status.st_mode & S_IFMT == S_IFSOCK
        buffer.reserveCapacity(1 << 20)
        if format == .csv { buffer.append(contentsOf: Array((Self.fields.joined(separator: ",") + "\n").utf8)) }
    }

    @inline(__always)
    private func appendInt(_ v: Int64) {
        if v == 0 { buffer.append(UInt8(ascii: "0")); return }
        var x = v.magnitude
        if v < 0 { buffer.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while x > 0 { d[n] = UInt8(x % 10) + 48; x /= 10; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { buffer.append(d[i]) }
        }
    }

    @inline(__always)
    private func separator(_ i: Int) {
        if format == .ndjson { buffer.append(contentsOf: Self.keys[i]) } else if i > 0 { buffer.append(UInt8(ascii: ",")) }
    }

    /// Appends an event time as the scenario's calendar time (`YYYY-MM-DDTHH:MM:SS.mmm`): the
    /// date from a one-day cache, the clock by integer arithmetic into a stack buffer appended at
    /// once (a million records a second).
    @inline(__always)
    private func appendCalendarTime(_ t: Millis) {
        let day = SimTime.dayIndex(t)
        if day != cachedDay {
            cachedDay = day
            datePrefix = Array((CivilDate(daysSinceEpoch: liveStartDay + day).description + "T").utf8)
        }
        guard datePrefix.count == 11 else {  // a year beyond four digits: the slow way
            buffer.append(contentsOf: datePrefix)
            let ms = Int(t - SimTime.start(ofDay: day))
            buffer.append(contentsOf: Array(String(format: "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000).utf8))
            return
        }
        let ms = Int(t - SimTime.start(ofDay: day))
        let h = ms / 3_600_000, m = ms / 60_000 % 60, sec = ms / 1000 % 60, milli = ms % 1000
        var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &text) { p in
            datePrefix.withUnsafeBytes { p.copyMemory(from: $0) }
            p[11] = UInt8(h / 10) + 48; p[12] = UInt8(h % 10) + 48; p[13] = UInt8(ascii: ":")
            p[14] = UInt8(m / 10) + 48; p[15] = UInt8(m % 10) + 48; p[16] = UInt8(ascii: ":")
            p[17] = UInt8(sec / 10) + 48; p[18] = UInt8(sec % 10) + 48; p[19] = UInt8(ascii: ".")
            p[20] = UInt8(milli / 100) + 48; p[21] = UInt8(milli / 10 % 10) + 48; p[22] = UInt8(milli % 10) + 48
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[0..<23]))
        }
    }

    /// Appends one event's record, arrived at `arrival`.
    func append(_ e: Event, arrival: Millis) {
        separator(0); appendInt(e.time)
        separator(1)
        if format == .ndjson { buffer.append(UInt8(ascii: "\"")) }
        appendCalendarTime(e.time)
        if format == .ndjson { buffer.append(UInt8(ascii: "\"")) }
        separator(2)
        if format == .ndjson { buffer.append(UInt8(ascii: "\"")) }
        buffer.append(contentsOf: Self.kindNames[Int(e.kind.rawValue)])
        if format == .ndjson { buffer.append(UInt8(ascii: "\"")) }
        separator(3); appendInt(Int64(e.store))
        separator(4); appendInt(Int64(e.city))
        separator(5); appendInt(Int64(e.region))
        separator(6); appendInt(e.customer)
        separator(7); appendInt(Int64(e.rep))
        separator(8); appendInt(Int64(e.sku))
        separator(9); appendInt(Int64(e.quantity))
        separator(10); appendInt(e.amount)
        separator(11); appendInt(Int64(e.attr))
        separator(12); appendInt(arrival)
        if format == .ndjson { buffer.append(UInt8(ascii: "}")) }
        buffer.append(10)
        written += 1
    }

    /// Whether enough is buffered to be worth a write.
    var shouldFlush: Bool { buffer.count >= 1 << 16 }

    /// Writes everything buffered.
    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { bytes in
                isSocket ? send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                         : write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                if isSocket && (errno == EPIPE || errno == ECONNRESET) {
                    throw LabError("the stream's listener closed the connection after \(written) events")
                }
                throw LabError("cannot write the stream: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Connection attempts to a `tcp://` destination before giving up.
    static let connectAttempts = 5

    /// Opens a destination: `stdout`, a file path, or `tcp://HOST:PORT` on this machine.
    static func open(_ destination: String) throws -> Int32 {
        if destination == "stdout" || destination == "-" { return 1 }
        if destination.hasPrefix("tcp://") {
            let rest = destination.dropFirst(6)
            guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]) else {
                throw LabError("expected tcp://127.0.0.1:PORT, got \(destination)")
            }
            let host = String(rest[..<colon])
            guard host == "localhost" || host.hasPrefix("127.") else {
                throw LabError("the stream goes to this machine only (127.0.0.0/8 or localhost), got \(host)")
            }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else {
                throw LabError("expected tcp://127.0.0.1:PORT, got \(destination)")
            }
            // A listener still starting is waited for a little: 5 tries over 1.5 s, then an error.
            var message = "", tried = 0
            for attempt in 0..<connectAttempts {
                tried += 1
                if attempt > 0 { usleep(useconds_t(100_000 << (attempt - 1))) }
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                guard fd >= 0 else { throw LabError("cannot open a socket: \(String(cString: strerror(errno)))") }
                let rc = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                if rc == 0 { return fd }
                let code = errno
                message = String(cString: strerror(code))
                close(fd)
                guard code == ECONNREFUSED || code == EINTR else { break }
            }
            throw LabError("cannot connect to \(destination): \(message) (\(tried == 1 ? "1 try" : "\(tried) tries"))")
        }
        let fd = Glibc.open(destination, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw LabError("cannot write \(destination): \(String(cString: strerror(errno)))") }
        return fd
    }
}
