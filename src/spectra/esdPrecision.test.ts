import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copy, loadBackend, type Backend, type Matrix } from '../linalg/node.js';
import { loadNativeBinding } from '../linalg/backends/native/index.js';
import { esdEigenvalues } from './esdEigenvalues.js';
import { fitPowerLaw } from './powerLawFit.js';
import { gaussianMatrix, paretoEntriesMatrix, plantLowRank } from './testing/matrices.js';

const EPS32 = 2 ** -24;

/** Every backend that loads here (js always; wasm and native where built). */
async function backends(): Promise<Backend[]> {
  const loaded: Backend[] = [];
  for (const name of ['js', 'wasm', 'native']) {
    try {
      loaded.push((await loadBackend(name, { threads: 2 })).backend);
    } catch {
      // not built here; js is always there
    }
  }
  return loaded;
}

const cases: [string, () => Matrix][] = [
  ['gaussian 300x200', () => copy(gaussianMatrix(300, 200, 1), 'f32')],
  ['gaussian 150x260 (wide)', () => copy(gaussianMatrix(150, 260, 2), 'f32')],
  ['spiked 320x240', () => copy(plantLowRank(gaussianMatrix(320, 240, 3), [3, 2], 4), 'f32')],
  ['pareto(2.5) 400x250', () => copy(paretoEntriesMatrix(400, 250, 5, 2.5), 'f32')],
];

test('the f32 route: every eigenvalue within (m + n) 2^-24 lambda_max of the f64 route, on every backend', async () => {
  for (const backend of await backends()) {
    try {
      for (const [label, make] of cases) {
        const w = make();
        const exact = await esdEigenvalues(backend, w);
        const fast = await esdEigenvalues(backend, w, { precision: 'f32' });
        assert.ok(fast instanceof Float64Array);
        assert.equal(fast.length, exact.length);
        const lambdaMax = exact.at(-1)!;
        let worst = 0;
        for (let i = 0; i < exact.length; i++) worst = Math.max(worst, Math.abs(fast[i]! - exact[i]!));
        const bound = (w.rows + w.cols) * EPS32 * lambdaMax;
        assert.ok(worst <= bound, `${backend.name}, ${label}: max |f32 - f64| = ${worst.toExponential(3)} > ${bound.toExponential(3)}`);
        // and the route really is f32: a Gram accumulated in f64 would agree to ~1e-13
        assert.ok(worst > 1e-12 * lambdaMax, `${backend.name}, ${label}: f32 agrees to ${worst / lambdaMax}, as if it were f64`);
        for (let i = 1; i < fast.length; i++) assert.ok(fast[i]! >= fast[i - 1]! && fast[0]! >= 0);
      }
      // an f64 W takes the f32 route too (narrowed first), and f64 stays the default
      const w64 = gaussianMatrix(120, 80, 9);
      assert.deepEqual(await esdEigenvalues(backend, w64), await esdEigenvalues(backend, w64, { precision: 'f64' }));
      const narrowed = await esdEigenvalues(backend, w64, { precision: 'f32' });
      assert.deepEqual(narrowed, await esdEigenvalues(backend, copy(w64, 'f32'), { precision: 'f32' }));
    } finally {
      await backend.dispose?.();
    }
  }
});

test('the f32 route on a heavy-tailed matrix: the power-law alphas move by less than 1e-3 and MLE-KS keeps its xmin', async () => {
  for (const backend of await backends()) {
    try {
      const w = copy(paretoEntriesMatrix(600, 300, 21, 2), 'f32');
      const exact = await esdEigenvalues(backend, w);
      const fast = await esdEigenvalues(backend, w, { precision: 'f32' });
      for (const method of ['hill', 'mle_ks'] as const) {
        const a = fitPowerLaw(exact, method);
        const b = fitPowerLaw(fast, method);
        assert.ok(a.alpha > 1.5 && a.alpha < 6, `${method} alpha ${a.alpha}: the matrix should be heavy-tailed`);
        assert.equal(b.xminIndex, a.xminIndex, `${backend.name} ${method}: xmin index`);
        assert.ok(Math.abs(b.alpha - a.alpha) < 1e-3, `${backend.name} ${method}: alpha ${b.alpha} vs ${a.alpha}`);
        assert.ok(Math.abs(b.xmin - a.xmin) <= 1e-4 * a.xmin, `${backend.name} ${method}: xmin ${b.xmin} vs ${a.xmin}`);
      }
    } finally {
      await backend.dispose?.();
    }
  }
});

test('--two-stage on native: LAPACK ?syevd_2stage gives the one-stage eigenvalues to round-off, f64 and f32', async (t) => {
  let backend: Backend;
  try {
    backend = (await loadBackend('native', { threads: 2 })).backend;
  } catch {
    t.skip('the native addon is not built here');
    return;
  }
  try {
    const w = copy(plantLowRank(gaussianMatrix(500, 300, 11), [3], 12), 'f32');
    for (const [precision, tolerance] of [['f64', 1e-12], ['f32', 64 * EPS32]] as const) {
      const one = await esdEigenvalues(backend, w, { precision });
      const two = await esdEigenvalues(backend, w, { precision, twoStage: true });
      const lambdaMax = one.at(-1)!;
      let worst = 0;
      for (let i = 0; i < one.length; i++) worst = Math.max(worst, Math.abs(two[i]! - one[i]!));
      assert.ok(worst <= tolerance * lambdaMax, `${precision}: max |two-stage - one-stage| = ${worst / lambdaMax} lambda_max`);
    }
    // the two-stage solver has no eigenvectors: the addon refuses the combination rather than ignoring a flag
    const binding = loadNativeBinding();
    assert.throws(() => binding.syevd(2, Float64Array.of(2, 1, 1, 2), new Float64Array(2), true, 1, true), /eigenvalues only/);
  } finally {
    await backend.dispose?.();
  }
});
