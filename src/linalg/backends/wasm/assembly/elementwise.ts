// The fused elementwise kernels (the contract: ElementwiseKernels in src/linalg/backend.ts). Each
// computes exactly what its TypeScript loop computes (src/model/student.ts, src/train/evaluate.ts):
// the same operations in the same order in f64, stored in the arrays' dtype, so the bits are the
// same. Wasm has no fused multiply-add in these builds (no relaxed
// SIMD), and every f64x2 lane operation is the IEEE operation the scalar code does; the clamp of
// tanhFast is pmin/pmax, which are exactly `z > C ? C : z` and `x < -C ? -C : x` (NaN stays NaN).
// Reductions (the per-row sum of t a and the loss) run sequentially in the loops' order.

const CLAMP: f64 = 7.90531110763549805;

// @ts-ignore: decorator
@inline
function tanhFast(z: f64): f64 {
  let x = z > CLAMP ? CLAMP : z;
  x = x < -CLAMP ? -CLAMP : x;
  const x2 = x * x;
  let p: f64 = -2.76076847742355e-16;
  p = p * x2 + 2.00018790482477e-13;
  p = p * x2 - 8.60467152213735e-11;
  p = p * x2 + 5.12229709037114e-8;
  p = p * x2 + 1.48572235717979e-5;
  p = p * x2 + 6.37261928875436e-4;
  p = p * x2 + 4.89352455891786e-3;
  let q: f64 = 1.19825839466702e-6;
  q = q * x2 + 1.18534705686654e-4;
  q = q * x2 + 2.268434632439e-3;
  q = q * x2 + 4.89352518554385e-3;
  return (x * p) / q;
}

// @ts-ignore: decorator
@inline
function tanhFast2(z: v128): v128 {
  let x = f64x2.pmin(z, f64x2.splat(CLAMP)); // CLAMP < z ? CLAMP : z
  x = f64x2.pmax(x, f64x2.splat(-CLAMP)); // x < -CLAMP ? -CLAMP : x
  const x2 = f64x2.mul(x, x);
  let p = f64x2.splat(-2.76076847742355e-16);
  p = f64x2.add(f64x2.mul(p, x2), f64x2.splat(2.00018790482477e-13));
  p = f64x2.sub(f64x2.mul(p, x2), f64x2.splat(8.60467152213735e-11));
  p = f64x2.add(f64x2.mul(p, x2), f64x2.splat(5.12229709037114e-8));
  p = f64x2.add(f64x2.mul(p, x2), f64x2.splat(1.48572235717979e-5));
  p = f64x2.add(f64x2.mul(p, x2), f64x2.splat(6.37261928875436e-4));
  p = f64x2.add(f64x2.mul(p, x2), f64x2.splat(4.89352455891786e-3));
  let q = f64x2.splat(1.19825839466702e-6);
  q = f64x2.add(f64x2.mul(q, x2), f64x2.splat(1.18534705686654e-4));
  q = f64x2.add(f64x2.mul(q, x2), f64x2.splat(2.268434632439e-3));
  q = f64x2.add(f64x2.mul(q, x2), f64x2.splat(4.89352518554385e-3));
  return f64x2.div(f64x2.mul(x, p), q);
}

/** Two f32 at `p` widened to f64x2. */
// @ts-ignore: decorator
@inline
function loadF32x2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** The training step's pass (ElementwiseKernels.tanhBackwardF32); `t` is scratch for `cols` f64; `acc` 0 for none. */
export function tanhBackwardF32(z: usize, rows: i32, cols: i32, a: usize, y: usize, scale: f64, acc: usize, t: usize): f64 {
  let loss: f64 = 0;
  const even = cols & ~1;
  for (let i = 0; i < rows; i++) {
    const row = z + (<usize>i * <usize>cols << 2);
    // t = tanhFast(z) (f64, unrounded), z = t rounded to f32
    let j = 0;
    for (; j < even; j += 2) {
      const value = tanhFast2(loadF32x2(row + (<usize>j << 2)));
      v128.store(t + (<usize>j << 3), value);
      v128.store64_lane(row + (<usize>j << 2), f32x4.demote_f64x2_zero(value), 0);
    }
    for (; j < cols; j++) {
      const value = tanhFast(<f64>load<f32>(row + (<usize>j << 2)));
      store<f64>(t + (<usize>j << 3), value);
      store<f32>(row + (<usize>j << 2), <f32>value);
    }
    let sum: f64 = 0;
    for (let k = 0; k < cols; k++) sum += load<f64>(t + (<usize>k << 3)) * <f64>load<f32>(a + (<usize>k << 2));
    const r = sum * scale - load<f64>(y + (<usize>i << 3));
    loss += r * r;
    const rr = f64x2.splat(r);
    const one = f64x2.splat(1);
    j = 0;
    if (acc != 0) {
      for (; j < even; j += 2) {
        const tv = loadF32x2(row + (<usize>j << 2));
        const accAddress = acc + (<usize>j << 3);
        v128.store(accAddress, f64x2.add(v128.load(accAddress), f64x2.mul(tv, rr)));
        const d = f64x2.mul(f64x2.mul(rr, loadF32x2(a + (<usize>j << 2))), f64x2.sub(one, f64x2.mul(tv, tv)));
        v128.store64_lane(row + (<usize>j << 2), f32x4.demote_f64x2_zero(d), 0);
      }
      for (; j < cols; j++) {
        const tv = <f64>load<f32>(row + (<usize>j << 2));
        const accAddress = acc + (<usize>j << 3);
        store<f64>(accAddress, load<f64>(accAddress) + tv * r);
        store<f32>(row + (<usize>j << 2), <f32>(r * <f64>load<f32>(a + (<usize>j << 2)) * (1 - tv * tv)));
      }
    } else {
      for (; j < even; j += 2) {
        const tv = loadF32x2(row + (<usize>j << 2));
        const d = f64x2.mul(f64x2.mul(rr, loadF32x2(a + (<usize>j << 2))), f64x2.sub(one, f64x2.mul(tv, tv)));
        v128.store64_lane(row + (<usize>j << 2), f32x4.demote_f64x2_zero(d), 0);
      }
      for (; j < cols; j++) {
        const tv = <f64>load<f32>(row + (<usize>j << 2));
        store<f32>(row + (<usize>j << 2), <f32>(r * <f64>load<f32>(a + (<usize>j << 2)) * (1 - tv * tv)));
      }
    }
  }
  return loss;
}

