import COpenBLAS

/// Thin, typed access to the OpenBLAS kernels the core uses.
public enum BLAS {
    /// Sets the number of OpenBLAS worker threads. Its workers busy-wait, so small matrices and
    /// benchmarks want 1; the toolkit parallelises over chains and rollouts instead.
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }

    /// Current number of OpenBLAS worker threads.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// C = alpha·op(A)·op(B) + beta·C for row-major matrices, with op(A) m×k and op(B) k×n.
    @inline(__always)
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        beta: Float = 0, _ c: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(transposeA ? m : k),
                    b, Int32(transposeB ? k : n),
                    beta, c, Int32(n))
    }
}

extension Tensor {
    /// Matrix product of two rank-2 tensors, with optional transposes (a thin `sgemm` call).
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        precondition(shape.count == 2 && other.shape.count == 2, "matmul needs rank-2 tensors")
        let m = transposeSelf ? shape[1] : shape[0]
        let k = transposeSelf ? shape[0] : shape[1]
        let k2 = transposeOther ? other.shape[1] : other.shape[0]
        let n = transposeOther ? other.shape[0] : other.shape[1]
        precondition(k == k2, "inner dimensions differ: \(shape) × \(other.shape)")
        var out = Tensor(zeros: [m, n])
        scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                out.scalars.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(transposeA: transposeSelf, transposeB: transposeOther, m: m, n: n, k: k,
                              a.baseAddress!, b.baseAddress!, c.baseAddress!)
                }
            }
        }
        return out
    }
}
