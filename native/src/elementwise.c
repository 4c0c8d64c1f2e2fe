/* See elementwise.h: bit-for-bit the TypeScript loops, vectorized where the order allows. */
#include "elementwise.h"

/* -O3 and no FP traps (results unchanged: esdlab never reads FP exception flags) for this file only:
   only then do the tanh loops, whose clamp is a compare and select, vectorize. */
#pragma GCC optimize("O3", "no-trapping-math")

#include <math.h>
#include <stdlib.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
/* One clone per vector width; the loader picks the widest the CPU runs. No FMA is enabled (and
   -ffp-contract=off forbids contraction anyway), so every clone rounds as the TypeScript does. */
#define ESDLAB_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define ESDLAB_CLONES
#endif

#define FAST_TANH_CLAMP 7.90531110763549805

/* src/model/activation.ts tanhFast: the [13/6] odd rational approximation, same constants and order. */
static inline double tanh_fast(double z) {
  /* the same clamp as two selects (vectorizable); NaN fails both comparisons and stays NaN */
  double x = z > FAST_TANH_CLAMP ? FAST_TANH_CLAMP : z;
  x = x < -FAST_TANH_CLAMP ? -FAST_TANH_CLAMP : x;
  double x2 = x * x;
  double p = -2.76076847742355e-16;
  p = p * x2 + 2.00018790482477e-13;
  p = p * x2 - 8.60467152213735e-11;
  p = p * x2 + 5.12229709037114e-8;
  p = p * x2 + 1.48572235717979e-5;
  p = p * x2 + 6.37261928875436e-4;
  p = p * x2 + 4.89352455891786e-3;
  double q = 1.19825839466702e-6;
  q = q * x2 + 1.18534705686654e-4;
  q = q * x2 + 2.268434632439e-3;
  q = q * x2 + 4.89352518554385e-3;
  return (x * p) / q;
}

/* Row pass 1, vectorizable part: t (f64, unrounded) and the rounded store. */
ESDLAB_CLONES
static void tanh_row(float *restrict z, double *restrict t, size_t cols) {
  for (size_t j = 0; j < cols; j++) {
    double value = tanh_fast((double)z[j]);
    t[j] = value;
    z[j] = (float)value;
  }
}

ESDLAB_CLONES
static void backward_row(float *restrict z, const float *restrict a, double r, double *restrict acc, size_t cols) {
  if (acc) {
    for (size_t j = 0; j < cols; j++) {
      double t = (double)z[j];
      acc[j] += t * r;
      z[j] = (float)(r * (double)a[j] * (1 - t * t));
    }
  } else {
    for (size_t j = 0; j < cols; j++) {
      double t = (double)z[j];
      z[j] = (float)(r * (double)a[j] * (1 - t * t));
    }
  }
}

int esdlab_tanh_backward_f32(float *z, size_t rows, size_t cols, const float *a, const double *y, double scale,
                             double *acc, double *loss_out) {
  double *t = malloc((cols > 0 ? cols : 1) * sizeof *t);
  if (!t) return -1;
  double loss = 0;
  for (size_t i = 0; i < rows; i++) {
    float *row = z + i * cols;
    tanh_row(row, t, cols);
    double sum = 0;
    for (size_t j = 0; j < cols; j++) sum += t[j] * (double)a[j]; /* sequential, as the TypeScript */
    double r = sum * scale - y[i];
    loss += r * r;
    backward_row(row, a, r, acc, cols);
  }
  free(t);
  *loss_out = loss;
  return 0;
}

ESDLAB_CLONES
void esdlab_tanh_scale_f32(const float *restrict source, double *restrict out, size_t length, double scale) {
  for (size_t i = 0; i < length; i++) out[i] = tanh_fast((double)source[i]) * scale;
}

#define DEFINE_ADAM(NAME, T)                                                                          \
  ESDLAB_CLONES                                                                                       \
  void NAME(T *restrict p, const T *restrict grad, T *restrict m, T *restrict v, size_t n, double lr, \
            double c1, double c2, double wd, double b1, double b2, double eps) {                      \
    double one_minus_b1 = 1 - b1, one_minus_b2 = 1 - b2;                                              \
    for (size_t i = 0; i < n; i++) {                                                                  \
      double pi = (double)p[i];                                                               \
      double g = (double)grad[i] + wd * pi;                                                           \
      double mi = b1 * (double)m[i] + one_minus_b1 * g;                                               \
      double vi = b2 * (double)v[i] + one_minus_b2 * g * g;                                           \
      m[i] = (T)mi;                                                                                   \
      v[i] = (T)vi;                                                                                   \
      p[i] = (T)(pi - (lr * (mi / c1)) / (sqrt(vi / c2) + eps));                                      \
    }                                                                                                 \
  }
DEFINE_ADAM(esdlab_adam_f32, float)
DEFINE_ADAM(esdlab_adam_f64, double)
