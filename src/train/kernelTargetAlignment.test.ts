import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBackend, zeros } from '../linalg/node.js';
import { stream } from '../random/index.js';
import { kernelTargetAlignment } from './kernelTargetAlignment.js';

const { backend } = await loadBackend('js');

test('kernelTargetAlignment without n x n matrices equals the n x n definition <K, yy^T> / (||K|| ||yy^T||)', async () => {
  const n = 12;
  const h = 5;
  const z = zeros(n, h, 'f64');
  stream(2, 'z').fillNormal(z.data);
  for (let i = 0; i < z.data.length; i++) z.data[i] = Math.tanh(z.data[i]!);
  const y = stream(2, 'y').fillNormal(new Float64Array(n));
  let inner = 0;
  let kNorm = 0;
  let yNorm = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let k = 0;
      for (let c = 0; c < h; c++) k += z.data[i * h + c]! * z.data[j * h + c]!;
      inner += k * y[i]! * y[j]!;
      kNorm += k * k;
      yNorm += (y[i]! * y[j]!) ** 2;
    }
  }
  const expected = inner / (Math.sqrt(kNorm) * Math.sqrt(yNorm));
  const actual = await kernelTargetAlignment(backend, z, y);
  assert.ok(Math.abs(actual - expected) < 1e-13, `${actual} vs ${expected}`);
  // Scale invariance: the ridge features carry 1/sqrt(h).
  const scaled = { rows: n, cols: h, data: z.data.map((v) => v / Math.sqrt(h)) };
  assert.ok(Math.abs((await kernelTargetAlignment(backend, scaled, y)) - expected) < 1e-13);
});
