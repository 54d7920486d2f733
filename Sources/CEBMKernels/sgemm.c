// A small-matrix SGEMM for the shapes energy networks run: MLP layers of a few hundred
// units over batches of tens to thousands of rows, and im2col convolutions. OpenBLAS 0.3.21
// packs both operands on every call and reaches about half of an AVX-512 core on these
// shapes; this kernel broadcasts A from memory (any strides, so Aᵀ is free) and reads B's
// rows in place (copying a panel only when B is wide), so a call costs little more than its
// multiply-adds. The epilogue (bias, leaky activation, leaky gradient gate) is applied while
// the result is still in registers, which saves the separate passes over C a layer would
// otherwise make.
//
// The kernel is compiled for AVX-512F with a function attribute and chosen at run time, so
// the package still builds and runs for baseline x86-64 (and under valgrind, which hides
// AVX-512): there OpenBLAS computes the product and a plain loop applies the epilogue.
#include "CEBMKernels.h"
#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define EBM_HAVE_AVX512 1
#include <immintrin.h>
#endif

static inline float apply_epilogue(float r, long i, long j, const ebm_epilogue *e) {
    if (e->bias) r += e->bias[j];
    if (e->row_bias) r += e->row_bias[i];
    if (e->leaky && r < 0) r *= e->slope;
    if (e->gate && e->gate[i * e->gate_stride + j] < 0) r *= e->slope;
    return r;
}

static void blas_sgemm(long m, long n, long k, const float *a, long ars, long acs, const float *b, long ldb,
                       float *c, long ldc, bool accumulate, const ebm_epilogue *e) {
    // Biases without accumulation are written into C first and BLAS adds the product to them.
    bool prefilled = (e->bias || e->row_bias) && !accumulate;
    if (prefilled) {
        for (long i = 0; i < m; i++) {
            float *row = c + i * ldc, shift = e->row_bias ? e->row_bias[i] : 0;
            if (e->bias) {
                for (long j = 0; j < n; j++) row[j] = e->bias[j] + shift;
            } else {
                for (long j = 0; j < n; j++) row[j] = shift;
            }
        }
    }
    float beta = accumulate || prefilled ? 1 : 0;
    if (k == 0) {
        if (beta == 0) for (long i = 0; i < m; i++) memset(c + i * ldc, 0, sizeof(float) * n);
    } else if (acs == 1 && (ars >= k || m == 1)) {
        // A single row has no row stride to speak of; BLAS still wants lda ≥ k.
        long lda = m == 1 ? k : ars;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)k, 1, a, (int)lda, b, (int)ldb,
                    beta, c, (int)ldc);
    } else {
        long lda = k == 1 ? m : acs;
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)m, (int)n, (int)k, 1, a, (int)lda, b, (int)ldb,
                    beta, c, (int)ldc);
    }
    // One simple loop per epilogue step, so each vectorises.
    float slope = e->slope;
    for (long i = 0; i < m; i++) {
        float *row = c + i * ldc;
        if (e->bias && !prefilled)
            for (long j = 0; j < n; j++) row[j] += e->bias[j];
        if (e->row_bias && !prefilled)
            for (long j = 0; j < n; j++) row[j] += e->row_bias[i];
        if (e->leaky)
            for (long j = 0; j < n; j++) row[j] = row[j] < 0 ? row[j] * slope : row[j];
        if (e->gate) {
            const float *gate = e->gate + i * e->gate_stride;
            for (long j = 0; j < n; j++) row[j] = gate[j] < 0 ? row[j] * slope : row[j];
        }
    }
}

#ifdef EBM_HAVE_AVX512
#define AVX512 __attribute__((target("avx512f,fma")))
// Register block MR rows × NR columns (24 accumulators); K in slices of at most KC; B
// panels copied when B's rows are PACK_LDB floats or more apart; A taken in chunks of about
// CHUNK_BYTES (measured on Zen 5: 512³ at ~240 GFLOP/s, network shapes 180–250).
enum { MR = 6, NV = 4, NR = 16 * NV, KC = 256, PACK_LDB = 512, CHUNK_BYTES = 128 * 1024 };

