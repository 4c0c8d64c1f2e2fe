// Matrix-vector products on one thread: y = alpha * op(A) * x + beta * y, A row-major m x n with
// leading dimension lda (elements). Callers split work by rows (no transpose) or by column ranges
// (transpose) across threads; both forms read A once, row by row, with v128 loads.

/** sum over j < n of p[j] * q[j], four v128 accumulators for instruction-level parallelism. */
// @ts-ignore: decorator
@inline
export function dot<T>(n: i32, p: usize, q: usize): T {
  const size = <usize>sizeof<T>();
  const lanes = 16 / <i32>sizeof<T>();
  let s0 = v128.splat<T>(0), s1 = v128.splat<T>(0), s2 = v128.splat<T>(0), s3 = v128.splat<T>(0);
  let j = 0;
  for (; j + 4 * lanes <= n; j += 4 * lanes) {
    const o = <usize>j * size;
    s0 = v128.add<T>(s0, v128.mul<T>(v128.load(p + o), v128.load(q + o)));
    s1 = v128.add<T>(s1, v128.mul<T>(v128.load(p + o, 16), v128.load(q + o, 16)));
    s2 = v128.add<T>(s2, v128.mul<T>(v128.load(p + o, 32), v128.load(q + o, 32)));
    s3 = v128.add<T>(s3, v128.mul<T>(v128.load(p + o, 48), v128.load(q + o, 48)));
  }
  for (; j + lanes <= n; j += lanes) {
    const o = <usize>j * size;
    s0 = v128.add<T>(s0, v128.mul<T>(v128.load(p + o), v128.load(q + o)));
  }
  const s = v128.add<T>(v128.add<T>(s0, s1), v128.add<T>(s2, s3));
  let total: T = <T>0;
  for (let lane = 0; lane < lanes; lane++) total += sumLane<T>(s, lane);
  for (; j < n; j++) total += load<T>(p + <usize>j * size) * load<T>(q + <usize>j * size);
  return total;
}

// @ts-ignore: decorator
@inline
function sumLane<T>(s: v128, lane: i32): T {
  if (sizeof<T>() == 4) {
    if (lane == 0) return <T>f32x4.extract_lane(s, 0);
    if (lane == 1) return <T>f32x4.extract_lane(s, 1);
    if (lane == 2) return <T>f32x4.extract_lane(s, 2);
    return <T>f32x4.extract_lane(s, 3);
  }
  return lane == 0 ? <T>f64x2.extract_lane(s, 0) : <T>f64x2.extract_lane(s, 1);
}

/** y[0:n] += alpha * x[0:n] with v128 loads. */
// @ts-ignore: decorator
@inline
export function axpy<T>(n: i32, alpha: T, x: usize, y: usize): void {
  const size = <usize>sizeof<T>();
  const lanes = 16 / <i32>sizeof<T>();
  const va = v128.splat<T>(alpha);
  let j = 0;
  for (; j + 2 * lanes <= n; j += 2 * lanes) {
    const o = <usize>j * size;
    v128.store(y + o, v128.add<T>(v128.load(y + o), v128.mul<T>(va, v128.load(x + o))));
    v128.store(y + o, v128.add<T>(v128.load(y + o, 16), v128.mul<T>(va, v128.load(x + o, 16))), 16);
  }
  for (; j < n; j++) {
    const o = <usize>j * size;
    store<T>(y + o, load<T>(y + o) + alpha * load<T>(x + o));
  }
}

/** y = beta * y (y = 0 when beta is 0, so NaN in y does not survive). */
export function scaleVector<T>(n: i32, beta: T, y: usize): void {
  const size = <usize>sizeof<T>();
  if (beta == 0) {
    memory.fill(y, 0, <usize>n * size);
    return;
  }
  if (beta == 1) return;
  for (let j = 0; j < n; j++) store<T>(y + <usize>j * size, beta * load<T>(y + <usize>j * size));
}

/**
 * Without transpose: y[0:m] = alpha * A[m x n] x + beta * y. With transpose: y[0:n] = alpha *
 * A[m x n]^T x + beta * y (x has m entries).
 */
export function gemv<T>(isTransposed: bool, m: i32, n: i32, alpha: T, a: usize, lda: usize, x: usize, beta: T, y: usize): void {
  const size = <usize>sizeof<T>();
  if (!isTransposed) {
    for (let i = 0; i < m; i++) {
      const at = y + <usize>i * size;
      let value: T = alpha * dot<T>(n, a + <usize>i * lda * size, x);
      if (beta != 0) value += beta * load<T>(at);
      store<T>(at, value);
    }
    return;
  }
  scaleVector<T>(n, beta, y);
  for (let i = 0; i < m; i++) {
    const xi = alpha * load<T>(x + <usize>i * size);
    if (xi != 0) axpy<T>(n, xi, a + <usize>i * lda * size, y);
  }
}
