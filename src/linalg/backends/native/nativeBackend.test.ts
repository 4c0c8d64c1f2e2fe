/**
 * The native backend's methods called directly (below the public ops' checks): every kernel
 * against naive loops, with alpha/beta and both dtypes, plus numpy, error reporting, edge shapes,
 * queueing, and that a long call leaves the event loop free. Skipped on a laptop without the
 * built addon, failed in CI (requireTool). The shared suite runs in native.test.ts.
 */
import { test } from 'node:test';
import { symmetricEigenvalues } from '../../eigen.js';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { InputError, NumericalError } from '../../../errors.js';
import type { Backend } from '../../backend.js';
import type { DType, FloatArray, Matrix } from '../../matrix.js';
import { findNumpyPython, requireTool, runPython } from '../../../testing/oracle.js';
import { fixtureRng, gaussian, naiveGemm, randomSymmetric } from '../../testing/fixtures.js';
import { nativeBackendFactory } from './index.js';

let loaded: Promise<Backend | Error> | undefined;
function loadOnce(): Promise<Backend | Error> {
  loaded ??= nativeBackendFactory.load({ threads: 2 }).catch((error: unknown) => error as Error);
  return loaded;
}

/** The backend, or null after skipping (laptop) / throwing (CI) when the addon is not built. */
async function nativeOrSkip(t: TestContext): Promise<Backend | null> {
  const result = await loadOnce();
  if (!requireTool(t, !(result instanceof Error), `the native addon (${result instanceof Error ? result.message : ''})`)) return null;
  return result as Backend;
}

/** Seeded N(0, 1) test data from the shared fixtures. */
function randomMatrix(rows: number, cols: number, dtype: DType, seed: number): Matrix {
  return gaussian(fixtureRng('native-backend', seed), rows, cols, dtype);
}