/** out_i = tanhFast(source_i) * scale (ElementwiseKernels.tanhScaleF32). */
export function tanhScaleF32(source: usize, out: usize, length: i32, scale: f64): void {
  const s = f64x2.splat(scale);
  const even = length & ~1;
  let i = 0;
  for (; i < even; i += 2) v128.store(out + (<usize>i << 3), f64x2.mul(tanhFast2(loadF32x2(source + (<usize>i << 2))), s));
  for (; i < length; i++) store<f64>(out + (<usize>i << 3), tanhFast(<f64>load<f32>(source + (<usize>i << 2))) * scale);
}

/** Two values of T (f32 widened, or f64) at `p` as f64x2. */
// @ts-ignore: decorator
@inline
function loadLanes<T>(p: usize): v128 {
  if (sizeof<T>() == 4) return loadF32x2(p);
  return v128.load(p);
}

/** f64x2 stored as two values of T at `p` (rounded to f32 for f32). */
// @ts-ignore: decorator
@inline
function storeLanes<T>(p: usize, value: v128): void {
  if (sizeof<T>() == 4) v128.store64_lane(p, f32x4.demote_f64x2_zero(value), 0);
  else v128.store(p, value);
}

/**
 * Adam's update in place over n entries (ElementwiseKernels.adam; the loop of src/optim/adam.ts),
 * in f64 per entry: g = grad + wd p; m = b1 m + (1 - b1) g; v = b2 v + ((1 - b2) g) g;
 * p = p - (lr (m / c1)) / (sqrt(v / c2) + eps), with m, v and p stored in T (rounded for f32) and
 * the unrounded m and v used for p, as the loop does.
 */
// @ts-ignore: decorator
@inline
function adam<T>(p: usize, grad: usize, m: usize, v: usize, n: i32, lr: f64, c1: f64, c2: f64, wd: f64, b1: f64, b2: f64, eps: f64): void {
  const size = <usize>sizeof<T>();
  const vb1 = f64x2.splat(b1);
  const vb2 = f64x2.splat(b2);
  const va1 = f64x2.splat(1 - b1);
  const va2 = f64x2.splat(1 - b2);
  const vwd = f64x2.splat(wd);
  const vlr = f64x2.splat(lr);
  const vc1 = f64x2.splat(c1);
  const vc2 = f64x2.splat(c2);
  const veps = f64x2.splat(eps);
  const even = n & ~1;
  let i = 0;
  for (; i < even; i += 2) {
    const offset = <usize>i * size;
    const pv = loadLanes<T>(p + offset);
    const g = f64x2.add(loadLanes<T>(grad + offset), f64x2.mul(vwd, pv));
    const mi = f64x2.add(f64x2.mul(vb1, loadLanes<T>(m + offset)), f64x2.mul(va1, g));
    const vi = f64x2.add(f64x2.mul(vb2, loadLanes<T>(v + offset)), f64x2.mul(f64x2.mul(va2, g), g));
    storeLanes<T>(m + offset, mi);
    storeLanes<T>(v + offset, vi);
    const update = f64x2.div(f64x2.mul(vlr, f64x2.div(mi, vc1)), f64x2.add(f64x2.sqrt(f64x2.div(vi, vc2)), veps));
    storeLanes<T>(p + offset, f64x2.sub(pv, update));
  }
  for (; i < n; i++) {
    const offset = <usize>i * size;
    const pi = <f64>load<T>(p + offset);
    const g = <f64>load<T>(grad + offset) + wd * pi;
    const mi = b1 * <f64>load<T>(m + offset) + (1 - b1) * g;
    const vi = b2 * <f64>load<T>(v + offset) + (1 - b2) * g * g;
    store<T>(m + offset, <T>mi);
    store<T>(v + offset, <T>vi);
    store<T>(p + offset, <T>(pi - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps)));
  }
}

export function adamF32(p: usize, grad: usize, m: usize, v: usize, n: i32, lr: f64, c1: f64, c2: f64, wd: f64, b1: f64, b2: f64, eps: f64): void {
  adam<f32>(p, grad, m, v, n, lr, c1, c2, wd, b1, b2, eps);
}

export function adamF64(p: usize, grad: usize, m: usize, v: usize, n: i32, lr: f64, c1: f64, c2: f64, wd: f64, b1: f64, b2: f64, eps: f64): void {
  adam<f64>(p, grad, m, v, n, lr, c1, c2, wd, b1, b2, eps);
}
