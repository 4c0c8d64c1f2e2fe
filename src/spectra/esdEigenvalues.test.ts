import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../errors.js';
import { copy, fromArray, transpose, zeros } from '../linalg/index.js';
import { createJsBackend } from '../linalg/backends/js/index.js';
import { findNumpyPython, requireTool, runPython } from '../testing/oracle.js';
import { esdEigenvalues, smallerGram } from './esdEigenvalues.js';
import { gaussianMatrix } from './testing/matrices.js';

const backend = createJsBackend();

test('esdEigenvalues returns min(h, d) ascending eigenvalues of W^T W summing to ||W||_F^2', async () => {
  for (const [rows, cols] of [
    [30, 20],
    [20, 30],
    [17, 17],
  ] as const) {
    const w = gaussianMatrix(rows, cols, rows + cols);
    const eigenvalues = await esdEigenvalues(backend, w);
    assert.equal(eigenvalues.length, Math.min(rows, cols));
    for (let i = 1; i < eigenvalues.length; i++) assert.ok(eigenvalues[i]! >= eigenvalues[i - 1]!);
    let frobenius = 0;
    for (const v of w.data) frobenius += v * v;
    const sum = eigenvalues.reduce((a, v) => a + v, 0);
    assert.ok(Math.abs(sum - frobenius) < 1e-10 * frobenius);
    // W and W^T have the same ESD.
    const transposed = await esdEigenvalues(backend, transpose(w));
    for (let i = 0; i < eigenvalues.length; i++) assert.ok(Math.abs(eigenvalues[i]! - transposed[i]!) < 1e-9 * eigenvalues.at(-1)!);
  }
});

test('esdEigenvalues agrees with numpy eigvalsh of the Gram matrix', async (t) => {
  if (!requireTool(t, findNumpyPython() !== null, 'python3 with numpy/scipy')) return;
  const w = gaussianMatrix(40, 25, 3);
  const expected = runPython<number[]>(
    'import sys, json, numpy as np\nw = np.array(json.load(sys.stdin)).reshape(40, 25)\nprint(json.dumps(np.linalg.eigvalsh(w.T @ w).tolist()))',
    Array.from(w.data),
  );
  const eigenvalues = await esdEigenvalues(backend, w);
  expected.forEach((value, i) => assert.ok(Math.abs(eigenvalues[i]! - value) < 1e-10 * expected.at(-1)!, `eigenvalue ${i}`));
});

test('esdEigenvalues computes an f32 matrix in f64, block by block, equal to the f64 path', async () => {
  for (const [rows, cols] of [
    [50, 12],
    [12, 50],
  ] as const) {
    const w32 = copy(gaussianMatrix(rows, cols, 7), 'f32');
    const w64 = copy(w32, 'f64');
    const exact = await smallerGram(backend, w64);
    const blocked = await smallerGram(backend, w32, 100); // blocks of a few rows/columns
    assert.equal(exact.rows, Math.min(rows, cols));
    for (let i = 0; i < exact.data.length; i++) assert.ok(Math.abs(exact.data[i]! - blocked.data[i]!) < 1e-12 * Math.abs(exact.data[0]!));
    const fromF32 = await esdEigenvalues(backend, w32);
    const fromF64 = await esdEigenvalues(backend, w64);
    assert.ok(fromF32 instanceof Float64Array);
    for (let i = 0; i < fromF32.length; i++) assert.ok(Math.abs(fromF32[i]! - fromF64[i]!) < 1e-10 * fromF64.at(-1)!);
  }
});

test('esdEigenvalues clips round-off negatives of a rank-deficient W to zero', async () => {
  const w = zeros(6, 4);
  for (let i = 0; i < 6; i++) for (let j = 0; j < 4; j++) w.data[i * 4 + j] = (i + 1) * (j % 2 === 0 ? 1 : 0.3); // rank 1
  const eigenvalues = await esdEigenvalues(backend, w);
  assert.ok(eigenvalues.every((v) => v >= 0));
  assert.ok(eigenvalues[2]! < 1e-12 * eigenvalues[3]!);
});

test('esdEigenvalues rejects empty matrices and NaN/Inf entries with InputError', async () => {
  await assert.rejects(esdEigenvalues(backend, zeros(0, 3)), InputError);
  await assert.rejects(esdEigenvalues(backend, fromArray(2, 2, Float64Array.of(1, Number.NaN, 0, 1))), /NaN/);
  await assert.rejects(esdEigenvalues(backend, fromArray(1, 2, Float32Array.of(1, Infinity))), InputError);
});
