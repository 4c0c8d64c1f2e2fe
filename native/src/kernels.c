/*
 * BLAS/LAPACK kernels over OpenBLAS and LAPACKE (see kernels.h for the contract of each op).
 *
 * Layout trick used throughout: a row-major m x n buffer read as column-major is the n x m
 * transpose. CBLAS takes CblasRowMajor directly (no copy). For LAPACK we never pass
 * LAPACK_ROW_MAJOR, because LAPACKE then transposes every operand into a temporary; instead:
 *   - potrf: a symmetric A is its own transpose, so column-major 'U' on the same buffer factors
 *     A = U^T U with U^T = L, which is exactly the row-major lower factor.
 *   - potrs: done as the two triangular solves potrs performs (L Y = B, L^T X = Y) with
 *     CblasRowMajor trsm, so the right-hand sides need no transpose.
 *   - syevd: column-major on the same buffer (A symmetric). LAPACK returns eigenvector j in
 *     column-major column j, i.e. row-major row j, so one in-place square transpose (O(n^2), no
 *     extra memory) puts eigenvector j in row-major column j.
 *   - gesdd: see gesdd below (LAPACK always gets the tall orientation, the faster one).
 * Copies that remain: LAPACK overwrites its input. Where the overwritten buffer is the result (L
 * from potrf, the eigenvectors from syevd, X from potrs) the caller passes a copy of A or B (the
 * TypeScript side makes it); where it is not (eigenvalues only, gesdd) the kernel copies A into
 * a scratch buffer of its own and only reads the caller's A.
 */
#include "kernels.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include <lapacke.h>

static pthread_mutex_t blas_mutex = PTHREAD_MUTEX_INITIALIZER;
static int current_threads = -1;

static int max_int(int a, int b) { return a > b ? a : b; }

/* In-place transpose of a square n x n matrix, blocked to stay in cache. */
#define DEFINE_TRANSPOSE(NAME, T)                                              \
  static void NAME(T *a, int n) {                                              \
    const int block = 64;                                                      \
    for (int i0 = 0; i0 < n; i0 += block) {                                    \
      for (int j0 = i0; j0 < n; j0 += block) {                                 \
        int i1 = i0 + block < n ? i0 + block : n;                              \
        int j1 = j0 + block < n ? j0 + block : n;                              \
        for (int i = i0; i < i1; i++) {                                        \
          for (int j = (j0 == i0 ? i + 1 : j0); j < j1; j++) {                 \
            T t = a[(size_t)i * n + j];                                        \
            a[(size_t)i * n + j] = a[(size_t)j * n + i];                       \
            a[(size_t)j * n + i] = t;                                          \
          }                                                                    \
        }                                                                      \
      }                                                                        \
    }                                                                          \
  }
DEFINE_TRANSPOSE(transpose_in_place_f32, float)
DEFINE_TRANSPOSE(transpose_in_place_f64, double)

/* Copies the upper triangle of a row-major n x n matrix onto its lower triangle, in 64 x 64 tiles
   so that the column-wise reads stay in cache (a plain loop strides n elements per read). */
#define DEFINE_MIRROR(NAME, T)                                                 \
  static void NAME(T *c, int n) {                                              \
    const int block = 64;                                                      \
    for (int i0 = 0; i0 < n; i0 += block) {                                    \
      int i1 = i0 + block < n ? i0 + block : n;                                \
      for (int j0 = 0; j0 <= i0; j0 += block) {                                \
        int j1 = j0 + block < n ? j0 + block : n;                              \
        for (int i = i0; i < i1; i++) {                                        \
          int jend = j1 < i ? j1 : i;                                          \
          for (int j = j0; j < jend; j++) c[(size_t)i * n + j] = c[(size_t)j * n + i]; \
        }                                                                      \
      }                                                                        \
    }                                                                          \
  }
DEFINE_MIRROR(mirror_upper_f32, float)
DEFINE_MIRROR(mirror_upper_f64, double)

/* Zeroes the strict upper triangle of a row-major n x n matrix. */
#define DEFINE_ZERO_UPPER(NAME, T)                                             \
  static void NAME(T *a, int n) {                                              \
    for (int i = 0; i < n; i++)                                                \
      for (int j = i + 1; j < n; j++) a[(size_t)i * n + j] = 0;                \
  }
DEFINE_ZERO_UPPER(zero_upper_f32, float)
DEFINE_ZERO_UPPER(zero_upper_f64, double)


/*
 * SVD of the row-major m x n matrix p->a (read, never written) into s = p->b, U = p->c (m x k) and
 * Vt = p->d (k x n). LAPACK's gesdd is several times faster on a tall column-major matrix than on a
 * wide one (the bidiagonalization walks columns), so LAPACK always gets the tall orientation:
 *  - m < n: the row-major buffer is already the tall column-major A^T = V S U^T (n x m); LAPACK's
 *    "U" of it is our Vt and its "VT" our U, written straight into the outputs;
 *  - m >= n: a transposing copy gives column-major A (m x n); LAPACK's column-major U (m x k) and
 *    VT (k x n) are transposed into the row-major outputs.
 * Either way A is copied once into a scratch buffer (gesdd destroys its input).
 */