// One MR×(16·nv) block of C over kb terms. `mr` and `nv` are compile-time constants at every
// call site (see `block`), so the loops unroll into straight-line FMAs on 24 accumulators.
static inline __attribute__((always_inline)) AVX512 void
micro(int mr, int nv, long kb, const float *a, long ars, long acs, const float *b, long ldb, float *c, long ldc,
      __mmask16 tail, bool load_c, bool last, const ebm_epilogue *e, long i0, long j0) {
    __m512 acc[MR][NV];
    for (int i = 0; i < MR; i++)
        for (int v = 0; v < NV; v++) acc[i][v] = _mm512_setzero_ps();
    for (long p = 0; p < kb; p++) {
        __m512 bv[NV];
        for (int v = 0; v < NV; v++)
            if (v < nv) bv[v] = v == nv - 1 ? _mm512_maskz_loadu_ps(tail, b + p * ldb + 16 * v) : _mm512_loadu_ps(b + p * ldb + 16 * v);
        for (int i = 0; i < MR; i++) {
            if (i >= mr) continue;
            __m512 av = _mm512_set1_ps(a[i * ars + p * acs]);
            for (int v = 0; v < NV; v++)
                if (v < nv) acc[i][v] = _mm512_fmadd_ps(av, bv[v], acc[i][v]);
        }
    }
    __m512 slope = _mm512_set1_ps(e->slope), zero = _mm512_setzero_ps();
    for (int i = 0; i < MR; i++) {
        if (i >= mr) continue;
        for (int v = 0; v < NV; v++) {
            if (v >= nv) continue;
            __mmask16 m = v == nv - 1 ? tail : 0xFFFF;
            float *cp = c + i * ldc + 16 * v;
            __m512 r = acc[i][v];
            if (load_c) r = _mm512_add_ps(r, _mm512_maskz_loadu_ps(m, cp));
            if (last) {
                if (e->bias) r = _mm512_add_ps(r, _mm512_maskz_loadu_ps(m, e->bias + j0 + 16 * v));
                if (e->row_bias) r = _mm512_add_ps(r, _mm512_set1_ps(e->row_bias[i0 + i]));
                if (e->leaky) r = _mm512_mask_mul_ps(r, _mm512_cmp_ps_mask(r, zero, _CMP_LT_OQ), r, slope);
                if (e->gate) {
                    __m512 g = _mm512_maskz_loadu_ps(m, e->gate + (i0 + i) * e->gate_stride + j0 + 16 * v);
                    r = _mm512_mask_mul_ps(r, _mm512_cmp_ps_mask(g, zero, _CMP_LT_OQ), r, slope);
                }
            }
            _mm512_mask_storeu_ps(cp, m, r);
        }
    }
}

#define EBM_BLOCK(MRV, NVV) case MRV * 8 + NVV: micro(MRV, NVV, kb, a, ars, acs, b, ldb, c, ldc, tail, load_c, last, e, i0, j0); break;
#define EBM_ROW(MRV) EBM_BLOCK(MRV, 1) EBM_BLOCK(MRV, 2) EBM_BLOCK(MRV, 3) EBM_BLOCK(MRV, 4)

static AVX512 void block(int mr, int nv, long kb, const float *a, long ars, long acs, const float *b, long ldb, float *c,
                         long ldc, __mmask16 tail, bool load_c, bool last, const ebm_epilogue *e, long i0, long j0) {
    switch (mr * 8 + nv) {
        EBM_ROW(1) EBM_ROW(2) EBM_ROW(3) EBM_ROW(4) EBM_ROW(5) EBM_ROW(6)
    }
}

// A matrix–vector product (n = 1, contiguous A rows and B column): one dot product per row.
static AVX512 void gemv(long m, long k, const float *a, long ars, const float *b, float *c, long ldc, bool accumulate,
                        const ebm_epilogue *e) {
    for (long i = 0; i < m; i++) {
        const float *row = a + i * ars;
        __m512 s = _mm512_setzero_ps();
        long p = 0;
        for (; p + 16 <= k; p += 16) s = _mm512_fmadd_ps(_mm512_loadu_ps(row + p), _mm512_loadu_ps(b + p), s);
        if (p < k) {
            __mmask16 m = (__mmask16)((1u << (k - p)) - 1);
            s = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, row + p), _mm512_maskz_loadu_ps(m, b + p), s);
        }
        float r = _mm512_reduce_add_ps(s);
        if (accumulate) r += c[i * ldc];
        c[i * ldc] = apply_epilogue(r, i, 0, e);
    }
}

