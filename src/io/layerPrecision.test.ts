import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copy, loadBackend } from '../linalg/node.js';
import { gaussianMatrix, lowRankMatrix } from '../spectra/testing/matrices.js';
import { analyzeMatrixLayer, F32_UNRESOLVED_FRACTION } from './layerAnalysis.js';

const identity = (rows: number, cols: number) => ({ name: 'w', shape: [rows, cols] as const, tensorShape: [rows, cols], dtype: 'F32', file: 'mem' });

test('analyze --precision f32 keeps full-rank layers in f32, close to f64; f64 is the default', async () => {
  const { backend } = await loadBackend('js');
  const w = copy(gaussianMatrix(260, 180, 4), 'f32');
  const exact = await analyzeMatrixLayer(backend, identity(260, 180), async () => w);
  const fast = await analyzeMatrixLayer(backend, identity(260, 180), async () => w, { precision: 'f32' });
  assert.equal(exact.precision, 'f64');
  assert.equal(fast.precision, 'f32');
  assert.equal(fast.precisionNote, undefined);
  const [a, b] = [exact.diagnostics!, fast.diagnostics!];
  assert.equal(b.phase, a.phase);
  assert.equal(b.numZeroEigenvalues, a.numZeroEigenvalues);
  assert.ok(Math.abs(b.hill!.alpha - a.hill!.alpha) < 1e-4, `hill ${b.hill!.alpha} vs ${a.hill!.alpha}`);
  assert.ok(Math.abs(b.stableRank - a.stableRank) < 1e-5 * a.stableRank);
  assert.ok(Math.abs(b.lambdaMax - a.lambdaMax) < 1e-5 * a.lambdaMax);
  assert.ok(Math.abs(b.frobeniusSquared - a.frobeniusSquared) < 1e-5 * a.frobeniusSquared);
});

test('analyze --precision f32 recomputes a rank-deficient layer in f64, so its zero count and rank_collapse phase are exact', async () => {
  const { backend } = await loadBackend('js');
  const w = copy(lowRankMatrix(300, 200, 120, 6), 'f32');
  const exact = await analyzeMatrixLayer(backend, identity(300, 200), async () => w);
  const fast = await analyzeMatrixLayer(backend, identity(300, 200), async () => w, { precision: 'f32' });
  assert.equal(exact.diagnostics!.numZeroEigenvalues, 80);
  assert.equal(exact.diagnostics!.phase, 'rank_collapse');
  assert.ok(80 / 200 > F32_UNRESOLVED_FRACTION);
  assert.equal(fast.precision, 'f64');
  assert.match(fast.precisionNote ?? '', /recomputed in f64: \d+ of 200 f32 eigenvalues were below the f32 resolution/);
  assert.deepEqual(fast.eigenvalues, exact.eigenvalues);
  assert.deepEqual(fast.diagnostics, exact.diagnostics);
});