/** Naive op(A) op(B) in f64. */
function naiveProduct(a: Matrix, b: Matrix, transA: boolean, transB: boolean): Float64Array {
  return naiveGemm(a, b, transA, transB, 1, 0);
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance * scale, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function symmetric(n: number, dtype: DType, seed: number): Matrix {
  return randomSymmetric(fixtureRng('native-backend-symmetric', seed), n, dtype);
}

const tolerances: Record<DType, number> = { f32: 1e-4, f64: 1e-12 };

for (const dtype of ['f32', 'f64'] as const) {
  test(`native gemm(${dtype}) matches naive loops for every transpose, with alpha and beta`, async (t) => {
    const backend = await nativeOrSkip(t);
    if (!backend) return;
    const [m, k, n] = [7, 5, 3];
    for (const transA of [false, true]) for (const transB of [false, true]) {
      const a = randomMatrix(transA ? k : m, transA ? m : k, dtype, 1);
      const b = randomMatrix(transB ? n : k, transB ? k : n, dtype, 2);
      const c = randomMatrix(m, n, dtype, 3);
      const expected = naiveProduct(a, b, transA, transB).map((v, i) => 2 * v + 0.5 * c.data[i]!);
      await backend.gemm(a, b, c, { transA, transB, alpha: 2, beta: 0.5 });
      assertClose(c.data, expected, tolerances[dtype], `gemm ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`);
    }
  });

  test(`native syrk(${dtype}) writes both triangles of A A^T and A^T A`, async (t) => {
    const backend = await nativeOrSkip(t);
    if (!backend) return;
    const a = randomMatrix(6, 4, dtype, 4);
    for (const trans of [false, true]) {
      const size = trans ? 4 : 6;
      const c = { rows: size, cols: size, data: dtype === 'f32' ? new Float32Array(size * size) : new Float64Array(size * size) };
      await backend.syrk(a, c, { trans, alpha: 1, beta: 0 });
      assertClose(c.data, naiveProduct(a, a, trans, !trans), tolerances[dtype], `syrk trans=${trans}`);
    }
  });

  test(`native gemv(${dtype}) computes A x and A^T x`, async (t) => {
    const backend = await nativeOrSkip(t);
    if (!backend) return;
    const a = randomMatrix(5, 3, dtype, 5);
    for (const trans of [false, true]) {
      const x = randomMatrix(trans ? 5 : 3, 1, dtype, 6);
      const y = randomMatrix(trans ? 3 : 5, 1, dtype, 7);
      const expected = naiveProduct(a, x, trans, false).map((v, i) => 3 * v - y.data[i]!);
      await backend.gemv(a, x.data, y.data, { trans, alpha: 3, beta: -1 });
      assertClose(y.data, expected, tolerances[dtype], `gemv trans=${trans}`);
    }
  });

  test(`native choleskyFactor and choleskySolve(${dtype}) solve a positive definite system`, async (t) => {
    const backend = await nativeOrSkip(t);
    if (!backend) return;
    const n = 9;
    const x = randomMatrix(n, n, dtype, 8);
    const product = naiveProduct(x, x, false, true);
    const a: Matrix = { rows: n, cols: n, data: dtype === 'f32' ? Float32Array.from(product) : product };
    for (let i = 0; i < n; i++) a.data[i * n + i]! += n;
    const l = await backend.choleskyFactor!(a);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) assert.equal(l.data[i * n + j], 0, 'upper triangle is zero');
    assertClose(naiveProduct(l, l, false, true), a.data, tolerances[dtype] * 10, 'L L^T');
    const b = randomMatrix(n, 2, dtype, 9);
    const solution = await backend.choleskySolve!(l, b);
    assertClose(naiveProduct(a, solution, false, false), b.data, tolerances[dtype] * 100, 'A X = B');
  });

  test(`native symmetricEigen(${dtype}) returns ascending values and column eigenvectors`, async (t) => {
    const backend = await nativeOrSkip(t);
    if (!backend) return;
    const n = 12;
    const a = symmetric(n, dtype, 10);
    const { values, vectors } = await backend.symmetricEigen!(a, { vectors: true });
    assert.ok(values instanceof Float64Array && vectors);
    for (let j = 1; j < n; j++) assert.ok(values[j - 1]! <= values[j]!);
    const av = naiveProduct(a, vectors, false, false);
    const vl = Float64Array.from(vectors.data, (v, i) => v * values[i % n]!);
    assertClose(av, vl, tolerances[dtype] * 10, 'A V = V diag(values)');
    const identity = Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
    assertClose(naiveProduct(vectors, vectors, true, false), identity, tolerances[dtype] * 10, 'V^T V = I');
    const valuesOnly = await backend.symmetricEigen!(a, { vectors: false });
    assert.equal(valuesOnly.vectors, undefined);
    assertClose(valuesOnly.values, values, tolerances[dtype] * 10, 'values without vectors');
  });

  for (const [m, n] of [[8, 5], [4, 7]] as const) {
    test(`native singularValueDecomposition(${dtype}) of ${m}x${n} reconstructs A from thin U, values, Vt`, async (t) => {
      const backend = await nativeOrSkip(t);
      if (!backend) return;
      const a = randomMatrix(m, n, dtype, 11);
      const { values, u, vt } = await backend.singularValueDecomposition!(a, { vectors: true });
      const k = Math.min(m, n);
      assert.ok(u && vt && u.rows === m && u.cols === k && vt.rows === k && vt.cols === n);
      for (let j = 1; j < k; j++) assert.ok(values[j - 1]! >= values[j]!);
      const us = { rows: m, cols: k, data: Float64Array.from(u.data, (v, i) => v * values[i % k]!) };
      assertClose(naiveProduct(us, vt, false, false), a.data, tolerances[dtype] * 10, 'U S Vt = A');
      const valuesOnly = await backend.singularValueDecomposition!(a, { vectors: false });
      assertClose(valuesOnly.values, values, tolerances[dtype] * 10, 'values without vectors');
    });
  }
}

test('native eigenvalues and singular values match numpy on random matrices', async (t) => {
  const backend = await nativeOrSkip(t);
  if (!backend || !requireTool(t, findNumpyPython() !== null, 'python3 with numpy')) return;
  const a = symmetric(40, 'f64', 12);
  const b = randomMatrix(30, 20, 'f64', 13);
  const expected = runPython<{ eigenvalues: number[]; singularValues: number[] }>(
    `import sys, json, numpy as np
d = json.load(sys.stdin)
a = np.array(d['a']).reshape(40, 40); b = np.array(d['b']).reshape(30, 20)
print(json.dumps({'eigenvalues': np.linalg.eigvalsh(a).tolist(), 'singularValues': np.linalg.svd(b, compute_uv=False).tolist()}))`,
    { a: Array.from(a.data), b: Array.from(b.data) },
  );
  assertClose((await backend.symmetricEigen!(a, { vectors: false })).values, expected.eigenvalues, 1e-12, 'eigvalsh');
  assertClose((await backend.singularValueDecomposition!(b, { vectors: false })).values, expected.singularValues, 1e-12, 'svd');
});

test('native choleskyFactor names the failing pivot of a matrix that is not positive definite', async (t) => {
  const backend = await nativeOrSkip(t);
  if (!backend) return;
  const a: Matrix = { rows: 3, cols: 3, data: new Float64Array([4, 0, 0, 0, 1, 2, 0, 2, 1]) };
  await assert.rejects(backend.choleskyFactor!(a), (error: unknown) => error instanceof NumericalError && /pivot 2/.test(error.message));
});

