/** Shared backend cases for Cholesky: factor, solve, positive definite solve, errors. */
import assert from 'node:assert/strict';
import { InputError, NumericalError } from '../../errors.js';
import { choleskyFactor, choleskySolve, solvePositiveDefinite } from '../cholesky.js';
import { fromRows, zeros, type DType, type Matrix } from '../matrix.js';
import type { SuiteContext } from './backendSuite.js';
import { fixtureRng, gaussian, maxAbs, maxAbsDiff, naiveGemm } from './fixtures.js';

/** G G^T / k + ridge I: symmetric positive definite with condition number around 10-100. */
function positiveDefinite(n: number, dtype: DType, index: number): Matrix {
  const rng = fixtureRng('spd', index);
  const g = gaussian(rng, n, n + 5, 'f64');
  const product = naiveGemm(g, g, false, true, 1 / (n + 5), 0);
  const a = zeros(n, n, dtype);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = product[i * n + j]! + (i === j ? 0.1 : 0);
  return a;
}

export function registerFactorCases(suite: SuiteContext): void {
  for (const dtype of ['f64', 'f32'] as const) {
    suite.test(`solvePositiveDefinite leaves a small residual for sizes off the block (${dtype})`, async () => {
      const backend = await suite.backend();
      const tolerance = dtype === 'f64' ? 1e-11 : 2e-3;
      for (const [index, n] of [1, 2, 7, 65, 150].entries()) {
        const a = positiveDefinite(n, dtype, index);
        const b = gaussian(fixtureRng('spd-rhs', index), n, 3, dtype);
        const x = await solvePositiveDefinite(backend, a, b);
        assert.equal(x.data instanceof Float64Array, dtype === 'f64');
        const residual = maxAbsDiff(naiveGemm(a, x, false, false, 1, 0), b.data);
        assert.ok(residual <= tolerance * maxAbs(b.data) * Math.max(1, maxAbs(x.data)), `n=${n}: residual ${residual}`);
      }
    });

    suite.test(`choleskyFactor returns a lower L with L L^T = A (${dtype})`, async () => {
      const backend = await suite.backend();
      const a = positiveDefinite(70, dtype, 9);
      const l = await choleskyFactor(backend, a);
      for (let i = 0; i < 70; i++) for (let j = i + 1; j < 70; j++) assert.equal(l.data[i * 70 + j], 0);
      const error = maxAbsDiff(naiveGemm(l, l, false, true, 1, 0), a.data);
      assert.ok(error <= (dtype === 'f64' ? 1e-13 : 1e-5) * maxAbs(a.data), `error ${error}`);
      const b = gaussian(fixtureRng('chol-rhs'), 70, 2, dtype);
      const x = await choleskySolve(backend, l, b);
      const residual = maxAbsDiff(naiveGemm(a, x, false, false, 1, 0), b.data);
      assert.ok(residual <= (dtype === 'f64' ? 1e-11 : 2e-3) * Math.max(1, maxAbs(x.data)), `residual ${residual}`);
    });
  }

  suite.test('solvePositiveDefinite agrees with the js reference backend within 1e-10 (f64) / 1e-3 (f32) relative', async () => {
    const backend = await suite.backend();
    for (const dtype of ['f64', 'f32'] as const) {
      const a = positiveDefinite(110, dtype, 11);
      const b = gaussian(fixtureRng('spd-vs-js'), 110, 4, dtype);
      const ours = await solvePositiveDefinite(backend, a, b);
      const theirs = await solvePositiveDefinite(suite.reference(), a, b);
      // cond(A) is about 100 here, so the solutions agree to about cond * eps
      assert.ok(maxAbsDiff(ours.data, theirs.data) <= (dtype === 'f64' ? 1e-10 : 1e-3) * maxAbs(theirs.data), dtype);
    }
  });

  suite.test('choleskyFactor reads only the lower triangle', async () => {
    const backend = await suite.backend();
    const a = positiveDefinite(70, 'f64', 4);
    const expected = await choleskyFactor(backend, a);
    const skewed = { ...a, data: Float64Array.from(a.data) };
    for (let i = 0; i < 70; i++) for (let j = i + 1; j < 70; j++) skewed.data[i * 70 + j] = 1000 + i;
    const l = await choleskyFactor(backend, skewed);
    assert.ok(maxAbsDiff(l.data, expected.data) <= 1e-13 * maxAbs(expected.data));
  });

  suite.test('choleskyFactor handles 1x1 and empty matrices', async () => {
    const backend = await suite.backend();
    const l = await choleskyFactor(backend, fromRows([[4]]));
    assert.deepEqual(Array.from(l.data), [2]);
    const empty = await choleskyFactor(backend, zeros(0, 0));
    assert.equal(empty.rows, 0);
    const x = await solvePositiveDefinite(backend, fromRows([[4]]), fromRows([[2]]));
    assert.deepEqual(Array.from(x.data), [0.5]);
  });

  suite.test('choleskyFactor throws a NumericalError naming the pivot for a matrix that is not positive definite', async () => {
    const backend = await suite.backend();
    const indefinite = fromRows([
      [4, 2, 0],
      [2, 1, 0],
      [0, 0, 3],
    ]);
    await assert.rejects(choleskyFactor(backend, indefinite), (e: Error) => e instanceof NumericalError && /not positive definite/.test(e.message) && /ridge/.test(e.message));
    const big = positiveDefinite(90, 'f64', 3);
    big.data[80 * 90 + 80] = -50;
    await assert.rejects(choleskyFactor(backend, big), NumericalError);
    await assert.rejects(solvePositiveDefinite(backend, fromRows([[-1]]), fromRows([[1]])), NumericalError);
  });

  suite.test('Cholesky ops reject NaN, Inf, non-square and mismatched operands with an InputError', async () => {
    const backend = await suite.backend();
    await assert.rejects(choleskyFactor(backend, fromRows([[1, Number.NaN], [Number.NaN, 1]])), (e: Error) => e instanceof InputError && /choleskyFactor/.test(e.message) && /NaN/.test(e.message));
    await assert.rejects(choleskyFactor(backend, fromRows([[Number.POSITIVE_INFINITY]])), InputError);
    await assert.rejects(choleskyFactor(backend, zeros(2, 3)), (e: Error) => e instanceof InputError && /square/.test(e.message));
    await assert.rejects(solvePositiveDefinite(backend, fromRows([[1]]), zeros(2, 1)), InputError);
    await assert.rejects(choleskySolve(backend, fromRows([[1]]), fromRows([[Number.NaN]])), InputError);
  });
}
