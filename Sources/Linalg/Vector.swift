import CBLAS

/// A dense vector of `Double` in contiguous storage.
///
/// ```swift
/// var y: Vector = [1, 2, 3]
/// try y.add(2, times: [1, 1, 1])   // y = [3, 4, 5]
/// ```
public struct Vector: Sendable, Equatable, ExpressibleByArrayLiteral, RandomAccessCollection, MutableCollection {
    /// The elements.
    public var elements: [Double]

    /// A vector of `count` zeros.
    public init(zeros count: Int) { elements = [Double](repeating: 0, count: count) }
    /// A vector holding `elements`.
    public init(_ elements: [Double]) { self.elements = elements }
    /// A vector from a literal.
    public init(arrayLiteral elements: Double...) { self.elements = elements }

    public var startIndex: Int { 0 }
    public var endIndex: Int { elements.count }
    public subscript(i: Int) -> Double {
        get { elements[i] }
        set { elements[i] = newValue }
    }

    /// x · y through BLAS `ddot`.
    public func dot(_ other: Vector) throws -> Double { try Linalg.dot(elements, other.elements) }

    /// self += a · x through BLAS `daxpy`.
    public mutating func add(_ a: Double, times x: Vector) throws {
        guard x.count == count else { throw LinalgError.dimensionMismatch("axpy: lengths \(count) and \(x.count)") }
        if x.isEmpty { return }
        let n = Int32(count)
        x.elements.withUnsafeBufferPointer { xp in
            elements.withUnsafeMutableBufferPointer { yp in cblas_daxpy(n, a, xp.baseAddress, 1, yp.baseAddress, 1) }
        }
    }

    /// The Euclidean norm through BLAS `dnrm2`.
    public var norm: Double {
        if elements.isEmpty { return 0 }
        return elements.withUnsafeBufferPointer { cblas_dnrm2(Int32($0.count), $0.baseAddress, 1) }
    }

    /// Whether every element is finite.
    public var isFinite: Bool { elements.allSatisfy(\.isFinite) }
}

/// Dot product of two arrays through BLAS `ddot`.
public func dot(_ x: [Double], _ y: [Double]) throws -> Double {
    guard x.count == y.count else { throw LinalgError.dimensionMismatch("dot: lengths \(x.count) and \(y.count)") }
    if x.isEmpty { return 0 }
    return x.withUnsafeBufferPointer { xp in
        y.withUnsafeBufferPointer { yp in cblas_ddot(Int32(x.count), xp.baseAddress, 1, yp.baseAddress, 1) }
    }
}
