/** Shared backend cases for the BLAS-level ops: gemm/gemmInto, syrk, gemv. */
import assert from 'node:assert/strict';
import { InputError } from '../../errors.js';
import { gemm, gemmInto } from '../gemm.js';
import { gemv } from '../gemv.js';
import { syrk } from '../syrk.js';
import { zeros, type DType, type Matrix } from '../matrix.js';
import type { SuiteContext } from './backendSuite.js';
import { fixtureRng, gaussian, maxAbs, maxAbsDiff, naiveGemm } from './fixtures.js';

/** [m, k, n]: degenerate, 1x1, off any tile, several blocks along each of m, k and n. */
const GEMM_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [0, 3, 4],
  [3, 0, 4],
  [3, 4, 0],
  [3, 7, 5],
  [17, 1, 9],
  [67, 129, 33],
  [130, 70, 257],
  [5, 300, 7],
  [2, 3, 1030],
];

/** Relative tolerance of a k-term dot product against |A||B|: about k eps, with room. */
function kernelTolerance(dtype: DType, k: number): number {
  return (dtype === 'f64' ? 4e-16 : 2.4e-7) * (4 + 2 * k);
}

/** A bound on |alpha op(A) op(B)| + |beta C|, the scale errors are measured against. */
function magnitude(a: Matrix, b: Matrix, transA: boolean, transB: boolean, alpha: number, beta: number, c?: Matrix): number {
  const absA = { ...a, data: Float64Array.from(a.data, Math.abs) };
  const absB = { ...b, data: Float64Array.from(b.data, Math.abs) };
  const absC = c ? { ...c, data: Float64Array.from(c.data, Math.abs) } : undefined;
  return maxAbs(naiveGemm(absA, absB, transA, transB, Math.abs(alpha), Math.abs(beta), absC));
}

