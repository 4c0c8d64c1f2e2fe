/** Shared backend cases for Cholesky: factor, solve, positive definite solve, errors. */
import assert from 'node:assert/strict';
import { InputError, NumericalError } from '../../errors.js';
import { choleskyFactor, choleskySolve, solvePositiveDefinite } from '../cholesky.js';
import { fromRows, zeros } from '../matrix.js';
import type { SuiteContext } from './backendSuite.js';
import { fixtureRng, gaussian, maxAbs, maxAbsDiff, naiveGemm, randomPositiveDefinite as positiveDefinite } from './fixtures.js';

/** Sizes around the 64-column blocks of the TypeScript path and the wasm kernel, and right-hand-side counts. */
const BLOCK_SIZES = [1, 2, 63, 64, 65, 130, 300];
const RIGHT_HAND_SIDES = [1, 3, 13];

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

  suite.test('Cholesky ops agree with the TypeScript algorithm on the js backend within 1e-13 relative (f64, n = 1 to 300, 1 to 13 right-hand sides)', async () => {
    const backend = await suite.backend();
    const reference = suite.reference();
    for (const [index, n] of BLOCK_SIZES.entries()) {
      const a = positiveDefinite(n, 'f64', 20 + index);
      const l = await choleskyFactor(backend, a);
      const expectedL = await choleskyFactor(reference, a);
      // the factors differ by rounding only (native's LAPACK: up to 6e-16 relative here; wasm: the same bits)
      assert.ok(maxAbsDiff(l.data, expectedL.data) <= 1e-13 * maxAbs(expectedL.data), `n=${n}: L differs by ${maxAbsDiff(l.data, expectedL.data)}`);
      for (const r of RIGHT_HAND_SIDES) {
        const b = gaussian(fixtureRng('spd-ts-rhs', n * 100 + r), n, r);
        const expected = await solvePositiveDefinite(reference, a, b);
        // cond(A) is at most about 100: solutions agree to about cond * n eps (native: up to 3e-15 relative)
        const tolerance = 1e-13 * maxAbs(expected.data);
        const solved = await choleskySolve(backend, l, b);
        assert.ok(maxAbsDiff(solved.data, expected.data) <= tolerance, `n=${n}, r=${r}: choleskySolve differs by ${maxAbsDiff(solved.data, expected.data)}`);
        const x = await solvePositiveDefinite(backend, a, b);
        assert.ok(maxAbsDiff(x.data, expected.data) <= tolerance, `n=${n}, r=${r}: solvePositiveDefinite differs by ${maxAbsDiff(x.data, expected.data)}`);
        // residual: a Cholesky solve is backward stable, |A X - B| of order n eps |A| |X| (measured: at most 1.6 of that unit)
        const residual = maxAbsDiff(naiveGemm(a, x, false, false, 1, 0), b.data);
        assert.ok(residual <= 8 * n * Number.EPSILON * maxAbs(a.data) * maxAbs(x.data), `n=${n}, r=${r}: residual ${residual}`);
      }
    }
  });

  suite.test('choleskyFactor and solvePositiveDefinite name the first pivot that is not positive, in the first block and in later ones', async () => {
    const backend = await suite.backend();
    const cases: { n: number; k: number }[] = [{ n: 1, k: 0 }, { n: 90, k: 0 }, { n: 90, k: 80 }, { n: 300, k: 64 }, { n: 300, k: 250 }, { n: 300, k: 299 }];
    for (const { n, k } of cases) {
      const a = positiveDefinite(n, 'f64', 7);
      a.data[k * n + k] = -50;
      // native (LAPACK) words it "the nxn matrix ... pivot k"; the TypeScript path and wasm "pivot k = k of n = n"
      const names = (e: Error) => e instanceof NumericalError && new RegExp(`pivot (k = )?${k}\\b`).test(e.message) && new RegExp(`(n = ${n}\\b|${n}x${n})`).test(e.message);
      await assert.rejects(choleskyFactor(backend, a), names, `n=${n}, k=${k}: choleskyFactor`);
      await assert.rejects(solvePositiveDefinite(backend, a, gaussian(fixtureRng('pivot-rhs'), n, 2)), names, `n=${n}, k=${k}: solvePositiveDefinite`);
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
