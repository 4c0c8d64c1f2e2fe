// The per-column steps of a blocked Householder tridiagonalization (LAPACK dsytrd/dlatrd, lower),
// in f64 on a symmetric n x n row-major matrix A of which only the lower triangle is read and kept
// up to date; tridiagonalizeTeam.ts runs them. For each column of a panel of b columns: columnStart
// (thread 0), then the one big product y = A22 v as symvLowerRows on every thread (each reads a band
// of rows of A22's lower triangle once, half the bytes of a full gemv), addPartials and columnFinish
// (thread 0); after the panel, the lower triangle of A22 -= [V W] [W V]^T as gemm. During a panel A
// is not updated: the current trailing matrix is A - V W^T - W V^T, with the panel's rows kept as
// vw (row r = [V row r | W row r]) and wv (row r = [W row r | V row r]), each m x 2b, zeroed at the
// start of every panel. Offsets i, r are relative to the panel's first row `off`.
// Reflector i: H = I - tau v v^T with v[0] = 1 on rows off+i+1 .. off+m; v is also stored below
// the diagonal in column off+i of A (rows off+i+1 ..), which no later step reads, so eigenvectors
// can be back-transformed (../backTransform.ts).
import { gemv, dot } from './gemv';

// @ts-ignore: decorator
@inline
function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

/**
 * Step 1 for column i of the panel: forms the current column, stores d, e and tau, builds the
 * reflector into `v` (len - 1 values), vw, wv and A's lower part. Returns 1 when the driver must
 * compute y = A[g+1.., g+1..] v (tau != 0), else 0 (column already reduced, or the last one).
 */
export function columnStart(n: i32, off: i32, m: i32, b: i32, i: i32, a: usize, vw: usize, wv: usize, d: usize, e: usize, tau: usize, v: usize, column: usize): i32 {
  const g = off + i;
  const width = 2 * b;
  const len = m - i;
  for (let r = 0; r < len; r++) store<f64>(at(column, r), load<f64>(at(a, (g + r) * n + g)));
  if (i > 0) gemv<f64>(false, len, width, -1, at(vw, i * width), <usize>width, at(wv, i * width), 1, column);
  store<f64>(at(d, g), load<f64>(column));
  if (len == 1) {
    store<f64>(at(e, g), 0);
    store<f64>(at(tau, g), 0);
    return 0;
  }
  const alpha = load<f64>(at(column, 1));
  let scale: f64 = 0;
  for (let r = 2; r < len; r++) scale = max(scale, abs(load<f64>(at(column, r))));
  const l = len - 1;
  if (scale == 0) {
    // nothing below the subdiagonal: H = I (tau 0), W's column stays zero
    store<f64>(at(e, g), alpha);
    store<f64>(at(tau, g), 0);
    for (let r = 0; r < l; r++) store<f64>(at(a, (g + 1 + r) * n + g), r == 0 ? 1 : 0);
    return 0;
  }
  let sum: f64 = 0;
  for (let r = 2; r < len; r++) {
    const x = load<f64>(at(column, r)) / scale;
    sum += x * x;
  }
  const norm = scale * Math.sqrt(sum);
  const beta = -(alpha >= 0 ? 1.0 : -1.0) * hypot(alpha, norm);
  const t = (beta - alpha) / beta;
  const inverse = 1 / (alpha - beta);
  store<f64>(at(e, g), beta);
  store<f64>(at(tau, g), t);
  for (let r = 0; r < l; r++) {
    const x = r == 0 ? 1.0 : load<f64>(at(column, r + 1)) * inverse;
    store<f64>(at(v, r), x);
    store<f64>(at(vw, (i + 1 + r) * width + i), x);
    store<f64>(at(wv, (i + 1 + r) * width + b + i), x);
    store<f64>(at(a, (g + 1 + r) * n + g), x);
  }
  return 1;
}

/**
 * Step 2 for column i, after the driver has put y = A[g+1.., g+1..] v (len - 1 values) into `y`:
 * applies the panel's earlier reflectors, w = tau y - (tau^2 / 2)(y . v) v, and stores w into vw
 * and wv. `t` is scratch for 2b values.
 */
