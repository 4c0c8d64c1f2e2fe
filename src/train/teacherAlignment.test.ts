import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows, loadBackend, svd, transpose, zeros } from '../linalg/node.js';
import { stream } from '../random/index.js';
import { alignmentProfile, alignmentProfileOf, matrixColumn, smallerGramOf, teacherAlignment, teacherAlignmentOf } from './teacherAlignment.js';

test('teacherAlignment does not depend on the sign or scale of the singular vector', () => {
  const beta = Float64Array.of(0.6, 0.8, 0);
  const v = Float64Array.of(0.8, 0.6, 0);
  const expected = 0.96;
  assert.ok(Math.abs(teacherAlignment(v, beta) - expected) < 1e-15);
  assert.ok(Math.abs(teacherAlignment(v.map((x) => -x), beta) - expected) < 1e-15);
  assert.ok(Math.abs(teacherAlignment(v.map((x) => 3 * x), beta) - expected) < 1e-15);
});

test('alignmentProfile is |V^T beta| over the rows of Vt', () => {
  const vt = fromRows([[1, 0], [0, -1]]);
  assert.deepEqual([...alignmentProfile(vt, Float64Array.of(0.6, 0.8))], [0.6, 0.8]);
});

test('teacherAlignmentOf and alignmentProfileOf agree with a full SVD for tall and wide W', async () => {
  const { backend } = await loadBackend('js');
  for (const [h, d] of [[9, 6], [5, 8]] as const) {
    const w = zeros(h, d, 'f64');
    stream(7, 'w').fillNormal(w.data);
    const beta = stream(7, 'beta').fillNormal(new Float64Array(d));
    // Plant a rank-one spike along beta so that v1 is well separated.
    for (let i = 0; i < h; i++) for (let j = 0; j < d; j++) w.data[i * d + j]! += 3 * beta[j]!;
    const full = await svd(backend, w);
    const expectedProfile = alignmentProfile(full.vt, beta);
    const gram = await smallerGramOf(backend, w);
    const profile = await alignmentProfileOf(backend, w, gram, beta);
    assert.equal(profile.length, Math.min(h, d));
    for (let i = 0; i < profile.length; i++) assert.ok(Math.abs(profile[i]! - expectedProfile[i]!) < 1e-9, `${h}x${d} entry ${i}`);
    const expected = teacherAlignment(matrixColumn(transpose(full.vt), 0), beta);
    assert.ok(Math.abs((await teacherAlignmentOf(backend, w, gram, beta)) - expected) < 1e-9);
  }
});
