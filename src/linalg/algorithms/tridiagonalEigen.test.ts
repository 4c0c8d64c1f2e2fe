import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createJsBackend } from '../backends/js/index.js';
import { fixtureRng, maxAbsDiff } from '../testing/fixtures.js';
import { tridiagonalEigenDivideConquer } from './tridiagonalDivideConquer.js';
import { tridiagonalQl } from './tridiagonalEigen.js';

/** max |T Z - Z diag(values)| and max |Z^T Z - I| for the tridiagonal (d, e). */
function residuals(d: Float64Array, e: Float64Array, values: Float64Array, z: Float64Array): { residual: number; orthogonality: number } {
  const n = d.length;
  let residual = 0;
  let orthogonality = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let t = d[i]! * z[i * n + j]!;
      if (i > 0) t += e[i - 1]! * z[(i - 1) * n + j]!;
      if (i < n - 1) t += e[i]! * z[(i + 1) * n + j]!;
      residual = Math.max(residual, Math.abs(t - values[j]! * z[i * n + j]!));
    }
    for (let k = j; k < n; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += z[i * n + j]! * z[i * n + k]!;
      orthogonality = Math.max(orthogonality, Math.abs(s - (j === k ? 1 : 0)));
    }
  }
  return { residual, orthogonality };
}

const cases: [string, (rng: ReturnType<typeof fixtureRng>, n: number) => [Float64Array, Float64Array]][] = [
  ['random', (rng, n) => [Float64Array.from({ length: n }, () => rng.nextNormal()), Float64Array.from({ length: n }, () => rng.nextNormal())]],
  ['split with repeated diagonal', (_, n) => [Float64Array.from({ length: n }, (_v, i) => i % 3), Float64Array.from({ length: n }, (_v, i) => (i % 7 === 0 ? 0 : 1e-3))]],
  ['glued Wilkinson', (_, n) => [Float64Array.from({ length: n }, (_v, i) => Math.abs((i % 21) - 10)), Float64Array.from({ length: n }, (_v, i) => ((i + 1) % 21 === 0 ? 1e-14 : 1))]],
  ['constant (1-2-1)', (_, n) => [new Float64Array(n).fill(2), new Float64Array(n).fill(-1)]],
];

for (const [name, make] of cases) {
  test(`tridiagonalEigenDivideConquer agrees with implicit QL and gives orthonormal eigenvectors (${name})`, async () => {
    const backend = createJsBackend();
    for (const n of [1, 25, 26, 80, 203]) {
      const [d, e] = make(fixtureRng('tridiagonal', n), n);
      e[n - 1] = 0;
      const qlValues = d.slice();
      tridiagonalQl(qlValues, e.slice(), n);
      qlValues.sort();
      const values = d.slice();
      const z = await tridiagonalEigenDivideConquer(backend, values, e.slice(), n);
      let norm = 0;
      for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!) + 2 * Math.abs(e[i]!));
      assert.ok(maxAbsDiff(values, qlValues) <= 1e-13 * norm, `n=${n}: values`);
      for (let i = 1; i < n; i++) assert.ok(values[i - 1]! <= values[i]!, 'ascending');
      const { residual, orthogonality } = residuals(d, e, values, z);
      assert.ok(residual <= 1e-13 * norm * Math.sqrt(n), `n=${n}: residual ${residual}`);
      assert.ok(orthogonality <= 1e-13 * n, `n=${n}: orthogonality ${orthogonality}`);
    }
  });
}