static AVX512 void kernel_sgemm(long m, long n, long k, const float *a, long ars, long acs, const float *b, long ldb,
                                float *c, long ldc, bool accumulate, const ebm_epilogue *e) {
    if (n == 1 && acs == 1 && ldb == 1) {
        gemv(m, k, a, ars, b, c, ldc, accumulate, e);
        return;
    }
    // Rows are split evenly into ⌈m/MR⌉ blocks (20 rows: 5+5+5+5, not 6+6+6+2), so no block
    // runs with a handful of accumulators. Blocks are taken MC at a time: those rows of A
    // (and C) stay in L1 while every NR-column panel of B passes over them, and each panel's
    // KC-deep slice is reused by all MC blocks. K is cut into near-equal slices of at most KC.
    long blocks = (m + MR - 1) / MR;
    bool pack = ldb >= PACK_LDB && blocks >= 4;
    float packed[KC * NR] __attribute__((aligned(64)));
    long slices = k > 0 ? (k + KC - 1) / KC : 1;
    for (long slice = 0; slice < slices; slice++) {
        long p0 = k * slice / slices, kb = k * (slice + 1) / slices - p0;
        bool load_c = slice > 0 || accumulate, last = slice == slices - 1;
        long chunk = CHUNK_BYTES / (sizeof(float) * MR * (kb > 0 ? kb : 1));
        if (chunk < 1) chunk = 1;
        for (long first = 0; first < blocks; first += chunk) {
            long end = first + chunk < blocks ? first + chunk : blocks;
            for (long j0 = 0; j0 < n; j0 += NR) {
                long nb = n - j0 < NR ? n - j0 : NR;
                int nv = (int)((nb + 15) / 16);
                __mmask16 tail = nb % 16 ? (__mmask16)((1u << (nb % 16)) - 1) : 0xFFFF;
                const float *panel = b + p0 * ldb + j0;
                long panel_stride = ldb;
                if (pack) {
                    // Rows of a wide B lie a multiple of 4 KiB apart and would all compete for
                    // the same L1 sets; a contiguous copy of the panel slice does not.
                    for (long p = 0; p < kb; p++) memcpy(packed + p * NR, panel + p * ldb, sizeof(float) * nb);
                    panel = packed;
                    panel_stride = NR;
                }
                for (long blk = first; blk < end; blk++) {
                    long i0 = m * blk / blocks;
                    int mr = (int)(m * (blk + 1) / blocks - i0);
                    block(mr, nv, kb, a + i0 * ars + p0 * acs, ars, acs, panel, panel_stride, c + i0 * ldc + j0, ldc,
                          tail, load_c, last, e, i0, j0);
                }
            }
        }
    }
}