#define DEFINE_GESDD(NAME, T, LAPACKE_GESDD)                                                         \
  static int NAME(const kernel_args *p) {                                                           \
    int m = p->m, n = p->n, k = m < n ? m : n, vectors = p->flag_a, info;                           \
    const T *a = p->a;                                                                              \
    T *s = p->b, *u = p->c, *vt = p->d;                                                             \
    if (k == 0) return 0;                                                                           \
    T *work = malloc(sizeof(T) * (size_t)m * n);                                                    \
    if (!work) return KERNEL_OUT_OF_MEMORY;                                                         \
    if (m < n) {                                                                                    \
      memcpy(work, a, sizeof(T) * (size_t)m * n);                                                   \
      info = LAPACKE_GESDD(LAPACK_COL_MAJOR, vectors ? 'S' : 'N', n, m, work, n, s, vectors ? vt : NULL, n, \
                           vectors ? u : NULL, k);                                                  \
      free(work);                                                                                   \
      return info;                                                                                  \
    }                                                                                               \
    for (int i0 = 0; i0 < m; i0 += 64)                                                              \
      for (int j0 = 0; j0 < n; j0 += 64)                                                            \
        for (int i = i0; i < m && i < i0 + 64; i++)                                                 \
          for (int j = j0; j < n && j < j0 + 64; j++) work[i + (size_t)j * m] = a[(size_t)i * n + j]; \
    T *lapack_u = NULL, *lapack_vt = NULL;                                                          \
    if (vectors) {                                                                                  \
      lapack_u = malloc(sizeof(T) * (size_t)m * k);                                                 \
      lapack_vt = malloc(sizeof(T) * (size_t)k * n);                                                \
      if (!lapack_u || !lapack_vt) {                                                                \
        free(work), free(lapack_u), free(lapack_vt);                                                \
        return KERNEL_OUT_OF_MEMORY;                                                                \
      }                                                                                             \
    }                                                                                               \
    info = LAPACKE_GESDD(LAPACK_COL_MAJOR, vectors ? 'S' : 'N', m, n, work, m, s, lapack_u, m, lapack_vt, k); \
    if (info == 0 && vectors) {                                                                     \
      for (int i = 0; i < m; i++)                                                                   \
        for (int r = 0; r < k; r++) u[(size_t)i * k + r] = lapack_u[i + (size_t)r * m];             \
      for (int r = 0; r < k; r++)                                                                   \
        for (int j = 0; j < n; j++) vt[(size_t)r * n + j] = lapack_vt[r + (size_t)j * k];           \
    }                                                                                               \
    free(work), free(lapack_u), free(lapack_vt);                                                    \
    return info;                                                                                    \
  }
DEFINE_GESDD(gesdd_f32, float, LAPACKE_sgesdd)
DEFINE_GESDD(gesdd_f64, double, LAPACKE_dgesdd)

/*
 * Eigenvalues only: syevd destroys its input, so it gets a copy in a scratch buffer of our own
 * (malloc reuses freed memory from call to call, where a fresh JavaScript array would be
 * zero-filled and page-faulted in every time); `a` is only read. The _work entry point skips
 * LAPACKE's NaN scan of the whole matrix: the public op (src/linalg/eigen.ts) has already
 * rejected NaN/Inf input, so that scan would be a third pass over A (numpy makes one copy).
 */
#define DEFINE_SYEVD_VALUES(NAME, T, LAPACKE_SYEVD_WORK)                           \
  static int NAME(const T *a, int n, T *w) {                                     \
    T *work = malloc(sizeof(T) * (size_t)n * n);                                 \
    if (!work) return KERNEL_OUT_OF_MEMORY;                                      \
    memcpy(work, a, sizeof(T) * (size_t)n * n);                                  \
    T work_size = 0;                                                             \
    lapack_int iwork_size = 0;                                                   \
    int info = LAPACKE_SYEVD_WORK(LAPACK_COL_MAJOR, 'N', 'U', n, work, n, w, &work_size, -1, &iwork_size, -1); \
    if (info == 0) {                                                             \
      lapack_int lwork = (lapack_int)work_size;                                  \
      lapack_int liwork = iwork_size;                                            \
      T *lapack_work = malloc(sizeof(T) * (size_t)(lwork > 1 ? lwork : 1));       \
      lapack_int *lapack_iwork = malloc(sizeof(lapack_int) * (size_t)(liwork > 1 ? liwork : 1)); \
      if (!lapack_work || !lapack_iwork) info = KERNEL_OUT_OF_MEMORY;            \
      else info = LAPACKE_SYEVD_WORK(LAPACK_COL_MAJOR, 'N', 'U', n, work, n, w, lapack_work, lwork, lapack_iwork, liwork); \
      free(lapack_work);                                                         \
      free(lapack_iwork);                                                        \
    }                                                                            \
    free(work);                                                                  \
    return info;                                                                 \
  }
