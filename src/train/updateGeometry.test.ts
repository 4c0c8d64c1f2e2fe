import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copy, loadBackend, svd, zeros } from '../linalg/node.js';
import { stream } from '../random/index.js';
import { updateGeometry } from './updateGeometry.js';

const { backend } = await loadBackend('js');

test('updateGeometry of a rank-one update s u v^T: one singular value s, overlaps (U_W^T u)^2 and (V_W^T v)^2', async () => {
  const h = 12;
  const d = 8;
  const previous = zeros(h, d, 'f64');
  stream(3, 'w').fillNormal(previous.data);
  const unit = (length: number, name: string) => {
    const v = stream(3, name).fillNormal(new Float64Array(length));
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const u = unit(h, 'u');
  const v = unit(d, 'v');
  const s = 50;
  const current = copy(previous);
  for (let i = 0; i < h; i++) for (let j = 0; j < d; j++) current.data[i * d + j]! += s * u[i]! * v[j]!;
  const geometry = await updateGeometry(backend, previous, current, 4);
  assert.equal(geometry.blockSize, 4);
  assert.ok(Math.abs(geometry.updateSingularValues[0]! - s) < 1e-9);
  assert.ok(geometry.updateSingularValues[1]! < 1e-9);
  const reference = await svd(backend, previous);
  for (let i = 0; i < 4; i++) {
    let left = 0;
    for (let r = 0; r < h; r++) left += reference.u.data[r * d + i]! * u[r]!;
    let right = 0;
    for (let c = 0; c < d; c++) right += reference.vt.data[i * d + c]! * v[c]!;
    assert.ok(Math.abs(geometry.leftOverlap.data[i * 4]! - left * left) < 1e-8, `left overlap ${i}`);
    assert.ok(Math.abs(geometry.rightOverlap.data[i * 4]! - right * right) < 1e-8, `right overlap ${i}`);
  }
  // W_t's top singular vectors are dominated by the spike: its top right vector is close to v.
  assert.ok(geometry.rightOverlapNext.data[0]! > 0.9);
});
