import CBLAS

extension Matrix {
    /// y = A·x through BLAS `dgemv`.
    public func times(_ x: [Double]) throws -> [Double] {
        var y = [Double](repeating: 0, count: rows)
        try multiply(x, into: &y)
        return y
    }

    /// y = Aᵀ·x through BLAS `dgemv`.
    public func transposeTimes(_ x: [Double]) throws -> [Double] {
        var y = [Double](repeating: 0, count: columns)
        try multiply(x, into: &y, transposed: true)
        return y
    }

    /// y = alpha · op(A)·x + beta · y through BLAS `dgemv`, where op(A) is A or Aᵀ.
    ///
    /// With `beta: 1` it accumulates into `y`, which is how blocked passes sum a gradient.
    public func multiply(_ x: [Double], into y: inout [Double], transposed: Bool = false, alpha: Double = 1, beta: Double = 0) throws {
        let (inCount, outCount) = transposed ? (rows, columns) : (columns, rows)
        guard x.count == inCount, y.count == outCount else {
            throw LinalgError.dimensionMismatch("gemv: A is \(rows)×\(columns)\(transposed ? " (transposed)" : ""), x has \(x.count), y has \(y.count)")
        }
        if rows == 0 || columns == 0 {
            if beta != 1 { for i in y.indices { y[i] *= beta } }
            return
        }
        let (m, n) = (Int32(rows), Int32(columns))
        elements.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dgemv(CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, m, n, alpha, a.baseAddress, n,
                                xp.baseAddress, 1, beta, yp.baseAddress, 1)
                }
            }
        }
    }

    /// The product op(A)·op(B) through BLAS `dgemm`.
    public func times(_ b: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false) throws -> Matrix {
        let (m, k) = transposeSelf ? (columns, rows) : (rows, columns)
        let (k2, n) = transposeOther ? (b.columns, b.rows) : (b.rows, b.columns)
        guard k == k2 else { throw LinalgError.dimensionMismatch("gemm: inner dimensions \(k) and \(k2)") }
        var c = Matrix(rows: m, columns: n)
        if m == 0 || n == 0 || k == 0 { return c }
        elements.withUnsafeBufferPointer { ap in
            b.elements.withUnsafeBufferPointer { bp in
                c.elements.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemm(CblasRowMajor, transposeSelf ? CblasTrans : CblasNoTrans, transposeOther ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), 1, ap.baseAddress, Int32(columns), bp.baseAddress, Int32(b.columns),
                                0, cp.baseAddress, Int32(n))
                }
            }
        }
        return c
    }

    /// AᵀA (the Gram matrix of the columns) through BLAS `dsyrk`, both triangles filled.
    public func gram() -> Matrix {
        var c = Matrix(rows: columns, columns: columns)
        accumulateGram(into: &c, beta: 0)
        c.symmetrizeFromLower()
        return c
    }

    /// C = alpha · AᵀA + beta · C through BLAS `dsyrk`, filling the **lower** triangle of C only.
    ///
    /// Blocked passes call it with `beta: 1` on one row block after another, then
    /// `symmetrizeFromLower()` once.
    public func accumulateGram(into c: inout Matrix, alpha: Double = 1, beta: Double = 1) {
        precondition(c.rows == columns && c.columns == columns, "gram: C must be \(columns)×\(columns)")
        if columns == 0 { return }
        if rows == 0 {
            if beta != 1 { for i in c.elements.indices { c.elements[i] *= beta } }
            return
        }
        let (n, k) = (Int32(columns), Int32(rows))
        elements.withUnsafeBufferPointer { a in
            c.elements.withUnsafeMutableBufferPointer { cp in
                cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, n, k, alpha, a.baseAddress, n, beta, cp.baseAddress, n)
            }
        }
    }

    /// self += a · other, element by element, through BLAS `daxpy`.
    public mutating func add(_ a: Double, times other: Matrix) throws {
        guard other.rows == rows, other.columns == columns else { throw LinalgError.dimensionMismatch("axpy: \(rows)×\(columns) and \(other.rows)×\(other.columns)") }
        if elements.isEmpty { return }
        let n = Int32(elements.count)
        other.elements.withUnsafeBufferPointer { xp in
            elements.withUnsafeMutableBufferPointer { yp in cblas_daxpy(n, a, xp.baseAddress, 1, yp.baseAddress, 1) }
        }
    }
}

/// y += a · x for arrays, through BLAS `daxpy`.
public func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) throws {
    guard x.count == y.count else { throw LinalgError.dimensionMismatch("axpy: lengths \(x.count) and \(y.count)") }
    if x.isEmpty { return }
    let n = Int32(x.count)
    x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in cblas_daxpy(n, a, xp.baseAddress, 1, yp.baseAddress, 1) }
    }
}

/// Sets the number of threads OpenBLAS may use inside one call (1 when the caller parallelises).
public func setBLASThreads(_ n: Int) {
    openblas_set_num_threads(Int32(max(1, n)))
}
