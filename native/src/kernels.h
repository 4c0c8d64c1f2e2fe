/*
 * The BLAS/LAPACK kernels of esdlab's native backend, free of Node-API so that they run on a
 * libuv worker thread. Every matrix is row-major and contiguous (leading dimension = its column
 * count), exactly as esdlab's Matrix stores it; the kernels map row-major onto column-major LAPACK
 * without copying wherever the algebra allows (a row-major m x n matrix is a column-major n x m one).
 */
#ifndef ESDLAB_KERNELS_H
#define ESDLAB_KERNELS_H

#include <stddef.h>

typedef enum {
  KERNEL_GEMM,
  KERNEL_SYRK,
  KERNEL_GEMV,
  KERNEL_POTRF,
  KERNEL_POTRS,
  KERNEL_SYEVD,
  KERNEL_GESDD
} kernel_op;

/*
 * One call. Which fields mean what, per op:
 *   GEMM  C(m x n) = alpha op(A) op(B) + beta C, op(A) m x k, op(B) k x n; flag_a/flag_b = transpose A/B.
 *   SYRK  C(n x n) = alpha A A^T + beta C (flag_a = 0, A n x k) or alpha A^T A + beta C (flag_a = 1, A k x n).
 *   GEMV  y = alpha op(A) x + beta y, A m x n stored; flag_a = transpose.
 *   POTRF a (n x n) is overwritten by its lower Cholesky factor L (strict upper triangle zeroed).
 *   POTRS b (n x k, k right-hand sides) is overwritten by the solution of L L^T X = B, L = a.
 *   SYEVD a (n x n) symmetric, w (n) receives ascending eigenvalues; with flag_a (vectors) a is
 *         overwritten by the eigenvectors, eigenvector j in column j, else only read; flag_b (values
 *         only) uses the two-stage reduction (?syevd_2stage).
 *   GESDD a (m x n) is only read (the kernel copies it), s (min(m, n)) receives descending singular
 *         values; with flag_a (vectors) c receives U (m x k) and d receives Vt (k x n), k = min(m, n).
 */
typedef struct {
  kernel_op op;
  int is_f64;
  int threads;
  int flag_a, flag_b;
  int m, n, k;
  double alpha, beta;
  void *a, *b, *c, *d;
} kernel_args;

/* Returned instead of LAPACK's info when a scratch buffer could not be allocated. */
#define KERNEL_OUT_OF_MEMORY (-100000)

/*
 * Runs one kernel; returns LAPACK's info (0: success, > 0: numerical failure such as the order of
 * the leading minor that is not positive definite, < 0: invalid argument number). Calls are
 * serialized by a process-wide mutex: Debian's pthreads OpenBLAS is not safe when two threads
 * enter it at once.
 */
int kernel_run(const kernel_args *args);

/* OpenBLAS's build configuration, core name, and the most threads it can use. */
const char *kernel_blas_config(void);
const char *kernel_blas_core(void);
int kernel_blas_max_threads(void);

#endif
