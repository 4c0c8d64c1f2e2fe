/**
 * Every backend's fused elementwise kernels (Backend.elementwise, src/linalg/backend.ts) give the
 * same bits as the TypeScript loops they replace: the training step's pass
 * (studentLossAndGradient), Adam's update, and the read-out features' tanh. Each case runs once
 * on the backend and once on the same backend with its kernels hidden (the loops), and compares
 * every stored element with Object.is. A backend that should have kernels and does not load is
 * skipped on a laptop and fails in CI (requireTool).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { loadBackend, zeros, type Backend, type FloatArray, type Matrix } from '../linalg/node.js';
import { createStudentWorkspace, studentLossAndGradient } from '../model/index.js';
import { Adam } from '../optim/index.js';
import { stream } from '../random/index.js';
import { requireTool } from '../testing/oracle.js';
import { readoutFeatures } from './evaluate.js';

const kernelBackends = ['native', 'wasm'] as const;

async function backendWithKernels(t: TestContext, name: string): Promise<Backend | null> {
  let backend: Backend | null = null;
  let why = '';
  try {
    backend = (await loadBackend(name, { threads: 2 })).backend;
  } catch (error) {
    why = (error as Error).message;
  }
  if (!requireTool(t, backend !== null, `the ${name} backend (${why})`)) return null;
  assert.ok(backend!.elementwise, `the ${name} backend has no elementwise kernels`);
  return backend;
}

/** The same backend with its fused kernels hidden: callers take their TypeScript loops. */
function withoutKernels(backend: Backend): Backend {
  return Object.create(backend, { elementwise: { value: undefined } }) as Backend;
}

function sameBits(actual: FloatArray, expected: FloatArray, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i]) && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      assert.fail(`${what}[${i}]: ${actual[i]} (kernel) vs ${expected[i]} (loop)`);
    }
  }
}

function f32Matrix(rows: number, cols: number, seed: string, scale: number): Matrix {
  const m = zeros(rows, cols, 'f32');
  stream(3, seed).fillNormal(m.data, 0, scale);
  return m;
}

