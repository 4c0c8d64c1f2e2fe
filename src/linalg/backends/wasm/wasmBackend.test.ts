import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, test } from 'node:test';
import { InputError } from '../../../errors.js';
import { gemm, symmetricEigen, symmetricEigenProjection, symmetricEigenvalues } from '../../index.js';
import { fromArray, type Matrix } from '../../matrix.js';
import { naiveGemm } from '../../testing/fixtures.js';
import { wasmBackendFactory } from './nodeHost.js';
import { WasmHeap } from './wasmHeap.js';

const loaded = wasmBackendFactory.load({ threads: 2 });
after(async () => (await loaded).dispose?.());

function filled(rows: number, cols: number, seed: number): Matrix<Float64Array> {
  return fromArray(rows, cols, Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(seed + i * 0.37)));
}

test('wasm backend runs concurrent gemm calls large enough for the worker pool, each with its own result', async () => {
  const backend = await loaded;
  assert.equal(backend.threads, 2);
  const cases = [filled(157, 131, 1), filled(131, 149, 2), filled(211, 131, 3)];
  const [p, q, r] = await Promise.all([gemm(backend, cases[0]!, cases[1]!), gemm(backend, cases[2]!, cases[1]!), gemm(backend, cases[0]!, cases[1]!)]);
  for (const [result, a] of [[p!, cases[0]!], [q!, cases[2]!], [r!, cases[0]!]] as const) {
    const expected = naiveGemm(a, cases[1]!, false, false, 1, 0);
    for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(result.data[i]! - expected[i]!) < 1e-12, `entry ${i}`);
  }
});

test('wasm backend computes eigenvalues of a matrix larger than one tridiagonalization panel', async () => {
  const backend = await loaded;
  const n = 150;
  // A = D + u u^T with known structure is hard to diagonalize by hand; use the trace and the Frobenius norm as invariants.
  const a = filled(n, n, 4);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[j * n + i] = a.data[i * n + j]!;
  const values = await symmetricEigenvalues(backend, a);
  let trace = 0;
  let frobenius = 0;
  for (let i = 0; i < n; i++) trace += a.data[i * n + i]!;
  for (const x of a.data) frobenius += x * x;
  assert.ok(Math.abs(values.reduce((s, x) => s + x, 0) - trace) < 1e-10);
  assert.ok(Math.abs(values.reduce((s, x) => s + x * x, 0) - frobenius) < 1e-9);
  for (let i = 1; i < n; i++) assert.ok(values[i]! >= values[i - 1]!);
});

test('wasm backend eigenvectors of a matrix spanning several panels and QL rotation batches satisfy A v = lambda v', async () => {
  const backend = await loaded;
  const n = 170;
  const a = filled(n, n, 5);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[j * n + i] = a.data[i * n + j]!;
  const { values, vectors } = await symmetricEigen(backend, a);
  let worst = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += a.data[i * n + k]! * vectors.data[k * n + j]!;
      worst = Math.max(worst, Math.abs(sum - values[j]! * vectors.data[i * n + j]!));
    }
  }
  const largest = Math.max(Math.abs(values[0]!), Math.abs(values[n - 1]!));
  assert.ok(worst <= 1e-12 * n * largest, `residual ${worst}`);
});

test('wasm symmetricEigenProjection is its own method (no eigenvectors): symmetricEigen\'s values bit for bit and |Q^T B| as the fallback, over several QL record batches', async () => {
  const backend = await loaded;
  assert.equal(typeof backend.symmetricEigenProjection, 'function');
  // the public op without the backend's method: symmetricEigen with vectors and the product
  const fallback = Object.create(backend, { symmetricEigenProjection: { value: undefined } }) as typeof backend;
  for (const n of [63, 64, 65, 300]) {
    const a = filled(n, n, 6 + n);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[j * n + i] = a.data[i * n + j]!;
    const b = filled(n, 2, 7 + n);
    const ours = await symmetricEigenProjection(backend, a, b);
    const theirs = await symmetricEigenProjection(fallback, a, b);
    assert.deepEqual(ours.values, theirs.values, `n=${n}: values`);
    assert.deepEqual(ours.values, (await symmetricEigen(backend, a)).values, `n=${n}: values of symmetricEigen`);
    let worst = 0;
    for (let i = 0; i < n * 2; i++) worst = Math.max(worst, Math.abs(Math.abs(ours.projections.data[i]!) - Math.abs(theirs.projections.data[i]!)));
    assert.ok(worst <= 1e-12 * Math.sqrt(n), `n=${n}: |projections| differ by ${worst}`);
  }
});

test('WasmHeap refuses an allocation past the 4 GiB wasm32 limit with an InputError naming the native backend', () => {
  const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }), 0);
  assert.throws(() => heap.allocate(5 * 2 ** 30, 'operand A'), (e: Error) => e instanceof InputError && /4 GiB/.test(e.message) && /native/.test(e.message));
});

test('a disposed wasm backend rejects further calls', async () => {
  const backend = await wasmBackendFactory.load({ threads: 1 });
  await backend.dispose?.();
  await assert.rejects(gemm(backend, filled(2, 2, 0), filled(2, 2, 1)), /disposed/);
});

test('a script awaiting only a wasm backend call stays alive for it, then exits without dispose', () => {
  const entry = new URL('./nodeHost.ts', import.meta.url).href;
  const script = `
    import { wasmBackendFactory } from ${JSON.stringify(entry)};
    const backend = await wasmBackendFactory.load({ threads: 2 });
    const n = 400;
    const a = { rows: n, cols: n, data: new Float64Array(n * n).fill(1) };
    const c = { rows: n, cols: n, data: new Float64Array(n * n) };
    await backend.gemm(a, a, c, {});
    console.log('result', c.data[0]);
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /result 400/);
});