// A·Bᵀ in tiles of 4 rows × 4 columns: 16 vector accumulators over k, then one reduction tree
// for all 16 sums (256 → 128 → 4 lanes, then horizontal adds) instead of 16 separate ones.
static AVX512 void kernel_sgemm_nt(long m, long n, long k, const float *a, long lda, const float *b, long ldb, float *c,
                                   long ldc, bool accumulate, const ebm_epilogue *e) {
    long full = k - k % 16;
    __mmask16 tail = (__mmask16)((1u << (k % 16)) - 1);
    for (long i0 = 0; i0 < m; i0 += 4) {
        int rows = (int)(m - i0 < 4 ? m - i0 : 4);
        for (long j0 = 0; j0 < n; j0 += 4) {
            int cols = (int)(n - j0 < 4 ? n - j0 : 4);
            __m512 acc[4][4];
            for (int r = 0; r < 4; r++)
                for (int j = 0; j < 4; j++) acc[r][j] = _mm512_setzero_ps();
            for (long p = 0; p <= full; p += 16) {
                if (p == full && p == k) break;
                __mmask16 mask = p < full ? 0xFFFF : tail;
                __m512 bv[4];
                for (int j = 0; j < 4; j++)
                    bv[j] = j < cols ? _mm512_maskz_loadu_ps(mask, b + (j0 + j) * ldb + p) : _mm512_setzero_ps();
                for (int r = 0; r < 4; r++) {
                    if (r >= rows) break;
                    __m512 av = _mm512_maskz_loadu_ps(mask, a + (i0 + r) * lda + p);
                    for (int j = 0; j < 4; j++) acc[r][j] = _mm512_fmadd_ps(av, bv[j], acc[r][j]);
                }
            }
            float sums[16];
            for (int r = 0; r < 4; r++) {
                __m128 quarter[4];
                for (int j = 0; j < 4; j++) {
                    __m512 v = acc[r][j];
                    __m256 half = _mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
                    quarter[j] = _mm_add_ps(_mm256_castps256_ps128(half), _mm256_extractf128_ps(half, 1));
                }
                __m128 s = _mm_hadd_ps(_mm_hadd_ps(quarter[0], quarter[1]), _mm_hadd_ps(quarter[2], quarter[3]));
                _mm_storeu_ps(sums + 4 * r, s);
            }
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    float *cp = c + (i0 + r) * ldc + j0 + j;
                    float v = sums[4 * r + j];
                    if (accumulate) v += *cp;
                    *cp = apply_epilogue(v, i0 + r, j0 + j, e);
                }
            }
        }
    }
}

// e^x for 16 lanes: x = n·ln2 + r with |r| ≤ ln2/2, e^r by Cephes' degree-6 polynomial, then
// scaled by 2^n. The clamp keeps 2^n finite (NaN passes through: max/min return their second
// operand when it is NaN).
static inline __attribute__((always_inline)) AVX512 __m512 exp16(__m512 x) {
    x = _mm512_min_ps(_mm512_set1_ps(88.7f), _mm512_max_ps(_mm512_set1_ps(-103.9f), x));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1)));
    return _mm512_scalef_ps(p, n);
}

static AVX512 void kernel_swish(long n, const float *x, float *out, float *sigmoid) {
    __m512 one = _mm512_set1_ps(1);
    for (long i = 0; i < n; i += 16) {
        __mmask16 m = n - i >= 16 ? 0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        __m512 v = _mm512_maskz_loadu_ps(m, x + i);
        __m512 s = _mm512_div_ps(one, _mm512_add_ps(one, exp16(_mm512_sub_ps(_mm512_setzero_ps(), v))));
        _mm512_mask_storeu_ps(sigmoid + i, m, s);
        _mm512_mask_storeu_ps(out + i, m, _mm512_mul_ps(v, s));
    }
}
#endif

static int kernel_state = -1;  // -1 unknown, 0 OpenBLAS, 1 own kernel

bool ebm_sgemm_uses_kernel(void) {
    int state = __atomic_load_n(&kernel_state, __ATOMIC_RELAXED);
    if (state < 0) {
        state = 0;
#ifdef EBM_HAVE_AVX512
        const char *choice = getenv("EBM_GEMM");
        __builtin_cpu_init();
        state = __builtin_cpu_supports("avx512f") && !(choice && strcmp(choice, "openblas") == 0);
#endif
        __atomic_store_n(&kernel_state, state, __ATOMIC_RELAXED);
    }
    return state == 1;
}

// MARK: Two-way split

// With `ebm_set_threads(2)` a product big enough to amortise a hand-off is cut into parts —
// bands of whole 6-row blocks, or of 64-column panels when there are few rows — that the
// caller and one helper thread take from a shared counter until none are left. Taking parts
// rather than a fixed half keeps a helper that is late (asleep, or sharing its core with
// another process) from holding the caller up: the caller just takes more parts. Each element
// is summed in the same order whoever computes it, so results do not depend on the thread
// count. The helper spins briefly after each product (Langevin loops issue them back to
// back), then sleeps on a condition variable. One caller at a time uses the helper; a
// concurrent caller computes its product alone.

