/*
 * The fused elementwise kernels of esdlab's native backend (the training step's tanh/residual/
 * backpropagation pass, Adam's update, the read-out's tanh). Each computes exactly what its
 * TypeScript loop computes (src/model/student.ts, src/optim/adam.ts, src/train/evaluate.ts), in the
 * same order and in double precision, so the results are the same bits: the file is compiled with
 * -ffp-contract=off (no fused multiply-add), and reductions run in the loops' order.
 */
#ifndef ESDLAB_ELEMENTWISE_H
#define ESDLAB_ELEMENTWISE_H

#include <stddef.h>

/*
 * One training step's elementwise pass on z (rows x cols, f32, row-major) = X W^T / sqrt(d):
 * per row i, t_ij = tanh_fast(z_ij) (stored back rounded to f32), r_i = (sum_j t_ij a_j) * scale - y_i
 * (the sum over the unrounded t, in j order), then z_ij = r_i a_j (1 - t_ij^2) with the stored t;
 * when acc is not NULL, acc_j += t_ij r_i (rows in order). Writes sum_i r_i^2 (rows in order) to
 * *loss and returns 0, or returns -1 (nothing written) when its row scratch cannot be allocated.
 */
int esdlab_tanh_backward_f32(float *z, size_t rows, size_t cols, const float *a, const double *y, double scale,
                             double *acc, double *loss);

/* out_i = tanh_fast(source_i) * scale for i < length (f32 in, f64 out). */
void esdlab_tanh_scale_f32(const float *source, double *out, size_t length, double scale);

/*
 * Adam with L2 weight decay, in place (torch.optim.Adam): g = grad + wd p; m = b1 m + (1 - b1) g;
 * v = b2 v + (1 - b2) g g; p -= lr (m / c1) / (sqrt(v / c2) + eps), all in double, stored in the
 * arrays' dtype. c1 = 1 - b1^t, c2 = 1 - b2^t.
 */
void esdlab_adam_f32(float *p, const float *grad, float *m, float *v, size_t n, double lr, double c1, double c2,
                     double wd, double b1, double b2, double eps);
void esdlab_adam_f64(double *p, const double *grad, double *m, double *v, size_t n, double lr, double c1, double c2,
                     double wd, double b1, double b2, double eps);

#endif
