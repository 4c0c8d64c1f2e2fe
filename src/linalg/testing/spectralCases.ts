/** Shared backend cases for the eigensolvers, SVD and Lanczos: closed forms, invariants, edge cases. */
import assert from 'node:assert/strict';
import { InputError } from '../../errors.js';
import { symmetricEigen, symmetricEigenProjection, symmetricEigenvalues } from '../eigen.js';
import { singularValues, svd } from '../svd.js';
import { topEigenpairs } from '../topEigenpairs.js';
import { topSingularTriplets } from '../topSingularTriplets.js';
import { fromRows, transpose, zeros, type DType, type Matrix } from '../matrix.js';
import type { SuiteContext } from './backendSuite.js';
import { fixtureRng, fromFactors, gaussian, maxAbs, maxAbsDiff, naiveGemm, orthogonalityError, randomOrthonormal, randomSymmetric, symmetricWithSpectrum } from './fixtures.js';

/** The closed-form tolerance: relative to the largest magnitude. */
const CLOSED_FORM_TOLERANCE: Record<DType, number> = { f64: 1e-12, f32: 1e-5 };
/** Vectors: orthogonality / reconstruction, relative to ||A||. */
const VECTOR_TOLERANCE: Record<DType, number> = { f64: 1e-12, f32: 2e-5 };

function sortedDescending(values: number[]): number[] {
  return [...values].sort((x, y) => y - x);
}