typedef struct {
    long m, n, k;
    const float *a;
    long ars, acs;
    const float *b;
    long ldb;
    float *c;
    long ldc;
    bool accumulate;
    ebm_epilogue epilogue;
} ebm_job;

static void run_job(const ebm_job *j) {
#ifdef EBM_HAVE_AVX512
    if (ebm_sgemm_uses_kernel()) {
        kernel_sgemm(j->m, j->n, j->k, j->a, j->ars, j->acs, j->b, j->ldb, j->c, j->ldc, j->accumulate, &j->epilogue);
        return;
    }
#endif
    blas_sgemm(j->m, j->n, j->k, j->a, j->ars, j->acs, j->b, j->ldb, j->c, j->ldc, j->accumulate, &j->epilogue);
}

static atomic_int wanted_threads = 1;
static atomic_flag pool_busy = ATOMIC_FLAG_INIT;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t pool_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_wake = PTHREAD_COND_INITIALIZER;
static bool pool_ok = false;
// The current product: its ticket, how it is cut, and (ticket << 32 | front << 16 | back): parts
// front..<back are still to take.
static atomic_long posted = 0;
static ebm_job pool_job;
static long pool_parts, pool_unit;
static bool pool_by_rows;
static _Atomic unsigned long long pool_next = 0;
static atomic_long pool_done = 0;

static inline void relax(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
}

// Part `index` of the current product: units [index·unit, (index+1)·unit) of rows or columns.
static void run_part(long index) {
    ebm_job part = pool_job;
    long total = pool_by_rows ? pool_job.m : pool_job.n;
    long from = index * pool_unit, to = from + pool_unit < total ? from + pool_unit : total;
    if (pool_by_rows) {
        part.m = to - from;
        part.a += from * part.ars;
        part.c += from * part.ldc;
        if (part.epilogue.row_bias) part.epilogue.row_bias += from;
        if (part.epilogue.gate) part.epilogue.gate += from * part.epilogue.gate_stride;
    } else {
        part.n = to - from;
        part.b += from;
        part.c += from;
        if (part.epilogue.bias) part.epilogue.bias += from;
        if (part.epilogue.gate) part.epilogue.gate += from;
    }
    run_job(&part);
}

// Takes and runs parts of product `ticket` until none are left (or another product is up).
// The caller takes parts from the front and the helper from the back, so with a prompt helper
// the caller keeps the first rows and the helper the last ones from one product to the next
// (a layer's input rows are then mostly in the cache of the core that reads them).
static void take_parts(long ticket, bool from_back) {
    for (;;) {
        unsigned long long word = atomic_load_explicit(&pool_next, memory_order_acquire);
        long front = (long)((word >> 16) & 0xFFFF), back = (long)(word & 0xFFFF);
        if ((long)(word >> 32) != (ticket & 0xFFFFFFFF) || front >= back) return;
        unsigned long long taken = from_back ? word - 1 : word + (1ull << 16);
        if (atomic_compare_exchange_weak_explicit(&pool_next, &word, taken, memory_order_acq_rel, memory_order_acquire)) {
            run_part(from_back ? back - 1 : front);
            atomic_fetch_add_explicit(&pool_done, 1, memory_order_release);
        }
    }
}

static void *helper_main(void *unused) {
    (void)unused;
    long seen = 0;
    for (;;) {
        for (int spin = 0; spin < 20000 && atomic_load_explicit(&posted, memory_order_acquire) == seen; spin++) relax();
        if (atomic_load_explicit(&posted, memory_order_acquire) == seen) {
            pthread_mutex_lock(&pool_mutex);
            while (atomic_load_explicit(&posted, memory_order_acquire) == seen) pthread_cond_wait(&pool_wake, &pool_mutex);
            pthread_mutex_unlock(&pool_mutex);
        }
        seen = atomic_load_explicit(&posted, memory_order_acquire);
        take_parts(seen, true);
    }
    return NULL;
}

static void start_helper(void) {
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pool_ok = pthread_create(&thread, &attr, helper_main, NULL) == 0;
    pthread_attr_destroy(&attr);
}