test('native LAPACK calls reject NaN input with an InputError (the values-only eigensolver through the public op)', async (t) => {
  const backend = await nativeOrSkip(t);
  if (!backend) return;
  const a: Matrix = { rows: 2, cols: 2, data: new Float64Array([1, Number.NaN, Number.NaN, 1]) };
  await assert.rejects(backend.symmetricEigen!(a, { vectors: true }), InputError);
  // the values-only kernel skips LAPACKE's NaN scan (the public op has checked already)
  await assert.rejects(symmetricEigenvalues(backend, a), InputError);
});

test('native kernels accept 1x1 and empty matrices', async (t) => {
  const backend = await nativeOrSkip(t);
  if (!backend) return;
  const one: Matrix = { rows: 1, cols: 1, data: new Float64Array([4]) };
  assert.deepEqual(Array.from((await backend.symmetricEigen!(one, { vectors: true })).values), [4]);
  assert.deepEqual(Array.from((await backend.choleskyFactor!(one)).data), [2]);
  const empty: Matrix = { rows: 0, cols: 0, data: new Float64Array(0) };
  assert.equal((await backend.symmetricEigen!(empty, { vectors: true })).values.length, 0);
  const wide: Matrix = { rows: 0, cols: 3, data: new Float64Array(0) };
  assert.equal((await backend.singularValueDecomposition!(wide, { vectors: true })).values.length, 0);
  const c: Matrix = { rows: 2, cols: 2, data: new Float64Array([1, 1, 1, 1]) };
  await backend.gemm({ rows: 2, cols: 0, data: new Float64Array(0) }, { rows: 0, cols: 2, data: new Float64Array(0) }, c, { beta: 3 });
  assert.deepEqual(Array.from(c.data), [3, 3, 3, 3]);
});

test('native calls queued together all resolve with their own results', async (t) => {
  const backend = await nativeOrSkip(t);
  if (!backend) return;
  const cases = Array.from({ length: 8 }, (_, i) => ({ a: randomMatrix(6, 6, 'f64', 20 + i), c: randomMatrix(6, 6, 'f64', 0) }));
  await Promise.all(cases.map(({ a, c }) => backend.gemm(a, a, c, { transB: true })));
  for (const { a, c } of cases) assertClose(c.data, naiveProduct(a, a, false, true), 1e-12, 'queued gemm');
});

test('a long native symmetricEigen leaves the event loop free (an immediate runs before it settles)', async (t) => {
  const backend = await nativeOrSkip(t);
  if (!backend) return;
  const a = symmetric(1000, 'f64', 30);
  const events: string[] = [];
  const pending = backend.symmetricEigen!(a, { vectors: true }).then(() => events.push('eigen settled'));
  await new Promise<void>((resolve) => setImmediate(() => {
    events.push('immediate ran');
    resolve();
  }));
  await pending;
  assert.deepEqual(events, ['immediate ran', 'eigen settled']);
});

test('loadNativeBinding says the addon is not built and how to enable it when the file is missing', async () => {
  const { loadNativeBinding } = await import('./binding.js');
  const { BackendUnavailableError } = await import('../../../errors.js');
  assert.throws(() => loadNativeBinding('/nonexistent/esdlab_native.node'), (error: unknown) =>
    error instanceof BackendUnavailableError && /not built/.test(error.message) && /npm run build:native/.test(error.message));
});

test('native syrk, symmetricEigen and singularValueDecomposition handle sizes past the 64-element tiles of their copies', async (t) => {
  const backend = await nativeOrSkip(t);
  if (!backend) return;
  const a = randomMatrix(150, 70, 'f64', 40);
  const c = { rows: 150, cols: 150, data: new Float64Array(150 * 150) };
  await backend.syrk(a, c, { trans: false, alpha: 1, beta: 0 });
  assertClose(c.data, naiveProduct(a, a, false, true), 1e-12, 'syrk 150x70');
  const s = symmetric(130, 'f64', 41);
  const { values, vectors } = await backend.symmetricEigen!(s, { vectors: true });
  assertClose(naiveProduct(s, vectors!, false, false), Float64Array.from(vectors!.data, (v, i) => v * values[i % 130]!), 1e-11, 'A V = V diag(values), n=130');
  for (const [m, n] of [[150, 70], [70, 150]] as const) {
    const x = randomMatrix(m, n, 'f64', 42);
    const svd = await backend.singularValueDecomposition!(x, { vectors: true });
    const k = Math.min(m, n);
    const us = { rows: m, cols: k, data: Float64Array.from(svd.u!.data, (v, i) => v * svd.values[i % k]!) };
    assertClose(naiveProduct(us, svd.vt!, false, false), x.data, 1e-12, `U S Vt = A, ${m}x${n}`);
  }
});
