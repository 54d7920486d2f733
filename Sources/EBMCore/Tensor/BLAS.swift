import CEBMKernels
import COpenBLAS

/// Thin, typed access to the OpenBLAS kernels the core uses.
public enum BLAS {
    /// Sets the number of OpenBLAS worker threads. Its workers busy-wait, so small matrices and
    /// benchmarks want 1; the toolkit parallelises over chains and rollouts instead.
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }

    /// Current number of OpenBLAS worker threads.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// C = alpha·op(A)·op(B) + beta·C for row-major matrices, with op(A) m×k and op(B) k×n.
    ///
    /// The common cases (alpha = 1, beta 0 or 1, B not transposed) run `fusedGemm`'s kernel;
    /// the rest go to OpenBLAS.
    @inline(__always)
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        beta: Float = 0, _ c: UnsafeMutablePointer<Float>
    ) {
        if !transposeB, alpha == 1, beta == 0 || beta == 1 {
            fusedGemm(m: m, n: n, k: k, a, rowStride: transposeA ? 1 : k, columnStride: transposeA ? m : 1,
                      b, ldb: n, c, ldc: n, accumulate: beta == 1)
            return
        }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(transposeA ? m : k),
                    b, Int32(transposeB ? k : n),
                    beta, c, Int32(n))
    }

    /// C = epilogue(A·B [+ C]), with the epilogue applied while the result is in registers:
    /// `bias` (n values) added to every row and `rowBias` (m values) to every column, then
    /// `leakySlope` as a leaky activation
    /// (r < 0 ? slope·r : r), then `gate`: where gate[i·gateStride + j] < 0 the result is
    /// scaled by `leakySlope` (the backward pass of a leaky activation whose output is `gate`).
    ///
    /// A is m×k with element (i, p) at `a[i·rowStride + p·columnStride]` (one of the strides
    /// must be 1; a transposed operand is just swapped strides), B is k×n row-major with row
    /// stride `ldb`, C is m×n row-major with row stride `ldc`. On CPUs with AVX-512 this is the
    /// package's own kernel (`CEBMKernels`), which beats OpenBLAS 0.3.21 by 2–3× on network
    /// shapes; elsewhere OpenBLAS plus a loop for the epilogue.
    @inline(__always)
    public static func fusedGemm(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
        _ b: UnsafePointer<Float>, ldb: Int,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false,
        bias: UnsafePointer<Float>? = nil, rowBias: UnsafePointer<Float>? = nil, leakySlope: Float? = nil,
        gate: UnsafePointer<Float>? = nil, gateStride: Int = 0
    ) {
        let epilogue = ebm_epilogue(bias: bias, row_bias: rowBias, leaky: leakySlope != nil && gate == nil, gate: gate,
                                    gate_stride: gateStride, slope: leakySlope ?? 1)
        ebm_sgemm(m, n, k, a, rowStride, columnStride, b, ldb, c, ldc, accumulate, epilogue)
    }

    /// C = epilogue(A·Bᵀ [+ C]) for row-major A (m×k) and B (n×k): dot products of their
    /// rows, the faster form when n is a handful of columns. The epilogue is `fusedGemm`'s.
    @inline(__always)
    public static func fusedGemmTransposedB(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false,
        bias: UnsafePointer<Float>? = nil, leakySlope: Float? = nil,
        gate: UnsafePointer<Float>? = nil, gateStride: Int = 0
    ) {
        let epilogue = ebm_epilogue(bias: bias, row_bias: nil, leaky: leakySlope != nil && gate == nil, gate: gate,
                                    gate_stride: gateStride, slope: leakySlope ?? 1)
        ebm_sgemm_nt(m, n, k, a, lda, b, ldb, c, ldc, accumulate, epilogue)
    }

    /// Threads the package's own products (`gemm`, `fusedGemm`) use: 1 (the default) or 2,
    /// where products of more than a few MFLOP are split between the calling thread and one
    /// helper — rows of a batch, so chains and samples run on both cores. The result is the
    /// same bytes for either count. Leave it at 1 when the caller already runs one network per
    /// core or other processes share the cores: a helper thread that loses its core holds the
    /// caller up (measured: 1.5–1.9× on two idle cores, 0.5× with a busy neighbour). Only the
    /// package's own kernel (`usesOwnKernel`) splits products.
    public static var kernelThreads: Int {
        get { Int(ebm_threads()) }
        set { ebm_set_threads(Int32(newValue)) }
    }

    /// Whether `fusedGemm` runs the package's AVX-512 kernel (false: OpenBLAS).
    public static var usesOwnKernel: Bool { ebm_sgemm_uses_kernel() }
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
