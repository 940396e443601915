import WarRoomCore

/// Puts one day's events in time order with a stable LSD radix sort on the millisecond of the
/// day (27 bits, two passes of 14 bits), so events with equal times keep the order in which
/// they were generated: deterministic, and O(n).
struct DaySorter {
    private var keys: [UInt64] = []
    private var scratch: [UInt64] = []
    private var counts = [Int32](repeating: 0, count: 1 << 14)

    /// Sorts `events` (all within the day starting at `dayStart`) into `output`.
    mutating func sort(_ events: [Event], dayStart: Millis, into output: inout [Event]) {
        let n = events.count
        output.removeAll(keepingCapacity: true)
        if n == 0 { return }
        if keys.count < n {
            keys = [UInt64](repeating: 0, count: n)
            scratch = [UInt64](repeating: 0, count: n)
        }
        events.withUnsafeBufferPointer { ev in
            keys.withUnsafeMutableBufferPointer { k in
                for i in 0..<n {
                    k[i] = UInt64(ev[i].time - dayStart) << 32 | UInt64(i)
                }
            }
        }
        DaySorter.pass(shift: 32, n: n, from: keys, to: &scratch, counts: &counts)
        DaySorter.pass(shift: 46, n: n, from: scratch, to: &keys, counts: &counts)
        output.reserveCapacity(n)
        events.withUnsafeBufferPointer { ev in
            keys.withUnsafeBufferPointer { k in
                for i in 0..<n { output.append(ev[Int(k[i] & 0xFFFF_FFFF)]) }
            }
        }
    }

    private static func pass(shift: UInt64, n: Int, from: [UInt64], to: inout [UInt64], counts: inout [Int32]) {
        counts.withUnsafeMutableBufferPointer { c in
            for b in 0..<c.count { c[b] = 0 }
            from.withUnsafeBufferPointer { src in
                for i in 0..<n { c[Int((src[i] >> shift) & 0x3FFF)] += 1 }
                var total: Int32 = 0
                for b in 0..<c.count { let v = c[b]; c[b] = total; total += v }
                to.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<n {
                        let b = Int((src[i] >> shift) & 0x3FFF)
                        dst[Int(c[b])] = src[i]
                        c[b] += 1
                    }
                }
            }
        }
    }
}
