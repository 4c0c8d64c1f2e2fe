/**
 * Applying one QR/QL sweep of plane rotations on adjacent columns to every row of a row-major
 * matrix. Each row is walked once with the moving element carried in a register; four rows are
 * interleaved so the four carry chains overlap (one chain alone is latency-bound).
 */

/**
 * For every row of x (rows x n): for j = first .. last-1 ascending,
 * (x_j, x_{j+1}) := (c_j x_j + s_j x_{j+1}, -s_j x_j + c_j x_{j+1}).
 */
export function applyAscendingSweep(x: Float64Array, rows: number, n: number, first: number, last: number, cosines: Float64Array, sines: Float64Array): void {
  if (last <= first) return;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    let a0 = x[o0 + first]!, a1 = x[o1 + first]!, a2 = x[o2 + first]!, a3 = x[o3 + first]!;
    for (let j = first; j < last; j++) {
      const c = cosines[j]!;
      const s = sines[j]!;
      const k = j + 1;
      const b0 = x[o0 + k]!, b1 = x[o1 + k]!, b2 = x[o2 + k]!, b3 = x[o3 + k]!;
      x[o0 + j] = c * a0 + s * b0;
      a0 = c * b0 - s * a0;
      x[o1 + j] = c * a1 + s * b1;
      a1 = c * b1 - s * a1;
      x[o2 + j] = c * a2 + s * b2;
      a2 = c * b2 - s * a2;
      x[o3 + j] = c * a3 + s * b3;
      a3 = c * b3 - s * a3;
    }
    x[o0 + last] = a0;
    x[o1 + last] = a1;
    x[o2 + last] = a2;
    x[o3 + last] = a3;
  }
  for (; r < rows; r++) {
    const o = r * n;
    let a = x[o + first]!;
    for (let j = first; j < last; j++) {
      const b = x[o + j + 1]!;
      x[o + j] = cosines[j]! * a + sines[j]! * b;
      a = cosines[j]! * b - sines[j]! * a;
    }
    x[o + last] = a;
  }
}

/**
 * For every row of x (rows x n): for i = top-1 down to last,
 * (x_i, x_{i+1}) := (c_i x_i - s_i x_{i+1}, s_i x_i + c_i x_{i+1}).
 */
export function applyDescendingSweep(x: Float64Array, rows: number, n: number, top: number, last: number, cosines: Float64Array, sines: Float64Array): void {
  if (top <= last) return;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    let f0 = x[o0 + top]!, f1 = x[o1 + top]!, f2 = x[o2 + top]!, f3 = x[o3 + top]!;
    for (let i = top - 1; i >= last; i--) {
      const c = cosines[i]!;
      const s = sines[i]!;
      const z0 = x[o0 + i]!, z1 = x[o1 + i]!, z2 = x[o2 + i]!, z3 = x[o3 + i]!;
      x[o0 + i + 1] = s * z0 + c * f0;
      f0 = c * z0 - s * f0;
      x[o1 + i + 1] = s * z1 + c * f1;
      f1 = c * z1 - s * f1;
      x[o2 + i + 1] = s * z2 + c * f2;
      f2 = c * z2 - s * f2;
      x[o3 + i + 1] = s * z3 + c * f3;
      f3 = c * z3 - s * f3;
    }
    x[o0 + last] = f0;
    x[o1 + last] = f1;
    x[o2 + last] = f2;
    x[o3 + last] = f3;
  }
  for (; r < rows; r++) {
    const o = r * n;
    let f = x[o + top]!;
    for (let i = top - 1; i >= last; i--) {
      const z = x[o + i]!;
      x[o + i + 1] = sines[i]! * z + cosines[i]! * f;
      f = cosines[i]! * z - sines[i]! * f;
    }
    x[o + last] = f;
  }
}
