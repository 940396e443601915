/// A running 128-bit digest of an event stream, order-sensitive, so anyone can check that two
/// runs produced the same stream.
///
/// Not cryptographic: it detects accidental differences, at a few nanoseconds an event.
public struct EventDigest: Sendable, Equatable {
    private var a: UInt64 = 0x243F_6A88_85A3_08D3
    private var b: UInt64 = 0x1319_8A2E_0370_7344
    /// Events folded in so far.
    public private(set) var count: Int = 0

    /// An empty digest.
    public init() {}

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 31)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 29)
    }

    /// Folds one event in.
    @inlinable @inline(__always)
    public mutating func add(_ e: Event) {
        let w0 = UInt64(bitPattern: e.time)
        let w1 = UInt64(bitPattern: e.amount)
        let w2 = UInt64(bitPattern: e.customer)
        let w3 = UInt64(UInt32(bitPattern: e.store)) | UInt64(UInt32(bitPattern: e.rep)) << 32
        let w4 = UInt64(UInt32(bitPattern: e.sku)) | UInt64(UInt32(bitPattern: e.quantity)) << 32
        let w5 = UInt64(e.attr) | UInt64(UInt16(bitPattern: e.city)) << 32
            | UInt64(UInt16(bitPattern: e.region)) << 48
        let w6 = UInt64(e.kind.rawValue)
        fold(w0 ^ (w6 << 56), w1, w2, w3, w4, w5)
    }

    @usableFromInline @inline(__always)
    mutating func fold(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64, _ w4: UInt64, _ w5: UInt64) {
        let h = Self.mix(w0 &+ Self.mix(w1 ^ (w2 &* 0x9E37_79B9_7F4A_7C15)) &+ Self.mix(w3 ^ (w4 << 1)) ^ w5)
        a = (a ^ h) &* 0x0000_0100_0000_01B3 &+ 0x9E37_79B9_7F4A_7C15
        b = (b &+ h) &* 0xC2B2_AE3D_27D4_EB4F
        b = (b << 27) | (b >> 37)
        count &+= 1
    }

    /// The digest as 32 lowercase hex digits.
    public var hex: String {
        let x = Self.mix(a ^ UInt64(count)), y = Self.mix(b &+ x)
        func h(_ v: UInt64) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return h(x) + h(y)
    }
}
