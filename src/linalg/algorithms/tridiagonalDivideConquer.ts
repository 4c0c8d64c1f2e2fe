/**
 * Eigenvectors of a symmetric tridiagonal matrix by Cuppen's divide and conquer, as LAPACK's
 * dstedc/dlaed0-3 do: split T by a rank-one tear, solve the halves recursively, then merge. Each
 * merge deflates (negligible z components and close eigenvalues, dlaed2), solves the secular
 * equation 1 + rho sum z_i^2 / (d_i - lambda) = 0 for every remaining root (safeguarded Newton on
 * the offset from the nearer pole, so the differences d_i - lambda_j stay accurate), recomputes z by Gu and
 * Eisenstat's formula (which keeps the eigenvectors orthogonal), and forms the merged eigenvectors
 * with one backend GEMM: the O(n^3) work is level 3, unlike QL's plane rotations.
 */
import type { Backend } from '../backend.js';
import { tridiagonalQl } from './tridiagonalEigen.js';
import { hypot } from './tridiagonalize.js';

/** Subproblems up to this size are solved by implicit QL. */
const LEAF_SIZE = 25;

/**
 * Eigen-decomposition of the symmetric tridiagonal T (diagonal d, off-diagonal e, e[i] couples i
 * and i + 1): d is overwritten with the eigenvalues ascending; returns the n x n row-major
 * eigenvector matrix, column j for d[j]. e is overwritten.
 */
export async function tridiagonalEigenDivideConquer(backend: Backend, d: Float64Array, e: Float64Array, n: number): Promise<Float64Array> {
  return solve(backend, d, e, 0, n);
}

async function solve(backend: Backend, d: Float64Array, e: Float64Array, start: number, size: number): Promise<Float64Array> {
  if (size <= LEAF_SIZE) return leaf(d, e, start, size);
  const n1 = size >> 1;
  const rho = e[start + n1 - 1]!;
  d[start + n1 - 1] = d[start + n1 - 1]! - Math.abs(rho);
  d[start + n1] = d[start + n1]! - Math.abs(rho);
  const q1 = await solve(backend, d, e, start, n1);
  const q2 = await solve(backend, d, e, start + n1, size - n1);
  return merge(backend, d, start, size, n1, q1, q2, rho);
}

function leaf(d: Float64Array, e: Float64Array, start: number, size: number): Float64Array {
  const values = d.slice(start, start + size);
  const off = e.slice(start, start + size);
  const z = new Float64Array(size * size);
  for (let i = 0; i < size; i++) z[i * size + i] = 1;
  tridiagonalQl(values, off, size, z);
  const order = Array.from({ length: size }, (_, i) => i).sort((x, y) => values[x]! - values[y]!);
  const sorted = new Float64Array(size * size);
  for (let r = 0; r < size; r++) for (let j = 0; j < size; j++) sorted[r * size + j] = z[r * size + order[j]!]!;
  for (let j = 0; j < size; j++) d[start + j] = values[order[j]!]!;
  return sorted;
}

/**
 * Merges the eigensystems of the two torn halves (q1: n1 x n1, q2: n2 x n2, values in d[start..])
 * into the eigensystem of diag(T1, T2) + |rho| u u^T, u = [e_last; sign(rho) e_first].
 */
