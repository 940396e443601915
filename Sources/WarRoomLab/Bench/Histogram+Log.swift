import CZlib
import Foundation
import Histogram

extension Histogram where Count == UInt64 {
    /// The histogram in HdrHistogram's V2 compressed encoding (what its interval logs hold, base64
    /// encoded): a zlib-deflated V2 encoding — header, then the counts in index order as ZigZag
    /// LEB128 numbers with runs of zeros as one negative count — behind its own cookie and length.
    /// Readers (HdrHistogram in Java, Python `hdrh`, Go, Rust) decode it into an equal histogram,
    /// so latency can be merged across runs and shards.
    ///
    /// - Throws: `LabError` when zlib cannot compress (out of memory).
    func compressedEncoding() throws -> Data {
        // Every index's count, in index order (the all-values iteration steps through each one),
        // up to the last one recorded (the encoding stops at the maximum's index).
        var counts: [UInt64] = []
        if totalCount > 0 { for v in allValues() { counts.append(v.count) } }
        while counts.last == 0 { counts.removeLast() }
        var plain = Data()
        func int32(_ v: Int32) { withUnsafeBytes(of: v.bigEndian) { plain.append(contentsOf: $0) } }
        func int64(_ v: Int64) { withUnsafeBytes(of: v.bigEndian) { plain.append(contentsOf: $0) } }
        int32(0x1C84_9313)  // V2 encoding cookie, 8-byte words
        int32(0)  // payload length, filled in below
        int32(0)  // normalizing index offset
        int32(Int32(numberOfSignificantValueDigits.rawValue))
        int64(Int64(lowestDiscernibleValue))
        int64(Int64(highestTrackableValue))
        int64(Int64(bitPattern: (1.0 as Double).bitPattern))  // integer-to-double conversion ratio
        let payloadStart = plain.count
        var i = 0
        while i < counts.count {
            var run = 0
            while i + run < counts.count && counts[i + run] == 0 { run += 1 }
            if run > 1 {
                Self.putZigZag(-Int64(run), into: &plain)
                i += run
            } else {
                Self.putZigZag(Int64(counts[i]), into: &plain)
                i += 1
            }
        }
        let payload = Int32(plain.count - payloadStart).bigEndian
        withUnsafeBytes(of: payload) { plain.replaceSubrange(4..<8, with: $0) }

        var bound = compressBound(uLong(plain.count))
        var deflated = [UInt8](repeating: 0, count: Int(bound))
        let rc = plain.withUnsafeBytes { src in
            compress2(&deflated, &bound, src.bindMemory(to: Bytef.self).baseAddress, uLong(plain.count), Z_DEFAULT_COMPRESSION)
        }
        guard rc == Z_OK else { throw LabError("cannot compress the latency histogram (zlib error \(rc))") }
        var out = Data()
        withUnsafeBytes(of: Int32(0x1C84_9314).bigEndian) { out.append(contentsOf: $0) }  // V2 compressed cookie
        withUnsafeBytes(of: Int32(bound).bigEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: deflated.prefix(Int(bound)))
        return out
    }

    /// HdrHistogram's ZigZag LEB128: 7 bits a byte for the first eight bytes, all 8 in a ninth.
    static func putZigZag(_ value: Int64, into data: inout Data) {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        for _ in 0..<8 {
            if v >> 7 == 0 {
                data.append(UInt8(v))
                return
            }
            data.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        data.append(UInt8(truncatingIfNeeded: v))
    }

    /// A one-interval HdrHistogram log (`.hlog`, log format 1.3): the interval from `start`
    /// (seconds since 1970) lasting `seconds`, its maximum in the unit of `maxValueUnitRatio`
    /// (values ÷ ratio), and the compressed histogram in base64.
    ///
    /// - Parameters:
    ///   - start: the interval's start, seconds since 1970-01-01 UTC.
    ///   - seconds: the interval's length.
    ///   - unit: what the recorded values count, for the log's comment line.
    ///   - maxValueUnitRatio: the divisor of the `Interval_Max` column (1,000 for ns values shown in µs).
    func intervalLog(start: Double, seconds: Double, unit: String, maxValueUnitRatio: Double) throws -> String {
        let base64 = try compressedEncoding().base64EncodedString()
        let iso = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: start))
        return "#[Histogram log format version 1.3]\n"
            + "#[Values recorded in \(unit); Interval_Max in units of \(String(format: "%.0f", maxValueUnitRatio)) of them]\n"
            + String(format: "#[StartTime: %.3f (seconds since epoch), %@]\n", start, iso)
            + "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"
            + String(format: "%.3f,%.3f,%.3f,", 0.0, seconds, Double(max) / maxValueUnitRatio) + base64 + "\n"
    }
}