export function registerSpectralCases(suite: SuiteContext): void {
  for (const dtype of ['f64', 'f32'] as const) {
    suite.test(`symmetricEigenvalues recovers l from Q diag(l) Q^T within ${CLOSED_FORM_TOLERANCE[dtype]} of the largest (${dtype})`, async () => {
      const backend = await suite.backend();
      for (const [index, n] of [1, 2, 3, 10, 33, 67, 150].entries()) {
        const rng = fixtureRng('eig-closed', index);
        const spectrum = Array.from({ length: n }, () => 10 * (rng.nextDouble() - 0.3));
        const a = symmetricWithSpectrum(rng, spectrum, dtype);
        const values = await symmetricEigenvalues(backend, a);
        assert.ok(values instanceof Float64Array);
        const expected = [...spectrum].sort((x, y) => x - y);
        const error = maxAbsDiff(values, expected);
        assert.ok(error <= CLOSED_FORM_TOLERANCE[dtype] * maxAbs(expected), `n=${n}: error ${error}`);
      }
    });

    suite.test(`symmetricEigen returns orthonormal vectors that reconstruct A (${dtype})`, async () => {
      const backend = await suite.backend();
      for (const n of [1, 5, 40, 97]) {
        const a = randomSymmetric(fixtureRng('eigh', n), n, dtype);
        const { values, vectors } = await symmetricEigen(backend, a);
        assert.equal(vectors.data instanceof Float64Array, dtype === 'f64');
        for (let i = 1; i < n; i++) assert.ok(values[i - 1]! <= values[i]!, 'ascending');
        const scale = maxAbs(values);
        assert.ok(orthogonalityError(vectors) <= VECTOR_TOLERANCE[dtype] * n, `n=${n} orthogonality ${orthogonalityError(vectors)}`);
        const rebuilt = fromFactors({ ...vectors, data: Float64Array.from(vectors.data) }, values, { ...vectors, data: Float64Array.from(vectors.data) });
        const error = maxAbsDiff(rebuilt.data, a.data);
        assert.ok(error <= VECTOR_TOLERANCE[dtype] * n * scale, `n=${n} reconstruction ${error}`);
      }
    });

    suite.test(`singularValues recovers s from U diag(s) V^T, tall, wide and rank-deficient (${dtype})`, async () => {
      const backend = await suite.backend();
      const shapes: [number, number, number][] = [[1, 1, 1], [1, 6, 1], [6, 1, 1], [40, 25, 25], [25, 40, 25], [90, 60, 20], [60, 90, 7], [80, 80, 80]];
      for (const [index, [m, n, rank]] of shapes.entries()) {
        const rng = fixtureRng('svd-closed', index);
        const k = Math.min(m, n);
        const s = Array.from({ length: rank }, () => 0.1 + 5 * rng.nextDouble());
        const a = fromFactors(randomOrthonormal(rng, m, rank), s, randomOrthonormal(rng, n, rank), dtype);
        const values = await singularValues(backend, a);
        assert.equal(values.length, k);
        const expected = [...sortedDescending(s), ...new Array<number>(k - rank).fill(0)];
        const error = maxAbsDiff(values, expected);
        assert.ok(error <= CLOSED_FORM_TOLERANCE[dtype] * maxAbs(expected), `${m}x${n} rank ${rank}: error ${error}`);
      }
    });

    suite.test(`svd returns orthonormal u, vt that reconstruct A, tall, wide and rank-deficient (${dtype})`, async () => {
      const backend = await suite.backend();
      for (const [m, n, rank] of [[1, 1, 1], [30, 12, 12], [12, 30, 12], [70, 45, 45], [33, 33, 33], [90, 60, 5], [60, 90, 5], [50, 50, 0]] as [number, number, number][]) {
        const rng = fixtureRng('svd-vectors', m * 100 + n);
        const a =
          rank === Math.min(m, n)
            ? gaussian(rng, m, n, dtype)
            : fromFactors(randomOrthonormal(rng, m, rank), Array.from({ length: rank }, (_, i) => 3 - i * 0.5), randomOrthonormal(rng, n, rank), dtype);
        const { values, u, vt } = await svd(backend, a);
        const k = Math.min(m, n);
        assert.deepEqual([u.rows, u.cols, vt.rows, vt.cols], [m, k, k, n]);
        for (let i = 1; i < k; i++) assert.ok(values[i - 1]! >= values[i]!, 'descending');
        assert.ok(orthogonalityError(u) <= VECTOR_TOLERANCE[dtype] * k, `${m}x${n} u`);
        assert.ok(orthogonalityError(transpose(vt)) <= VECTOR_TOLERANCE[dtype] * k, `${m}x${n} vt`);
        const us = zeros(m, k);
        for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) us.data[i * k + j] = u.data[i * k + j]! * values[j]!;
        const error = maxAbsDiff(naiveGemm(us, vt, false, false, 1, 0), a.data);
        assert.ok(error <= VECTOR_TOLERANCE[dtype] * k * Math.max(values[0]!, 1), `${m}x${n} reconstruction ${error}`);
      }
    });
  }

  suite.test('symmetricEigenProjection gives symmetricEigen\'s values (the same bits) and |Q^T B| to 1e-12 (random, repeated, clustered; n = 1 .. 200)', async () => {
    const backend = await suite.backend();
    for (const n of [1, 2, 5, 63, 64, 65, 200]) {
      for (const kind of ['random', 'repeated', 'clustered'] as const) {
        const rng = fixtureRng(`projection-${kind}`, n);
        // repeated: multiplicity 3, gap 1; clustered: 4 values within 3e-9, gap 1
        const spectrum = Array.from({ length: n }, (_, i) => (kind === 'repeated' ? Math.floor(i / 3) - n / 6 : Math.floor(i / 4) - n / 8 + 1e-9 * (i % 4)));
        const q0 = randomOrthonormal(rng, n);
        const a = kind === 'random' ? randomSymmetric(rng, n) : fromFactors(q0, spectrum, q0);
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[j * n + i] = a.data[i * n + j]!;
        for (const r of [1, 3]) {
          const b = gaussian(fixtureRng(`projection-b-${kind}`, n * 10 + r), n, r);
          const { values, projections } = await symmetricEigenProjection(backend, a, b);
          const full = await symmetricEigen(backend, a);
          const label = `${kind} n=${n} r=${r}`;
          assert.deepEqual(values, full.values, `${label}: values`);
          assert.ok(projections.data instanceof Float64Array);
          assert.deepEqual([projections.rows, projections.cols], [n, r]);
          const expected = naiveGemm(full.vectors, b, true, false, 1, 0);
          for (let k = 0; k < r; k++) {
            let norm = 0;
            for (let i = 0; i < n; i++) norm += b.data[i * r + k]! ** 2;
            norm = Math.sqrt(norm);
            let sumSquares = 0;
            for (let j = 0; j < n; j++) {
              const p = projections.data[j * r + k]!;
              sumSquares += p * p;
              const error = Math.abs(Math.abs(p) - Math.abs(expected[j * r + k]!));
              assert.ok(error <= 1e-12 * norm, `${label}: |p[${j}][${k}]| off by ${error} against symmetricEigen's vectors`);
            }
            assert.ok(Math.abs(Math.sqrt(sumSquares) - norm) <= 1e-12 * norm, `${label}: ||Q^T b|| = ||b||`);
            if (kind === 'random') continue;
            // independent of symmetricEigen: each eigenspace's share of b, from the Q0 that built A
            const share = new Map<number, [number, number]>();
            for (let j = 0; j < n; j++) {
              // values are sorted, and the groups lie 1 apart: values[j] belongs to spectrum[j]'s group
              const key = Math.floor(j / (kind === 'repeated' ? 3 : 4));
              const entry = share.get(key) ?? [0, 0];
              entry[0] += projections.data[j * r + k]! ** 2;
              let dot = 0;
              for (let i = 0; i < n; i++) dot += q0.data[i * n + j]! * b.data[i * r + k]!;
              entry[1] += dot * dot; // spectrum is ascending: column j of Q0 belongs to values[j]
              share.set(key, entry);
            }
            for (const [key, [ours, exact]] of share) {
              assert.ok(Math.abs(Math.sqrt(ours) - Math.sqrt(exact)) <= 1e-10 * norm, `${label}: eigenspace ${key}: ${Math.sqrt(ours)} vs ${Math.sqrt(exact)}`);
            }
          }
        }
      }
    }
  });

  suite.test('symmetricEigenProjection keeps f32 in f32, handles n = 0 and r = 0, and rejects bad B with an InputError naming the op', async () => {
    const backend = await suite.backend();
    const n = 70;
    const a = randomSymmetric(fixtureRng('projection-f32'), n, 'f32');
    const b = gaussian(fixtureRng('projection-f32-b'), n, 2, 'f32');
    const { values, projections } = await symmetricEigenProjection(backend, a, b);
    assert.ok(projections.data instanceof Float32Array);
    const full = await symmetricEigen(backend, a);
    assert.deepEqual(values, full.values);
    const expected = naiveGemm(full.vectors, b, true, false, 1, 0);
    assert.ok(maxAbsDiff(Array.from(projections.data, Math.abs), Array.from(expected, Math.abs)) <= 1e-5 * maxAbs(expected));
    const none = await symmetricEigenProjection(backend, a, zeros(n, 0, 'f32'));
    assert.deepEqual([none.projections.rows, none.projections.cols, none.projections.data.length], [n, 0, 0]);
    assert.deepEqual(none.values, full.values);
    const empty = await symmetricEigenProjection(backend, zeros(0, 0), zeros(0, 2));
    assert.deepEqual([empty.values.length, empty.projections.rows, empty.projections.cols], [0, 0, 2]);
    const one = await symmetricEigenProjection(backend, fromRows([[-3]]), fromRows([[2, -5]]));
    assert.deepEqual([Array.from(one.values), Array.from(one.projections.data)], [[-3], [2, -5]]);
    const a64 = randomSymmetric(fixtureRng('projection-bad'), 4);
    const bad = zeros(4, 1);
    bad.data[2] = Number.NaN;
    for (const [pattern, run] of [
      [/NaN/, () => symmetricEigenProjection(backend, a64, bad)],
      [/needs 4 rows/, () => symmetricEigenProjection(backend, a64, zeros(3, 1))],
      [/dtype/, () => symmetricEigenProjection(backend, a64, zeros(4, 1, 'f32'))],
      [/square/, () => symmetricEigenProjection(backend, zeros(4, 3), zeros(4, 1))],
    ] as const) {
      await assert.rejects(run(), (e: Error) => e instanceof InputError && e.message.startsWith('symmetricEigenProjection:') && pattern.test(e.message), String(pattern));
    }
  });

  suite.test('symmetricEigen resolves repeated eigenvalues with an orthonormal eigenbasis', async () => {
    const backend = await suite.backend();
    const spectrum = [3, 3, 3, -1, -1, 0, 5, 5, 2, 2, 2, 2];
    const full = [...spectrum, ...spectrum, ...spectrum, ...spectrum, ...spectrum, 7];
    const a = symmetricWithSpectrum(fixtureRng('repeated'), full);
    const { values, vectors } = await symmetricEigen(backend, a);
    assert.ok(maxAbsDiff(values, [...full].sort((x, y) => x - y)) <= 1e-12 * 7);
    assert.ok(orthogonalityError(vectors) <= 1e-12 * full.length);
    const rebuilt = fromFactors(vectors as Matrix<Float64Array>, values, vectors as Matrix<Float64Array>);
    assert.ok(maxAbsDiff(rebuilt.data, a.data) <= 1e-12 * 7 * full.length);
    const identityValues = await symmetricEigenvalues(backend, fromRows([[2, 0, 0], [0, 2, 0], [0, 0, 2]]));
    assert.deepEqual(Array.from(identityValues), [2, 2, 2]);
  });

  suite.test('symmetricEigen and svd converge on structured matrices (rank 2, all ones, Wilkinson, graded, zero)', async () => {
    const backend = await suite.backend();
    const n = 120;
    const cases: [string, (i: number, j: number) => number][] = [
      ['rank 2', (i, j) => Math.sin(i) * Math.sin(j) + 1e-3 * Math.cos(i) * Math.cos(j)],
      ['all ones', () => 1],
      ['Wilkinson', (i, j) => (i === j ? Math.abs(i - (n - 1) / 2) : Math.abs(i - j) === 1 ? 1 : 0)],
      ['graded', (i, j) => (i === j ? 10 ** (-i / 10) : Math.abs(i - j) === 1 ? 0.3 * 10 ** (-Math.max(i, j) / 10) : 0)],
      ['zero', () => 0],
    ];
    for (const [name, entry] of cases) {
      const a = zeros(n, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = entry(Math.max(i, j), Math.min(i, j));
      const { values, vectors } = await symmetricEigen(backend, a);
      const scale = Math.max(maxAbs(values), 1e-300);
      assert.ok(orthogonalityError(vectors) <= 1e-12 * n, `${name}: orthogonality`);
      const rebuilt = fromFactors(vectors as Matrix<Float64Array>, values, vectors as Matrix<Float64Array>);
      assert.ok(maxAbsDiff(rebuilt.data, a.data) <= 1e-12 * n * scale, `${name}: reconstruction`);
      assert.ok(maxAbsDiff(await symmetricEigenvalues(backend, a), values) <= 1e-12 * scale, `${name}: values alone`);
      const rectangular = { rows: n, cols: 90, data: a.data.slice(0, n * 90) };
      const factors = await svd(backend, rectangular);
      const us = zeros(n, 90);
      for (let i = 0; i < n; i++) for (let j = 0; j < 90; j++) us.data[i * 90 + j] = factors.u.data[i * 90 + j]! * factors.values[j]!;
      assert.ok(maxAbsDiff(naiveGemm(us, factors.vt, false, false, 1, 0), rectangular.data) <= 1e-12 * 90 * Math.max(factors.values[0]!, 1e-300), `${name}: svd reconstruction`);
    }
  });

  suite.test('symmetricEigenvalues and symmetricEigen read only the lower triangle', async () => {
    const backend = await suite.backend();
    const n = 70;
    const a = randomSymmetric(fixtureRng('lower-only'), n);
    const expected = await symmetricEigenvalues(backend, a);
    const skewed = { ...a, data: Float64Array.from(a.data) };
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) skewed.data[i * n + j] = 50 + j;
    assert.ok(maxAbsDiff(await symmetricEigenvalues(backend, skewed), expected) <= 1e-12 * maxAbs(expected));
    assert.ok(maxAbsDiff((await symmetricEigen(backend, skewed)).values, expected) <= 1e-12 * maxAbs(expected));
  });

  suite.test('eigen and svd ops handle empty and 1x1 matrices', async () => {
    const backend = await suite.backend();
    assert.equal((await symmetricEigenvalues(backend, zeros(0, 0))).length, 0);
    assert.deepEqual(Array.from(await symmetricEigenvalues(backend, fromRows([[-3]]))), [-3]);
    const one = await symmetricEigen(backend, fromRows([[-3]], 'f32'));
    assert.deepEqual([Array.from(one.values), Math.abs(one.vectors.data[0]!)], [[-3], 1]);
    assert.equal((await singularValues(backend, zeros(0, 5))).length, 0);
    const empty = await svd(backend, zeros(4, 0));
    assert.deepEqual([empty.values.length, empty.u.rows, empty.u.cols, empty.vt.rows, empty.vt.cols], [0, 4, 0, 0, 0]);
    assert.deepEqual(Array.from(await singularValues(backend, fromRows([[-2]]))), [2]);
    assert.deepEqual(Array.from(await singularValues(backend, zeros(3, 2))), [0, 0]);
  });

  suite.test('eigen, svd and Lanczos ops reject NaN and Inf with an InputError naming the op', async () => {
    const backend = await suite.backend();
    const bad = fromRows([[1, 2], [2, Number.NaN]]);
    const infinite = fromRows([[1, Number.NEGATIVE_INFINITY], [0, 1]]);
    for (const [op, run] of [
      ['symmetricEigenvalues', () => symmetricEigenvalues(backend, bad)],
      ['symmetricEigen', () => symmetricEigen(backend, infinite)],
      ['singularValues', () => singularValues(backend, bad)],
      ['svd', () => svd(backend, infinite)],
      ['topEigenpairs', () => topEigenpairs(backend, bad, 1)],
      ['topSingularTriplets', () => topSingularTriplets(backend, infinite, 1)],
    ] as const) {
      await assert.rejects(run(), (e: Error) => e instanceof InputError && e.message.startsWith(`${op}:`) && /NaN|Infinity/.test(e.message), op);
    }
    await assert.rejects(symmetricEigenvalues(backend, zeros(2, 3)), (e: Error) => e instanceof InputError && /square/.test(e.message));
    await assert.rejects(topEigenpairs(backend, zeros(3, 3), 4), InputError);
  });

  suite.test('topEigenpairs matches the k largest of the full decomposition, with small residuals', async () => {
    const backend = await suite.backend();
    const n = 140;
    const a = randomSymmetric(fixtureRng('lanczos'), n);
    const full = await symmetricEigenvalues(backend, a);
    const top = await topEigenpairs(backend, a, 4);
    const expected = Array.from({ length: 4 }, (_, i) => full[n - 1 - i]!);
    assert.ok(maxAbsDiff(top.values, expected) <= 1e-9 * maxAbs(full), `values ${Array.from(top.values)} vs ${expected}`);
    assert.deepEqual([top.vectors.rows, top.vectors.cols], [n, 4]);
    assert.ok(orthogonalityError(top.vectors) <= 1e-9);
    const av = naiveGemm(a, top.vectors, false, false, 1, 0);
    for (let r = 0; r < 4; r++) {
      let residual = 0;
      for (let i = 0; i < n; i++) residual = Math.max(residual, Math.abs(av[i * 4 + r]! - top.values[r]! * top.vectors.data[i * 4 + r]!));
      assert.ok(residual <= 1e-8 * maxAbs(full), `pair ${r}: residual ${residual}`);
    }
    const again = await topEigenpairs(backend, a, 4);
    assert.deepEqual(Array.from(again.values), Array.from(top.values), 'deterministic');
  });

  suite.test('topSingularTriplets matches the leading singular values and gives A v = s u, tall and wide', async () => {
    const backend = await suite.backend();
    for (const [m, n] of [[160, 90], [90, 160]] as [number, number][]) {
      const a = gaussian(fixtureRng('lanczos-svd', m), m, n);
      const all = await singularValues(backend, a);
      const top = await topSingularTriplets(backend, a, 3);
      assert.ok(maxAbsDiff(top.values, all.slice(0, 3)) <= 1e-9 * all[0]!, `${m}x${n}: ${Array.from(top.values)} vs ${Array.from(all.slice(0, 3))}`);
      assert.deepEqual([top.u.rows, top.u.cols, top.v.rows, top.v.cols], [m, 3, n, 3]);
      assert.ok(orthogonalityError(top.u) <= 1e-8 && orthogonalityError(top.v) <= 1e-8);
      const av = naiveGemm(a, top.v, false, false, 1, 0);
      for (let i = 0; i < m; i++) for (let r = 0; r < 3; r++) assert.ok(Math.abs(av[i * 3 + r]! - top.values[r]! * top.u.data[i * 3 + r]!) <= 1e-8 * all[0]!);
    }
  });

  suite.test('topSingularTriplets returns orthonormal vectors and zero values when k exceeds the rank', async () => {
    const backend = await suite.backend();
    const rng = fixtureRng('lanczos-rank');
    const a = fromFactors(randomOrthonormal(rng, 100, 2), [3, 1], randomOrthonormal(rng, 70, 2));
    const top = await topSingularTriplets(backend, a, 4);
    assert.ok(maxAbsDiff(top.values, [3, 1, 0, 0]) <= 1e-9 * 3, `values ${Array.from(top.values)}`);
    assert.ok(orthogonalityError(top.u) <= 1e-8 && orthogonalityError(top.v) <= 1e-8);
  });

  suite.test('eigen, svd and Lanczos results agree with the js reference backend (values 1e-12 f64 / 1e-5 f32 of the largest, Lanczos 1e-9)', async () => {
    const backend = await suite.backend();
    const reference = suite.reference();
    for (const dtype of ['f64', 'f32'] as const) {
      const a = randomSymmetric(fixtureRng('vs-js', 1), 120, dtype);
      const ours = await symmetricEigenvalues(backend, a);
      const theirs = await symmetricEigenvalues(reference, a);
      assert.ok(maxAbsDiff(ours, theirs) <= CLOSED_FORM_TOLERANCE[dtype] * maxAbs(theirs), `eigenvalues ${dtype}`);
      const w = gaussian(fixtureRng('vs-js', 2), 110, 75, dtype);
      const oursSv = await singularValues(backend, w);
      const theirsSv = await singularValues(reference, w);
      assert.ok(maxAbsDiff(oursSv, theirsSv) <= CLOSED_FORM_TOLERANCE[dtype] * theirsSv[0]!, `singular values ${dtype}`);
      const oursSvd = await svd(backend, w);
      assert.ok(maxAbsDiff(oursSvd.values, theirsSv) <= CLOSED_FORM_TOLERANCE[dtype] * theirsSv[0]!, `svd values ${dtype}`);
      // Lanczos runs the same algorithm over each backend's GEMV; values agree to the residual tolerance
      const oursTop = await topSingularTriplets(backend, w, 2);
      const theirsTop = await topSingularTriplets(reference, w, 2);
      assert.ok(maxAbsDiff(oursTop.values, theirsTop.values) <= 1e-9 * theirsTop.values[0]!, `top triplets ${dtype}`);
      const oursPairs = await topEigenpairs(backend, a, 2);
      const theirsPairs = await topEigenpairs(reference, a, 2);
      assert.ok(maxAbsDiff(oursPairs.values, theirsPairs.values) <= 1e-9 * maxAbs(theirsPairs.values), `top eigenpairs ${dtype}`);
    }
  });
}
