import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copy, gemm, loadBackend, zeros } from '../linalg/node.js';
import { stream } from '../random/index.js';
import { readoutFeatures } from './evaluate.js';

test('readoutFeatures: f32 W (tanhFast) stays within 3e-7 / sqrt(h) of Math.tanh of the same f32 product, and near the f64 features', async () => {
  const { backend } = await loadBackend('js');
  const [m, d, h] = [40, 30, 25];
  const x64 = zeros(m, d, 'f64');
  const w64 = zeros(h, d, 'f64');
  stream(3, 'x').fillNormal(x64.data);
  stream(3, 'w').fillNormal(w64.data);
  const [x32, w32] = [copy(x64, 'f32'), copy(w64, 'f32')];
  const features32 = await readoutFeatures(backend, w32, x32, 1 / Math.sqrt(d));
  const z32 = await gemm(backend, x32, w32, { transB: true, alpha: 1 / Math.sqrt(d) });
  const features64 = await readoutFeatures(backend, w64, x64, 1 / Math.sqrt(d));
  let worstSameProduct = 0;
  let worstVsF64 = 0;
  for (let i = 0; i < m * h; i++) {
    worstSameProduct = Math.max(worstSameProduct, Math.abs(features32.data[i]! - Math.tanh(z32.data[i]!) / Math.sqrt(h)));
    worstVsF64 = Math.max(worstVsF64, Math.abs(features32.data[i]! - features64.data[i]!));
  }
  assert.ok(worstSameProduct <= 3e-7 / Math.sqrt(h), `tanhFast error ${worstSameProduct}`);
  assert.ok(worstVsF64 <= 1e-6, `f32 vs f64 features ${worstVsF64}`);
  assert.ok(worstSameProduct > 0 || worstVsF64 > 0, 'the two paths are distinct computations');
});
