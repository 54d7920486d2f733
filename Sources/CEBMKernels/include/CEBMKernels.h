#pragma once
#include <stdbool.h>

/// What `ebm_sgemm` does to each result element before storing it.
typedef struct {
    /// Added to every row (n values), or NULL.
    const float *bias;
    /// row_bias[i] added to every element of row i (m values), or NULL.
    const float *row_bias;
    /// Leaky activation of the result: r < 0 ? slope·r : r.
    bool leaky;
    /// Where gate[i·gate_stride + j] < 0 the result is scaled by `slope` (the backward pass of
    /// a leaky activation whose output is `gate`), or NULL.
    const float *gate;
    long gate_stride;
    float slope;
} ebm_epilogue;

/// C = epilogue(A·B [+ C]) for an m×k matrix A whose element (i, p) is
/// a[i·a_row_stride + p·a_col_stride] (so Aᵀ needs no copy), a row-major k×n matrix B with
/// row stride ldb, and a row-major m×n matrix C with row stride ldc. With `accumulate` the old
/// C is added before the epilogue. Uses the AVX-512 kernel when the CPU has it, otherwise
/// OpenBLAS followed by the same epilogue. Either A stride must be 1.
void ebm_sgemm(long m, long n, long k,
               const float *a, long a_row_stride, long a_col_stride,
               const float *b, long ldb,
               float *c, long ldc, bool accumulate, ebm_epilogue epilogue);

/// C = epilogue(A·Bᵀ [+ C]) for row-major A (m×k, row stride lda) and B (n×k, row stride
/// ldb), as dot products of A's rows with B's rows: for a few output columns (the input
/// gradient of a network's first layer) about twice as fast as `ebm_sgemm` on Bᵀ, whose
/// 16-wide vectors would be mostly empty. Same epilogue as `ebm_sgemm`.
void ebm_sgemm_nt(long m, long n, long k, const float *a, long lda, const float *b, long ldb,
                  float *c, long ldc, bool accumulate, ebm_epilogue epilogue);

/// Threads `ebm_sgemm` may use (1 or 2, default 1): with 2, products of more than a few
/// MFLOP are split between the caller and one helper thread, with the same bytes as result.
/// Only the package's own kernel splits; the OpenBLAS path ignores the setting.
void ebm_set_threads(int threads);
int ebm_threads(void);

/// Swish over n values: sigmoid[i] = 1/(1 + e^(−x[i])), out[i] = x[i]·sigmoid[i]. With
/// AVX-512 the exponential is a vectorised polynomial (within 2 ulp of expf); otherwise expf.
void ebm_swish(long n, const float *x, float *out, float *sigmoid);

/// Whether `ebm_sgemm` runs its own AVX-512 kernel (false: it forwards to OpenBLAS). The
/// environment variable EBM_GEMM=openblas forces the OpenBLAS path (for comparisons).
bool ebm_sgemm_uses_kernel(void);

/// *s = sin(x), *c = cos(x), bit for bit what the two libm calls give, in one call.
void ebm_sincos(double x, double *s, double *c);
/// *s = sinf(x), *c = cosf(x), bit for bit what the two libm calls give, in one call.
void ebm_sincosf(float x, float *s, float *c);