for (const name of kernelBackends) {
  test(`${name}: the fused training pass equals studentLossAndGradient's loop bit for bit (with and without dL/da)`, async (t) => {
    const backend = await backendWithKernels(t, name);
    if (!backend) return;
    // odd sizes (vector epilogues), pre-activations large enough to hit tanhFast's clamp, one NaN row
    for (const [batch, h, d] of [[37, 29, 11], [64, 150, 100]] as const) {
      const x = f32Matrix(batch, d, `x${h}`, 3);
      const w = f32Matrix(h, d, `w${h}`, 1);
      const a = f32Matrix(1, h, `a${h}`, 1).data as Float32Array;
      const y = stream(3, `y${h}`).fillNormal(new Float64Array(batch));
      for (const gradA of [false, true]) {
        const fused = createStudentWorkspace(batch, h, d, 'f32');
        const loop = createStudentWorkspace(batch, h, d, 'f32');
        const lossFused = await studentLossAndGradient(backend, { w, a }, x, y, fused, gradA);
        const lossLoop = await studentLossAndGradient(withoutKernels(backend), { w, a }, x, y, loop, gradA);
        assert.ok(Object.is(lossFused, lossLoop), `loss ${lossFused} vs ${lossLoop}`);
        sameBits(fused.hidden.data, loop.hidden.data, 'D');
        sameBits(fused.gradW.data, loop.gradW.data, 'dL/dW');
        if (gradA) sameBits(fused.gradA, loop.gradA, 'dL/da');
      }
    }
    // NaN in the input propagates the same way
    const x = f32Matrix(5, 7, 'xnan', 1);
    x.data[8] = Number.NaN;
    const w = f32Matrix(6, 7, 'wnan', 1);
    const a = f32Matrix(1, 6, 'anan', 1).data as Float32Array;
    const y = new Float64Array(5).fill(0.5);
    const fused = createStudentWorkspace(5, 6, 7, 'f32');
    const loop = createStudentWorkspace(5, 6, 7, 'f32');
    const lossFused = await studentLossAndGradient(backend, { w, a }, x, y, fused, true);
    const lossLoop = await studentLossAndGradient(withoutKernels(backend), { w, a }, x, y, loop, true);
    assert.ok(Number.isNaN(lossFused) && Number.isNaN(lossLoop));
    sameBits(fused.hidden.data, loop.hidden.data, 'D with NaN');
  });

  test(`${name}: the fused Adam update equals Adam's loop bit for bit over several steps, f32 and f64, with weight decay`, async (t) => {
    const backend = await backendWithKernels(t, name);
    if (!backend) return;
    // wasm runs Adam only on arrays in its reserved memory (Backend.reserve) and declines others
    const block = name === 'wasm' ? await backend.reserve!(4 * 2 * 1001 * 8 * 2) : null;
    if (name === 'wasm') {
      assert.ok(block, 'the threaded wasm backend reserves memory');
      const plain = new Float32Array(4);
      assert.equal(backend.elementwise!.adam!(plain, plain, plain, plain, 4, 1, 1, 1, 0, 0.9, 0.999, 1e-8), false, 'wasm declines arrays outside its memory');
    }
    const place = (length: number, dtype: 'f32' | 'f64') => (block ? block.allocate(length, dtype) : zeros(1, length, dtype).data);
    try {
      for (const dtype of ['f32', 'f64'] as const) {
        const n = 1001;
        const make = (where: typeof place) => {
          const p = where(n, dtype);
          stream(5, `p${dtype}`).fillNormal(p);
          return p;
        };
        const pFused = make(place);
        const pLoop = make((length, type) => zeros(1, length, type).data);
        const fused = new Adam({ momentum: 0, weightDecay: 0.01 }, place);
        const loop = new Adam({ momentum: 0, weightDecay: 0.01 });
        const g = place(n, dtype);
        // the kernel must run every step (not decline to the loop) and give the loop's bits
        let kernelSteps = 0;
        const counting = {
          ...backend.elementwise!,
          adam: (...args: Parameters<NonNullable<NonNullable<Backend['elementwise']>['adam']>>) => {
            const ran = backend.elementwise!.adam!(...args);
            if (ran) kernelSteps++;
            return ran;
          },
        };
        for (let step = 0; step < 5; step++) {
          stream(5, `g${dtype}${step}`).fillNormal(g, 0, step === 2 ? 1e-6 : 1);
          if (step === 3) g.fill(0, 0, 10); // zero gradients: the eps path
          fused.step(pFused, g, 0.7, counting);
          loop.step(pLoop, g, 0.7);
          sameBits(pFused, pLoop, `${dtype} parameters after step ${step + 1}`);
        }
        assert.equal(kernelSteps, 5, `${dtype}: the kernel ran every step`);
        const sFused = fused.saveState().buffers;
        const sLoop = loop.saveState().buffers;
        sameBits(sFused.firstMoment!, sLoop.firstMoment!, `${dtype} m`);
        sameBits(sFused.secondMoment!, sLoop.secondMoment!, `${dtype} v`);
        if (block) {
          // the moments live in the block, so the fused update ran in place there
          assert.ok(sFused.firstMoment!.buffer instanceof SharedArrayBuffer, `${dtype} moments in the wasm memory`);
          // a NaN gradient entry propagates as in the loop
          g.fill(Number.NaN, 0, 3);
          fused.step(pFused, g, 0.7, backend.elementwise);
          loop.step(pLoop, g, 0.7);
          sameBits(pFused, pLoop, `${dtype} parameters after a NaN gradient`);
        }
      }
    } finally {
      await block?.release();
    }
  });

  test(`${name}: the read-out features' fused tanh equals the loop bit for bit`, async (t) => {
    const backend = await backendWithKernels(t, name);
    if (!backend) return;
    const x = f32Matrix(53, 40, 'rx', 4);
    const w = f32Matrix(31, 40, 'rw', 1);
    const fused = await readoutFeatures(backend, w, x, 1 / Math.sqrt(40));
    const loop = await readoutFeatures(withoutKernels(backend), w, x, 1 / Math.sqrt(40));
    sameBits(fused.data, loop.data, 'features');
  });
}