void ebm_set_threads(int threads) { atomic_store(&wanted_threads, threads < 1 ? 1 : threads > 2 ? 2 : threads); }

int ebm_threads(void) { return atomic_load(&wanted_threads); }

// Parts of at least about 1 MFLOP (a few µs), at most 8 of them; below 2 parts the product
// runs on the caller alone.
enum { PART_FLOPS = 1000000, MAX_PARTS = 8 };

void ebm_sgemm(long m, long n, long k, const float *a, long a_row_stride, long a_col_stride, const float *b, long ldb,
               float *c, long ldc, bool accumulate, ebm_epilogue epilogue) {
    if (m <= 0 || n <= 0) return;
    ebm_job whole = {m, n, k, a, a_row_stride, a_col_stride, b, ldb, c, ldc, accumulate, epilogue};
    long parts = (long)(2.0 * m * n * k / PART_FLOPS);
    if (parts > MAX_PARTS) parts = MAX_PARTS;
    bool by_rows = m >= 2 * 6;
    long units = by_rows ? (m + 5) / 6 : (n + 63) / 64;
    if (parts > units) parts = units;
    // OpenBLAS has threads of its own, and its results would depend on the cut.
    if (atomic_load_explicit(&wanted_threads, memory_order_relaxed) < 2 || parts < 2 || !ebm_sgemm_uses_kernel() ||
        atomic_flag_test_and_set_explicit(&pool_busy, memory_order_acquire)) {
        run_job(&whole);
        return;
    }
    pthread_once(&pool_once, start_helper);
    if (!pool_ok) {
        atomic_flag_clear_explicit(&pool_busy, memory_order_release);
        run_job(&whole);
        return;
    }
    long unit = (units + parts - 1) / parts * (by_rows ? 6 : 64);
    pool_job = whole;
    pool_by_rows = by_rows;
    pool_unit = unit;
    pool_parts = ((by_rows ? m : n) + unit - 1) / unit;
    atomic_store_explicit(&pool_done, 0, memory_order_relaxed);
    long ticket = atomic_load_explicit(&posted, memory_order_relaxed) + 1;
    atomic_store_explicit(&pool_next, (unsigned long long)(ticket & 0xFFFFFFFF) << 32 | (unsigned long long)pool_parts,
                          memory_order_release);
    pthread_mutex_lock(&pool_mutex);
    atomic_store_explicit(&posted, ticket, memory_order_release);
    pthread_cond_signal(&pool_wake);
    pthread_mutex_unlock(&pool_mutex);
    take_parts(ticket, false);
    while (atomic_load_explicit(&pool_done, memory_order_acquire) != pool_parts) relax();
    atomic_flag_clear_explicit(&pool_busy, memory_order_release);
}

void ebm_swish(long n, const float *x, float *out, float *sigmoid) {
#ifdef EBM_HAVE_AVX512
    if (ebm_sgemm_uses_kernel()) {
        kernel_swish(n, x, out, sigmoid);
        return;
    }
#endif
    for (long i = 0; i < n; i++) {
        float s = 1 / (1 + expf(-x[i]));
        sigmoid[i] = s;
        out[i] = x[i] * s;
    }
}

void ebm_sgemm_nt(long m, long n, long k, const float *a, long lda, const float *b, long ldb, float *c, long ldc,
                  bool accumulate, ebm_epilogue epilogue) {
    if (m <= 0 || n <= 0) return;
#ifdef EBM_HAVE_AVX512
    if (ebm_sgemm_uses_kernel()) {
        kernel_sgemm_nt(m, n, k, a, lda, b, ldb, c, ldc, accumulate, &epilogue);
        return;
    }
#endif
    if (k == 0) {
        if (!accumulate) for (long i = 0; i < m; i++) memset(c + i * ldc, 0, sizeof(float) * n);
    } else {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)n, (int)k, 1, a, (int)lda, b, (int)ldb,
                    accumulate ? 1 : 0, c, (int)ldc);
    }
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++) c[i * ldc + j] = apply_epilogue(c[i * ldc + j], i, j, &epilogue);
}
