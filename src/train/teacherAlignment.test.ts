import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copy, fromRows, gemv, loadBackend, svd, symmetricEigen, symmetricEigenvalues, transpose, zeros, type Backend, type Matrix } from '../linalg/node.js';
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

/** The step-0 route before symmetricEigenProjection: the full eigendecomposition with vectors, the top vector and |V^T beta*| from its columns. */
async function stepZeroWithVectors(backend: Backend, w: Matrix, beta: Float64Array): Promise<{ alignment: number; profile: Float64Array; values: Float64Array }> {
  const isColumnGram = w.cols <= w.rows;
  const w64 = copy(w, 'f64');
  const { values, vectors } = await symmetricEigen(backend, await smallerGramOf(backend, w64));
  const k = values.length;
  const top = matrixColumn(vectors, k - 1);
  const alignment = teacherAlignment(isColumnGram ? top : await gemv(backend, w64, top, { trans: true }), beta);
  const target = isColumnGram ? beta : await gemv(backend, w64, beta);
  const lambdaMax = Math.max(values[k - 1]!, 0);
  const profile = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const j = k - 1 - i;
    let dot = 0;
    for (let r = 0; r < k; r++) dot += vectors.data[r * k + j]! * target[r]!;
    profile[i] = isColumnGram ? Math.abs(dot) : values[j]! > 1e-12 * lambdaMax ? Math.abs(dot) / Math.sqrt(values[j]!) : 0;
  }
  return { alignment, profile, values };
}

test('weightSpectrum at step 0 (symmetricEigenProjection) matches the route through the eigenvectors to 1e-10, tall and wide, js and wasm', async () => {
  for (const name of ['js', 'wasm'] as const) {
    const { backend } = await loadBackend(name);
    for (const [h, d] of [[90, 70], [70, 90], [300, 200], [150, 230], [40, 40]] as const) {
      const w = zeros(h, d, 'f32');
      stream(9, 'w', h).fillNormal(w.data);
      const beta = stream(9, 'beta', d).fillNormal(new Float64Array(d));
      let norm = 0;
      for (const x of beta) norm += x * x;
      for (let j = 0; j < d; j++) beta[j] = beta[j]! / Math.sqrt(norm);
      // a spike along beta three times the bulk's edge, as after the first large step
      const spike = (3 * (Math.sqrt(h) + Math.sqrt(d))) / Math.sqrt(h / 2);
      for (let i = 0; i < h; i++) for (let j = 0; j < d; j++) w.data[i * d + j]! += spike * beta[j]! * Math.sin(i + 1);
      const label = `${name} ${h}x${d}`;
      const spectrum = await weightSpectrum(backend, w, beta, true);
      const old = await stepZeroWithVectors(backend, w, beta);
      assert.deepEqual(spectrum.eigenvalues, old.values.map((v) => (v < 0 ? 0 : v)), `${label}: eigenvalues (the same bits)`);
      assert.ok(Math.abs(spectrum.alignment! - old.alignment) <= 1e-10 * old.alignment, `${label}: alignment ${spectrum.alignment} vs ${old.alignment}`);
      const k = Math.min(h, d);
      assert.equal(spectrum.profile!.length, k);
      for (let i = 0; i < k; i++) assert.ok(Math.abs(spectrum.profile![i]! - old.profile[i]!) <= 1e-10, `${label}: profile ${i}: ${spectrum.profile![i]} vs ${old.profile[i]}`);
      assert.ok(old.alignment > 0.5, `${label}: the spike is aligned (${old.alignment})`);
    }
    await backend.dispose?.();
  }
});

test('a later probe on wasm (its own projection) keeps the values-only eigenvalues bit for bit and matches the Lanczos alignment', async () => {
  const { backend } = await loadBackend('wasm');
  const js = (await loadBackend('js')).backend;
  try {
    for (const [h, d] of [[150, 100], [80, 120], [64, 64]] as const) {
      const w = zeros(h, d, 'f32');
      stream(11, 'w').fillNormal(w.data);
      const beta = stream(11, 'beta').fillNormal(new Float64Array(d));
      for (let i = 0; i < h; i++) for (let j = 0; j < d; j++) w.data[i * d + j]! += (4 / Math.sqrt(d)) * beta[j]!;
      const later = await weightSpectrum(backend, w, beta, false);
      const gram = await smallerGramOf(backend, copy(w, 'f64'));
      const valuesOnly = (await symmetricEigenvalues(backend, gram)).map((v) => (v < 0 ? 0 : v));
      assert.deepEqual(later.eigenvalues, valuesOnly, `${h}x${d}: the eigenvalues are the values-only path's bits`);
      assert.equal(later.profile, null);
      // the reference route (values + Lanczos) on the js backend, which has no projection of its own
      const reference = await weightSpectrum(js, copy(w, 'f64'), beta, false);
      assert.ok(later.alignment !== null && reference.alignment !== null);
      assert.ok(Math.abs(later.alignment - reference.alignment) < 1e-8, `${h}x${d}: alignment ${later.alignment} against ${reference.alignment}`);
    }
  } finally {
    await backend.dispose?.();
  }
});