async function merge(backend: Backend, d: Float64Array, start: number, n: number, n1: number, q1: Float64Array, q2: Float64Array, rho: number): Promise<Float64Array> {
  const n2 = n - n1;
  const q = new Float64Array(n * n);
  for (let r = 0; r < n1; r++) q.set(q1.subarray(r * n1, r * n1 + n1), r * n);
  for (let r = 0; r < n2; r++) q.set(q2.subarray(r * n2, r * n2 + n2), (n1 + r) * n + n1);
  const values = d.slice(start, start + n);
  // z = Q^T u / sqrt(2) (unit norm), weight 2 |rho|
  const z = new Float64Array(n);
  const sign = rho >= 0 ? 1 : -1;
  for (let i = 0; i < n1; i++) z[i] = q1[(n1 - 1) * n1 + i]! * Math.SQRT1_2;
  for (let i = 0; i < n2; i++) z[n1 + i] = sign * q2[i]! * Math.SQRT1_2;
  const weight = 2 * Math.abs(rho);
  // deflation (dlaed2): walk the poles in ascending order
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => values[x]! - values[y]!);
  let maxAbs = weight;
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]!));
  const tolerance = 8 * Number.EPSILON * maxAbs;
  const kept: number[] = [];
  const deflated: number[] = [];
  let previous = -1;
  for (const index of order) {
    if (weight * Math.abs(z[index]!) <= tolerance) {
      deflated.push(index);
      continue;
    }
    if (previous < 0) {
      previous = index;
      continue;
    }
    const tau = hypot(z[index]!, z[previous]!);
    const c = z[index]! / tau;
    const s = -z[previous]! / tau;
    const gap = values[index]! - values[previous]!;
    if (Math.abs(gap * c * s) <= tolerance) {
      // close poles: a rotation of columns (previous, index) zeroes z[previous]
      z[index] = tau;
      z[previous] = 0;
      for (let r = 0; r < n; r++) {
        const x = q[r * n + previous]!;
        const y = q[r * n + index]!;
        q[r * n + previous] = c * x + s * y;
        q[r * n + index] = c * y - s * x;
      }
      const dPrevious = values[previous]!;
      const dIndex = values[index]!;
      values[previous] = dPrevious * c * c + dIndex * s * s;
      values[index] = dPrevious * s * s + dIndex * c * c;
      deflated.push(previous);
    } else kept.push(previous);
    previous = index;
  }
  if (previous >= 0) kept.push(previous);
  kept.sort((x, y) => values[x]! - values[y]!);
  const k = kept.length;
  const poles = Float64Array.from(kept, (i) => values[i]!);
  const weights = Float64Array.from(kept, (i) => z[i]!);
  const roots = solveSecular(poles, weights, weight);
  // eigenvectors of diag(poles) + weight zhat zhat^T, columns of u (k x k)
  const u = secularVectors(poles, weights, weight, roots);
  // Q's kept columns are zero in the bottom rows (from T1), in the top rows (from T2), or mixed by a
  // deflation rotation; multiplying each row half only by the columns nonzero there halves the flops.
  const merged = new Float64Array(n * k);
  if (k > 0) {
    await multiplyHalf(backend, q, n, 0, n1, kept, u, merged);
    await multiplyHalf(backend, q, n, n1, n, kept, u, merged);
  }
  // all eigenvalues: the k roots and the deflated poles, ascending, with their columns
  const all: { value: number; source: number; isRoot: boolean }[] = [];
  for (let j = 0; j < k; j++) all.push({ value: roots.values[j]!, source: j, isRoot: true });
  for (const index of deflated) all.push({ value: values[index]!, source: index, isRoot: false });
  all.sort((x, y) => x.value - y.value);
  const out = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const { value, source, isRoot } = all[j]!;
    d[start + j] = value;
    if (isRoot) for (let r = 0; r < n; r++) out[r * n + j] = merged[r * k + source]!;
    else for (let r = 0; r < n; r++) out[r * n + j] = q[r * n + source]!;
  }
  return out;
}

/** merged[rowStart:rowEnd, :] = Q[rowStart:rowEnd, kept] U, using only the kept columns nonzero in those rows. */
async function multiplyHalf(backend: Backend, q: Float64Array, n: number, rowStart: number, rowEnd: number, kept: number[], u: Float64Array, merged: Float64Array): Promise<void> {
  const k = kept.length;
  const rows = rowEnd - rowStart;
  const used: number[] = [];
  for (let j = 0; j < k; j++) {
    const column = kept[j]!;
    for (let r = rowStart; r < rowEnd; r++) {
      if (q[r * n + column] !== 0) {
        used.push(j);
        break;
      }
    }
  }
  const inner = used.length;
  if (rows === 0 || inner === 0) return;
  const left = new Float64Array(rows * inner);
  const right = new Float64Array(inner * k);
  for (let r = 0; r < rows; r++) for (let c = 0; c < inner; c++) left[r * inner + c] = q[(rowStart + r) * n + kept[used[c]!]!]!;
  for (let c = 0; c < inner; c++) right.set(u.subarray(used[c]! * k, used[c]! * k + k), c * k);
  await backend.gemm({ rows, cols: inner, data: left }, { rows: inner, cols: k, data: right }, { rows, cols: k, data: merged.subarray(rowStart * k, rowEnd * k) }, { alpha: 1, beta: 0 });
}

