import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copy, fromRows, loadBackend, svd, transpose, zeros } from '../linalg/node.js';
import { stream } from '../random/index.js';
import { alignmentProfile, alignmentProfileOf, matrixColumn, smallerGramOf, teacherAlignment, teacherAlignmentOf, weightSpectrum } from './teacherAlignment.js';

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

test('weightSpectrum gives the SVD\'s squared singular values, alignment and profile from one Gram matrix (tall, wide, f32)', async () => {
  const { backend } = await loadBackend('js');
  for (const [h, d, dtype] of [[9, 6, 'f64'], [5, 8, 'f64'], [9, 6, 'f32']] as const) {
    const w64 = zeros(h, d, 'f64');
    stream(8, 'w').fillNormal(w64.data);
    const beta = stream(8, 'beta').fillNormal(new Float64Array(d));
    for (let i = 0; i < h; i++) for (let j = 0; j < d; j++) w64.data[i * d + j]! += 3 * beta[j]!;
    const w = dtype === 'f32' ? copy(w64, 'f32') : w64;
    const full = await svd(backend, copy(w, 'f64'));
    const tolerance = dtype === 'f32' ? 1e-5 : 1e-9;
    const expectedAlignment = teacherAlignment(matrixColumn(transpose(full.vt), 0), beta);
    const expectedProfile = alignmentProfile(full.vt, beta);
    for (const shouldComputeProfile of [false, true]) {
      const spectrum = await weightSpectrum(backend, w, beta, shouldComputeProfile);
      const k = Math.min(h, d);
      assert.equal(spectrum.eigenvalues.length, k);
      for (let i = 0; i < k; i++) {
        const expected = full.values[k - 1 - i]! ** 2;
        assert.ok(Math.abs(spectrum.eigenvalues[i]! - expected) <= tolerance * full.values[0]! ** 2, `${h}x${d} ${dtype} eigenvalue ${i}`);
      }
      assert.ok(Math.abs(spectrum.alignment! - expectedAlignment) < tolerance, `${h}x${d} ${dtype} alignment`);
      if (!shouldComputeProfile) assert.equal(spectrum.profile, null);
      else for (let i = 0; i < k; i++) assert.ok(Math.abs(spectrum.profile![i]! - expectedProfile[i]!) < tolerance, `${h}x${d} ${dtype} profile ${i}`);
    }
  }
});