export function registerBlasCases(suite: SuiteContext): void {
  for (const dtype of ['f64', 'f32'] as const) {
    suite.test(`gemmInto computes alpha op(A) op(B) + beta C for every transpose combination and odd shape (${dtype})`, async () => {
      const backend = await suite.backend();
      const rng = fixtureRng('gemm', dtype === 'f64' ? 0 : 1);
      for (const [m, k, n] of GEMM_SHAPES) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const a = gaussian(rng, transA ? k : m, transA ? m : k, dtype);
            const b = gaussian(rng, transB ? n : k, transB ? k : n, dtype);
            const c = gaussian(rng, m, n, dtype);
            const expected = naiveGemm(a, b, transA, transB, 0.75, -0.5, c);
            const scale = magnitude(a, b, transA, transB, 0.75, -0.5, c);
            await gemmInto(backend, a, b, c, { transA, transB, alpha: 0.75, beta: -0.5 });
            const error = maxAbsDiff(c.data, expected, m * n);
            assert.ok(error <= kernelTolerance(dtype, k) * scale, `${m}x${k}x${n} transA=${transA} transB=${transB}: error ${error}, scale ${scale}`);
          }
        }
      }
    });

    suite.test(`gemm returns a new op(A) op(B) in the operands' dtype (${dtype})`, async () => {
      const backend = await suite.backend();
      const rng = fixtureRng('gemm-new', dtype === 'f64' ? 0 : 1);
      const a = gaussian(rng, 9, 13, dtype);
      const b = gaussian(rng, 11, 13, dtype);
      const c = await gemm(backend, a, b, { transB: true, alpha: 2 });
      assert.equal(c.rows, 9);
      assert.equal(c.cols, 11);
      assert.equal(c.data instanceof Float64Array, dtype === 'f64');
      const expected = naiveGemm(a, b, false, true, 2, 0);
      assert.ok(maxAbsDiff(c.data, expected) <= kernelTolerance(dtype, 13) * magnitude(a, b, false, true, 2, 0));
    });

    suite.test(`gemmInto with beta 0 ignores NaN already in C (${dtype})`, async () => {
      const backend = await suite.backend();
      const rng = fixtureRng('gemm-nan-c');
      const a = gaussian(rng, 5, 6, dtype);
      const b = gaussian(rng, 6, 7, dtype);
      const c = zeros(5, 7, dtype);
      c.data.fill(Number.NaN);
      await gemmInto(backend, a, b, c, { beta: 0 });
      assert.ok(c.data.every((v) => Number.isFinite(v)));
    });

    suite.test(`syrk computes A A^T and A^T A with both triangles (${dtype})`, async () => {
      const backend = await suite.backend();
      const rng = fixtureRng('syrk', dtype === 'f64' ? 0 : 1);
      for (const [rows, cols] of [[1, 1], [0, 3], [3, 0], [37, 53], [70, 129], [129, 66]] as [number, number][]) {
        const a = gaussian(rng, rows, cols, dtype);
        for (const trans of [false, true]) {
          const c = await syrk(backend, a, { trans, alpha: 1.5 });
          const size = trans ? cols : rows;
          const k = trans ? rows : cols;
          assert.equal(c.rows, size);
          assert.equal(c.cols, size);
          const expected = naiveGemm(a, a, trans, !trans, 1.5, 0);
          const scale = magnitude(a, a, trans, !trans, 1.5, 0);
          const error = maxAbsDiff(c.data, expected, size * size);
          assert.ok(error <= kernelTolerance(dtype, k) * scale, `${rows}x${cols} trans=${trans}: error ${error}`);
          for (let i = 0; i < size; i++) for (let j = 0; j < i; j++) assert.equal(c.data[i * size + j], c.data[j * size + i]);
        }
      }
    });

    suite.test(`gemv computes op(A) x for both orientations (${dtype})`, async () => {
      const backend = await suite.backend();
      const rng = fixtureRng('gemv', dtype === 'f64' ? 0 : 1);
      for (const [rows, cols] of [[1, 1], [0, 4], [4, 0], [7, 3], [67, 129], [300, 17]] as [number, number][]) {
        const a = gaussian(rng, rows, cols, dtype);
        for (const trans of [false, true]) {
          const x = gaussian(rng, trans ? rows : cols, 1, dtype);
          const y = await gemv(backend, a, x.data, { trans, alpha: -0.5 });
          const expected = naiveGemm(a, x, trans, false, -0.5, 0);
          assert.equal(y.length, trans ? cols : rows);
          const k = trans ? rows : cols;
          const error = maxAbsDiff(y, expected);
          assert.ok(error <= kernelTolerance(dtype, k) * magnitude(a, x, trans, false, 0.5, 0), `${rows}x${cols} trans=${trans}: error ${error}`);
        }
      }
    });
  }

  suite.test('gemm rejects mismatched inner dimensions and mixed dtypes with an InputError', async () => {
    const backend = await suite.backend();
    await assert.rejects(gemm(backend, zeros(2, 3), zeros(4, 2)), (e: Error) => e instanceof InputError && /gemm: inner dimensions/.test(e.message));
    await assert.rejects(gemm(backend, zeros(2, 3), zeros(3, 2, 'f32')), (e: Error) => e instanceof InputError && /f32/.test(e.message));
    await assert.rejects(gemmInto(backend, zeros(2, 3), zeros(3, 2), zeros(3, 3)), (e: Error) => e instanceof InputError && /C is 3x3/.test(e.message));
    await assert.rejects(gemv(backend, zeros(2, 3), new Float64Array(2)), InputError);
  });

  suite.test('syrk and gemv agree with the js reference backend within 1e-13 (f64) / 1e-5 (f32) relative', async () => {
    const backend = await suite.backend();
    for (const dtype of ['f64', 'f32'] as const) {
      const tolerance = dtype === 'f64' ? 1e-13 : 1e-5;
      const a = gaussian(fixtureRng('blas-vs-js', dtype === 'f64' ? 0 : 1), 140, 95, dtype);
      for (const trans of [false, true]) {
        const ours = await syrk(backend, a, { trans });
        const theirs = await syrk(suite.reference(), a, { trans });
        assert.ok(maxAbsDiff(ours.data, theirs.data) <= tolerance * maxAbs(theirs.data) * 10, `syrk ${dtype} trans=${trans}`);
        const x = gaussian(fixtureRng('blas-vs-js-x'), trans ? 140 : 95, 1, dtype).data;
        const y = await gemv(backend, a, x, { trans });
        const yReference = await gemv(suite.reference(), a, x, { trans });
        assert.ok(maxAbsDiff(y, yReference) <= tolerance * maxAbs(yReference) * 10, `gemv ${dtype} trans=${trans}`);
      }
    }
  });

  suite.test('gemm agrees with the js reference backend on a larger random product within 1e-13 (f64) relative', async () => {
    const backend = await suite.backend();
    const rng = fixtureRng('gemm-vs-js');
    const a = gaussian(rng, 150, 140);
    const b = gaussian(rng, 150, 160);
    const ours = await gemm(backend, a, b, { transA: true });
    const reference = await gemm(suite.reference(), a, b, { transA: true });
    assert.ok(maxAbsDiff(ours.data, reference.data) <= 1e-13 * 150 * maxAbs(reference.data));
  });
}