/** Roots of 1 + weight sum z_i^2 / (d_i - lambda), d ascending, weight > 0: lambda_j = d[origin_j] + shift_j. */
interface SecularRoots {
  readonly values: Float64Array;
  readonly origins: Int32Array;
  readonly shifts: Float64Array;
}

function solveSecular(d: Float64Array, z: Float64Array, weight: number): SecularRoots {
  const k = d.length;
  const values = new Float64Array(k);
  const origins = new Int32Array(k);
  const shifts = new Float64Array(k);
  const weighted = new Float64Array(k); // weight * z_i^2
  let normSquared = 0;
  for (let i = 0; i < k; i++) {
    normSquared += z[i]! * z[i]!;
    weighted[i] = weight * z[i]! * z[i]!;
  }
  const shifted = new Float64Array(k); // d_i - d_origin for the current root
  const secular = (shift: number): number => {
    let f = 1;
    for (let i = 0; i < k; i++) f += weighted[i]! / (shifted[i]! - shift);
    return f;
  };
  for (let j = 0; j < k; j++) {
    let origin: number;
    let low: number;
    let high: number;
    const setOrigin = (index: number): void => {
      for (let i = 0; i < k; i++) shifted[i] = d[i]! - d[index]!;
    };
    if (j === k - 1) {
      origin = j;
      setOrigin(j);
      low = 0;
      high = weight * normSquared;
    } else {
      const gap = d[j + 1]! - d[j]!;
      setOrigin(j);
      if (secular(gap / 2) >= 0) {
        origin = j;
        low = 0;
        high = gap / 2;
      } else {
        origin = j + 1;
        setOrigin(j + 1);
        low = -gap / 2;
        high = 0;
      }
    }
    // f increases with the shift on (low, high): safeguarded Newton, bisecting whenever a step
    // leaves the bracket, until the step is at rounding level
    let shift = low + (high - low) / 2;
    for (let iteration = 0; iteration < 300; iteration++) {
      let f = 1;
      let slope = 0;
      for (let i = 0; i < k; i++) {
        const inverse = 1 / (shifted[i]! - shift);
        const term = weighted[i]! * inverse;
        f += term;
        slope += term * inverse;
      }
      if (f === 0) break;
      if (f > 0) high = shift;
      else low = shift;
      let next = shift - f / slope;
      if (!(next > low && next < high)) next = low + (high - low) / 2;
      if (next <= low || next >= high || Math.abs(next - shift) <= 2 * Number.EPSILON * Math.abs(next)) {
        shift = next > low && next < high ? next : shift;
        break;
      }
      shift = next;
    }
    origins[j] = origin;
    shifts[j] = shift;
    values[j] = d[origin]! + shift;
  }
  return { values, origins, shifts };
}

/** Columns j of the k x k result: zhat_i / (d_i - lambda_j), normalized; zhat from Gu-Eisenstat. */
function secularVectors(d: Float64Array, z: Float64Array, weight: number, roots: SecularRoots): Float64Array {
  const k = d.length;
  // delta[i * k + j] = d_i - lambda_j, accurate through the root's origin
  const delta = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const base = d[roots.origins[j]!]!;
    const shift = roots.shifts[j]!;
    for (let i = 0; i < k; i++) delta[i * k + j] = d[i]! - base - shift;
  }
  const zhat = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    // zhat_i^2 = (lambda_i - d_i) / weight * prod_{j != i} (lambda_j - d_i) / (d_j - d_i); every factor is positive
    let product = -delta[i * k + i]! / weight;
    for (let j = 0; j < k; j++) if (j !== i) product *= -delta[i * k + j]! / (d[j]! - d[i]!);
    zhat[i] = (z[i]! >= 0 ? 1 : -1) * Math.sqrt(Math.max(product, 0));
  }
  const u = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = 0; i < k; i++) {
      const value = zhat[i]! / delta[i * k + j]!;
      u[i * k + j] = value;
      norm += value * value;
    }
    const inverse = 1 / Math.sqrt(norm);
    for (let i = 0; i < k; i++) u[i * k + j] = u[i * k + j]! * inverse;
  }
  return u;
}