DEFINE_SYEVD_VALUES(syevd_values_f32, float, LAPACKE_ssyevd_work)
DEFINE_SYEVD_VALUES(syevd_values_f64, double, LAPACKE_dsyevd_work)
/*
 * The two-stage variant (LAPACK >= 3.7, ?syevd_2stage, eigenvalues only): dense to band with
 * level-3 BLAS, then band to tridiagonal by bulge chasing, where the one-stage ?sytrd spends half
 * its flops in memory-bound matrix-vector products. Same contract and copy as above.
 */
DEFINE_SYEVD_VALUES(syevd_2stage_values_f32, float, LAPACKE_ssyevd_2stage_work)
DEFINE_SYEVD_VALUES(syevd_2stage_values_f64, double, LAPACKE_dsyevd_2stage_work)

/* One dispatcher per dtype; P is the BLAS/LAPACK prefix (s or d), SUFFIX the helpers' suffix. */
#define DEFINE_RUN(NAME, T, P, SUFFIX)                                                                \
  static int NAME(const kernel_args *p) {                                                           \
    T *a = p->a, *b = p->b, *c = p->c;                                                              \
    int m = p->m, n = p->n, k = p->k, info = 0;                                                     \
    switch (p->op) {                                                                                \
      case KERNEL_GEMM:                                                                             \
        if (m == 0 || n == 0) return 0;                                                             \
        cblas_##P##gemm(CblasRowMajor, p->flag_a ? CblasTrans : CblasNoTrans, p->flag_b ? CblasTrans : CblasNoTrans, \
                        m, n, k, (T)p->alpha, a, max_int(1, p->flag_a ? m : k), b, max_int(1, p->flag_b ? k : n), \
                        (T)p->beta, c, max_int(1, n));                                              \
        return 0;                                                                                   \
      case KERNEL_SYRK:                                                                             \
        if (n == 0) return 0;                                                                       \
        cblas_##P##syrk(CblasRowMajor, CblasUpper, p->flag_a ? CblasTrans : CblasNoTrans, n, k, (T)p->alpha, a, \
                        max_int(1, p->flag_a ? n : k), (T)p->beta, c, n);                           \
        mirror_upper_##SUFFIX(c, n);                                                                \
        return 0;                                                                                   \
      case KERNEL_GEMV:                                                                             \
        if ((p->flag_a ? n : m) == 0) return 0;                                                     \
        cblas_##P##gemv(CblasRowMajor, p->flag_a ? CblasTrans : CblasNoTrans, m, n, (T)p->alpha, a, max_int(1, n), \
                        b, 1, (T)p->beta, c, 1);                                                    \
        return 0;                                                                                   \
      case KERNEL_POTRF:                                                                            \
        if (n == 0) return 0;                                                                       \
        info = LAPACKE_##P##potrf(LAPACK_COL_MAJOR, 'U', n, a, n);                                  \
        if (info == 0) zero_upper_##SUFFIX(a, n);                                                   \
        return info;                                                                                \
      case KERNEL_POTRS:                                                                            \
        if (n == 0 || k == 0) return 0;                                                             \
        cblas_##P##trsm(CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, n, k, (T)1, a, n, b, k); \
        cblas_##P##trsm(CblasRowMajor, CblasLeft, CblasLower, CblasTrans, CblasNonUnit, n, k, (T)1, a, n, b, k); \
        return 0;                                                                                   \
      case KERNEL_SYEVD:                                                                            \
        if (n == 0) return 0;                                                                       \
        if (!p->flag_a) return p->flag_b ? syevd_2stage_values_##SUFFIX(a, n, b) : syevd_values_##SUFFIX(a, n, b); \
        info = LAPACKE_##P##syevd(LAPACK_COL_MAJOR, 'V', 'U', n, a, n, b);                          \
        if (info == 0) transpose_in_place_##SUFFIX(a, n);                                           \
        return info;                                                                                \
      case KERNEL_GESDD:                                                                            \
        return gesdd_##SUFFIX(p);                                                                   \
    }                                                                                               \
    return -1000;                                                                                   \
  }
DEFINE_RUN(run_f32, float, s, f32)
DEFINE_RUN(run_f64, double, d, f64)

int kernel_run(const kernel_args *args) {
  pthread_mutex_lock(&blas_mutex);
  if (args->threads > 0 && args->threads != current_threads) {
    openblas_set_num_threads(args->threads);
    current_threads = args->threads;
  }
  int info = args->is_f64 ? run_f64(args) : run_f32(args);
  pthread_mutex_unlock(&blas_mutex);
  return info;
}

const char *kernel_blas_config(void) { return openblas_get_config(); }
const char *kernel_blas_core(void) { return openblas_get_corename(); }
int kernel_blas_max_threads(void) { return openblas_get_num_procs(); }
