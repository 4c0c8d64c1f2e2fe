import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchCases, benchFlops, benchShapeFields } from './benchCase.js';

test("benchCases() lists the issue's default cases: gemm NN/TN/NT in f32 and f64, syrk, eigvalsh n=1000 and 4096, eigh, svdvals, cholesky_solve, top_singular_triplet (plus gemm_into)", () => {
  const cases = benchCases();
  const labels = cases.map((c) => `${c.op}${c.trans ? ` ${c.trans}` : ''} ${[c.m, c.k, c.n].filter((x) => x !== undefined).join('x')} ${c.dtype}`);
  assert.deepEqual(labels, [
    'gemm NN 2000x1000x1500 f32', 'gemm TN 2000x1000x1500 f32', 'gemm NT 2000x1000x1500 f32',
    'gemm_into NN 2000x1000x1500 f32', 'gemm_into TN 2000x1000x1500 f32', 'gemm_into NT 2000x1000x1500 f32',
    'gemm NN 2000x1000x1500 f64', 'gemm TN 2000x1000x1500 f64', 'gemm NT 2000x1000x1500 f64',
    'gemm_into NN 2000x1000x1500 f64', 'gemm_into TN 2000x1000x1500 f64', 'gemm_into NT 2000x1000x1500 f64',
    'syrk N 1000x2000 f32', 'syrk N 1000x2000 f64',
    'eigvalsh 1000 f64', 'eigvalsh 4096 f64', 'eigh 1000 f64', 'svdvals 1500x1000 f64',
    'cholesky_solve 1x1500 f64', 'top_singular_triplet 1500x1000 f64',
  ]);
  for (const c of cases) for (const field of benchShapeFields[c.op]) assert.notEqual(c[field], undefined, `${c.op} has ${field}`);
});

test('benchCases(selection) narrows ops and dtypes, overrides shapes, and drops n=4096 when quick', () => {
  assert.deepEqual(benchCases({ ops: ['eigvalsh'], isQuick: true }), [{ op: 'eigvalsh', n: 1000, dtype: 'f64' }]);
  assert.deepEqual(benchCases({ ops: ['gemm'], dtypes: ['f32'], m: 3, k: 4, n: 5 }).map((c) => [c.trans, c.m, c.k, c.n]), [
    ['NN', 3, 4, 5], ['TN', 3, 4, 5], ['NT', 3, 4, 5],
  ]);
  assert.deepEqual(benchCases({ ops: ['svdvals'], dtypes: ['f32'] }), [{ op: 'svdvals', m: 1500, n: 1000, dtype: 'f32' }]);
});

test('benchFlops counts 2mkn for gemm and gemm_into, n^2 k for syrk, n^3/3 + 2n^2 k for cholesky_solve, and null for iterative ops', () => {
  assert.equal(benchFlops({ op: 'gemm', trans: 'NN', m: 2, k: 3, n: 4, dtype: 'f32' }), 48);
  assert.equal(benchFlops({ op: 'syrk', trans: 'N', n: 3, k: 2, dtype: 'f32' }), 18);
  assert.equal(benchFlops({ op: 'cholesky_solve', n: 3, k: 1, dtype: 'f64' }), 9 + 18);
  assert.equal(benchFlops({ op: 'eigvalsh', n: 3, dtype: 'f64' }), null);
});