export function columnFinish(off: i32, m: i32, b: i32, i: i32, vw: usize, wv: usize, tau: usize, v: usize, y: usize, t: usize): void {
  const width = 2 * b;
  const l = m - i - 1;
  const ti = load<f64>(at(tau, off + i));
  if (i > 0) {
    gemv<f64>(true, l, width, 1, at(vw, (i + 1) * width), <usize>width, v, 0, t);
    gemv<f64>(false, l, width, -1, at(wv, (i + 1) * width), <usize>width, t, 1, y);
  }
  for (let r = 0; r < l; r++) store<f64>(at(y, r), ti * load<f64>(at(y, r)));
  const correction = -0.5 * ti * dot<f64>(l, y, v);
  for (let r = 0; r < l; r++) {
    const x = load<f64>(at(y, r)) + correction * load<f64>(at(v, r));
    store<f64>(at(vw, (i + 1 + r) * width + b + i), x);
    store<f64>(at(wv, (i + 1 + r) * width + i), x);
  }
}

/** sqrt(x^2 + y^2) without overflow or underflow. */
export function hypot(x: f64, y: f64): f64 {
  x = abs(x);
  y = abs(y);
  if (x < y) {
    const swap = x;
    x = y;
    y = swap;
  }
  if (x == 0) return 0;
  const ratio = y / x;
  return x * Math.sqrt(1 + ratio * ratio);
}

/**
 * Rows [r0, r1) of y = S v for the symmetric l x l matrix S (lower triangle read, row-major with
 * leading dimension lda): y[i] = sum over j <= i of S_ij v_j, and the mirrored terms S_ij v_i for
 * j < i are added into `partial` (l values, zeroed here; this task's own), which addPartials folds
 * into y. Each row is loaded once and used for both the dot product and the update.
 */
export function symvLowerRows(r0: i32, r1: i32, l: i32, s: usize, lda: i32, v: usize, y: usize, partial: usize): void {
  memory.fill(partial, 0, <usize>l << 3);
  for (let i = r0; i < r1; i++) {
    const row = at(s, i * lda);
    const vi = load<f64>(at(v, i));
    const vvi = f64x2.splat(vi);
    let acc0 = f64x2.splat(0);
    let acc1 = f64x2.splat(0);
    let j = 0;
    for (; j + 4 <= i; j += 4) {
      const o = <usize>j << 3;
      const a0 = v128.load(row + o);
      const a1 = v128.load(row + o, 16);
      acc0 = f64x2.add(acc0, f64x2.mul(a0, v128.load(v + o)));
      acc1 = f64x2.add(acc1, f64x2.mul(a1, v128.load(v + o, 16)));
      v128.store(partial + o, f64x2.add(v128.load(partial + o), f64x2.mul(a0, vvi)));
      v128.store(partial + o, f64x2.add(v128.load(partial + o, 16), f64x2.mul(a1, vvi)), 16);
    }
    const acc = f64x2.add(acc0, acc1);
    let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    for (; j < i; j++) {
      const x = load<f64>(at(row, j));
      sum += x * load<f64>(at(v, j));
      store<f64>(at(partial, j), load<f64>(at(partial, j)) + x * vi);
    }
    store<f64>(at(y, i), sum + load<f64>(at(row, i)) * vi);
  }
}

/** y[0:l] += the `count` partial vectors (l values each, `stride` bytes apart) of symvLowerRows tasks. */
export function addPartials(l: i32, y: usize, partials: usize, count: i32, stride: usize): void {
  for (let t = 0; t < count; t++) {
    const p = partials + <usize>t * stride;
    let j = 0;
    for (; j + 2 <= l; j += 2) {
      const o = <usize>j << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), v128.load(p + o)));
    }
    for (; j < l; j++) store<f64>(at(y, j), load<f64>(at(y, j)) + load<f64>(at(p, j)));
  }
}
