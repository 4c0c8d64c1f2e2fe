import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copy, gemv, loadBackend, syrk, zeros } from '../linalg/node.js';
import { stream } from '../random/index.js';
import { ridgeReadout, ridgeRegularization } from './ridgeReadout.js';

const { backend } = await loadBackend('js');

test('ridgeReadout solves the normal equations (F^T F + (lambda/h) n I) a = F^T y', async () => {
  const n = 15;
  const h = 6;
  const f = zeros(n, h, 'f64');
  stream(4, 'f').fillNormal(f.data);
  const y = stream(4, 'y').fillNormal(new Float64Array(n));
  const gram = await syrk(backend, f, { trans: true });
  const original = copy(gram);
  const fty = await gemv(backend, f, y, { trans: true });
  const r = ridgeRegularization(0.01, h, n);
  assert.equal(r, (0.01 / 6) * 15);
  const a = await ridgeReadout(backend, gram, fty, r);
  for (let i = 0; i < h; i++) {
    let lhs = r * a[i]!;
    for (let j = 0; j < h; j++) lhs += original.data[i * h + j]! * a[j]!;
    assert.ok(Math.abs(lhs - fty[i]!) < 1e-12, `row ${i}: ${lhs} vs ${fty[i]}`);
  }
});
