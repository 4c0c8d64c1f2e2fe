import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBackend, zeros, type Matrix } from '../linalg/node.js';
import { stream } from '../random/index.js';
import { createStudentWorkspace, meanSquaredError, studentLossAndGradient, studentPredict } from './student.js';

const { backend } = await loadBackend('js');

function randomMatrix(rows: number, cols: number, name: string): Matrix {
  const m = zeros(rows, cols, 'f64');
  stream(1, name).fillNormal(m.data);
  return m;
}

const n = 7;
const d = 5;
const h = 4;
const x = randomMatrix(n, d, 'x');
const y = stream(1, 'y').fillNormal(new Float64Array(n));
const w = randomMatrix(h, d, 'w');
const a = stream(1, 'a').fillNormal(new Float64Array(h));

async function loss(wData: Float64Array, aData: Float64Array): Promise<number> {
  return meanSquaredError(await studentPredict(backend, { w: { rows: h, cols: d, data: wData }, a: aData }, x), y);
}

test('studentLossAndGradient returns the MSE (no 1/2) and dL/dW, dL/da that match central finite differences', async () => {
  const workspace = createStudentWorkspace(n, h, d, 'f64');
  const value = await studentLossAndGradient(backend, { w, a }, x, y, workspace, true);
  assert.ok(Math.abs(value - (await loss(w.data as Float64Array, a))) < 1e-14);
  const step = 1e-6;
  for (let i = 0; i < h * d; i++) {
    const plus = Float64Array.from(w.data);
    const minus = Float64Array.from(w.data);
    plus[i]! += step;
    minus[i]! -= step;
    const numeric = ((await loss(plus, a)) - (await loss(minus, a))) / (2 * step);
    assert.ok(Math.abs(numeric - workspace.gradW.data[i]!) < 1e-8, `dL/dW[${i}]: ${numeric} vs ${workspace.gradW.data[i]}`);
  }
  for (let j = 0; j < h; j++) {
    const plus = Float64Array.from(a);
    const minus = Float64Array.from(a);
    plus[j]! += step;
    minus[j]! -= step;
    const numeric = ((await loss(w.data as Float64Array, plus)) - (await loss(w.data as Float64Array, minus))) / (2 * step);
    assert.ok(Math.abs(numeric - workspace.gradA[j]!) < 1e-8, `dL/da[${j}]: ${numeric} vs ${workspace.gradA[j]}`);
  }
});

test('studentLossAndGradient on a smaller batch than the workspace uses 2/B for that batch', async () => {
  const workspace = createStudentWorkspace(n, h, d, 'f64');
  const batch = { rows: 3, cols: d, data: x.data.subarray(0, 3 * d) };
  const full = createStudentWorkspace(3, h, d, 'f64');
  const value = await studentLossAndGradient(backend, { w, a }, batch, y.subarray(0, 3), workspace, false);
  const reference = await studentLossAndGradient(backend, { w, a }, batch, y.subarray(0, 3), full, false);
  assert.equal(value, reference);
  assert.deepEqual(workspace.gradW.data, full.gradW.data);
});

test('studentLossAndGradient in f32 agrees with f64 to f32 accuracy', async () => {
  const toF32 = (m: Matrix): Matrix => ({ rows: m.rows, cols: m.cols, data: Float32Array.from(m.data) });
  const workspace64 = createStudentWorkspace(n, h, d, 'f64');
  const workspace32 = createStudentWorkspace(n, h, d, 'f32');
  const loss64 = await studentLossAndGradient(backend, { w, a }, x, y, workspace64, true);
  const loss32 = await studentLossAndGradient(backend, { w: toF32(w), a: Float32Array.from(a) }, toF32(x), y, workspace32, true);
  assert.ok(Math.abs(loss64 - loss32) < 1e-5 * Math.max(1, loss64));
  for (let i = 0; i < h * d; i++) assert.ok(Math.abs(workspace64.gradW.data[i]! - workspace32.gradW.data[i]!) < 1e-5);
});
