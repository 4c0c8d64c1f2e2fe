import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, test } from 'node:test';
import { InputError, NumericalError } from '../../../errors.js';
import type { Backend, ResidentBlock } from '../../backend.js';
import { choleskyFactor, choleskySolve, gemm, solvePositiveDefinite, symmetricEigen, symmetricEigenProjection, symmetricEigenvalues, syrk } from '../../index.js';
import { fromArray, type FloatArray, type Matrix } from '../../matrix.js';
import { fixtureRng, gaussian, maxAbs, maxAbsDiff, naiveGemm, randomPositiveDefinite } from '../../testing/fixtures.js';
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

/** The backend's three kernels alone: linalg then runs its TypeScript Cholesky algorithm over them. */
function kernelsOnly(backend: Backend): Backend {
  return {
    name: backend.name,
    threads: backend.threads,
    gemm: (a, b, c, options) => backend.gemm(a, b, c, options),
    syrk: (a, c, options) => backend.syrk(a, c, options),
    gemv: (a, x, y, options) => backend.gemv(a, x, y, options),
  };
}

/** Indices where two arrays differ (-0 and 0 differ too). */
function differingEntries(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let count = x.length === y.length ? 0 : Math.abs(x.length - y.length);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (!Object.is(x[i], y[i])) count++;
  return count;
}

test('wasm Cholesky ops give the bits of the TypeScript algorithm over the wasm kernels (f64 and f32, n = 1 to 600, 1 to 30 right-hand sides)', async () => {
  const backend = await loaded;
  const typescriptPath = kernelsOnly(backend);
  // 300 with 30 columns runs the team and the solve tasks on the workers, the small ones run inline;
  // 600 makes the solve's products deeper than one gemm pass (KC = 256)
  for (const [index, n] of [1, 2, 63, 64, 65, 130, 300, 600].entries()) {
    for (const dtype of ['f64', 'f32'] as const) {
      const a = randomPositiveDefinite(n, dtype, 40 + index);
      const l = await choleskyFactor(backend, a);
      const expectedL = await choleskyFactor(typescriptPath, a);
      assert.equal(l.data.constructor, expectedL.data.constructor);
      assert.equal(differingEntries(l.data, expectedL.data), 0, `n=${n} ${dtype}: L`);
      for (const r of [1, 3, 13, 30]) {
        const b = gaussian(fixtureRng('wasm-chol-rhs', n * 100 + r), n, r, dtype);
        const expected = await choleskySolve(typescriptPath, expectedL, b);
        assert.equal(differingEntries((await choleskySolve(backend, l, b)).data, expected.data), 0, `n=${n} r=${r} ${dtype}: choleskySolve`);
        const fused = await solvePositiveDefinite(backend, a, b);
        assert.equal(differingEntries(fused.data, expected.data), 0, `n=${n} r=${r} ${dtype}: solvePositiveDefinite`);
      }
    }
  }
});

test('solvePositiveDefinite on the wasm backend takes its fused op for non-empty finite operands, else factor and solve', async () => {
  const backend = await loaded;
  const calls: string[] = [];
  const counting: Backend = {
    ...kernelsOnly(backend),
    choleskyFactor: (a) => (calls.push('factor'), backend.choleskyFactor!(a)),
    choleskySolve: (l, b) => (calls.push('solve'), backend.choleskySolve!(l, b)),
    solvePositiveDefinite: (a, b) => (calls.push('fused'), backend.solvePositiveDefinite!(a, b)),
  };
  const a = randomPositiveDefinite(5, 'f64', 1);
  await solvePositiveDefinite(counting, a, gaussian(fixtureRng('fused'), 5, 2));
  assert.deepEqual(calls.splice(0), ['fused']);
  await solvePositiveDefinite(counting, a, gaussian(fixtureRng('fused'), 5, 0));
  assert.deepEqual(calls.splice(0), ['factor']);
  const withNaN = gaussian(fixtureRng('fused'), 5, 1);
  withNaN.data[3] = Number.NaN;
  await assert.rejects(solvePositiveDefinite(counting, a, withNaN), (e: Error) => e instanceof InputError && /choleskySolve: B/.test(e.message));
  assert.deepEqual(calls.splice(0), ['factor']);
});

test('wasm choleskyFactor and solvePositiveDefinite throw the TypeScript path\'s NumericalError, word for word', async () => {
  const backend = await loaded;
  const typescriptPath = kernelsOnly(backend);
  const messageOf = async (call: Promise<unknown>): Promise<string> => {
    try {
      await call;
    } catch (error) {
      assert.ok(error instanceof NumericalError, String(error));
      return error.message;
    }
    return 'no error';
  };
  // first block, inline; first block; a block's first column and a later one, on the workers
  for (const [n, k] of [[3, 1], [70, 5], [300, 128], [300, 270]] as const) {
    const a = randomPositiveDefinite(n, 'f64', 9);
    if (n === 3) a.data.set([4, 2, 0, 2, 1, 0, 0, 0, 3]); // pivot 1 is 1 - (2 / 2)^2 = 0
    else a.data[k * n + k] = -40;
    const b = gaussian(fixtureRng('wasm-chol-error'), n, 2);
    const expected = await messageOf(choleskyFactor(typescriptPath, a));
    assert.match(expected, new RegExp(`pivot k = ${k} of n = ${n} is `));
    assert.equal(await messageOf(choleskyFactor(backend, a)), expected);
    assert.equal(await messageOf(solvePositiveDefinite(backend, a, b)), expected);
  }
});

test('wasm syrk mirrors its lower triangle on the workers: both triangles hold the same bits (n = 801, f32 and f64)', async () => {
  const backend = await loaded;
  const n = 801;
  for (const dtype of ['f64', 'f32'] as const) {
    const a = gaussian(fixtureRng('wasm-mirror', dtype === 'f64' ? 0 : 1), n, 9, dtype);
    const c = await syrk(backend, a);
    let asymmetric = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (!Object.is(c.data[i * n + j], c.data[j * n + i])) asymmetric++;
    assert.equal(asymmetric, 0, dtype);
    const error = maxAbsDiff(c.data, naiveGemm(a, a, false, true, 1, 0));
    assert.ok(error <= (dtype === 'f64' ? 1e-13 : 1e-5) * maxAbs(c.data), `${dtype}: error ${error}`);
  }
});

test('wasm reserved arrays are used in place: gemm, syrk, gemv and the elementwise kernels give the bits of the same calls on plain arrays', async () => {
  const backend = await loaded;
  const reserved = await backend.reserve!(4 * 1024 * 1024);
  assert.ok(reserved);
  const block: ResidentBlock = reserved;
  try {
    for (const dtype of ['f32', 'f64'] as const) {
      // resident copies of plain operands, large enough for the worker pool
      const plain = (rows: number, cols: number, seed: number) => {
        const m = filled(rows, cols, seed);
        return dtype === 'f32' ? { rows, cols, data: Float32Array.from(m.data) } : m;
      };
      const resident = (m: Matrix): Matrix => {
        const data: FloatArray = block.allocate(m.rows * m.cols, dtype);
        assert.ok(data.buffer instanceof SharedArrayBuffer && data.every((x) => x === 0), 'a zero-filled view of the shared memory');
        data.set(m.data);
        return { rows: m.rows, cols: m.cols, data };
      };
      const a = plain(170, 150, 1);
      const b = plain(150, 160, 2);
      const [ra, rb] = [resident(a), resident(b)];
      const expected = await gemm(backend, a, b, { alpha: 0.5 });
      const c = resident({ rows: 170, cols: 160, data: new Float64Array(170 * 160) });
      await backend.gemm(ra, rb, c, { alpha: 0.5, beta: 0 });
      assert.deepEqual(c.data, expected.data, `${dtype} gemm into a resident C`);
      // beta != 0 reads the resident C in place
      const cPlain = { rows: 170, cols: 160, data: expected.data.slice() };
      await backend.gemm(a, b, cPlain, { alpha: 1, beta: 2 });
      await backend.gemm(ra, rb, c, { alpha: 1, beta: 2 });
      assert.deepEqual(c.data, cPlain.data, `${dtype} gemm with beta 2 on a resident C`);
      const gram = resident({ rows: 150, cols: 150, data: new Float64Array(150 * 150) });
      await backend.syrk(ra, gram, { trans: true, alpha: 1, beta: 0 });
      assert.deepEqual(gram.data, (await syrk(backend, a, { trans: true })).data, `${dtype} syrk`);
      const x: FloatArray = block.allocate(150, dtype);
      x.set(b.data.subarray(0, 150));
      const y: FloatArray = block.allocate(170, dtype);
      const yPlain = dtype === 'f32' ? new Float32Array(170) : new Float64Array(170);
      await backend.gemv(ra, x, y, { alpha: 1, beta: 0 });
      const xPlain = x.slice();
      assert.ok(!(xPlain.buffer instanceof SharedArrayBuffer));
      await backend.gemv(a, xPlain, yPlain, { alpha: 1, beta: 0 });
      assert.deepEqual(y, yPlain, `${dtype} gemv`);
      if (dtype === 'f32') {
        // the training pass in place on a resident z
        const z = block.allocate(40 * 30, 'f32') as Float32Array;
        z.set(a.data.subarray(0, 1200));
        const zPlain = Float32Array.from(a.data.subarray(0, 1200));
        const w2 = Float32Array.from({ length: 30 }, (_, i) => Math.cos(i));
        const labels = Float64Array.from({ length: 40 }, (_, i) => Math.sin(i));
        const loss = backend.elementwise!.tanhBackwardF32(z, 40, 30, w2, labels, 0.2, null);
        const lossPlain = backend.elementwise!.tanhBackwardF32(zPlain, 40, 30, w2, labels, 0.2, null);
        assert.ok(Object.is(loss, lossPlain));
        assert.deepEqual(z, zPlain, 'tanhBackwardF32 in place');
      }
    }
    assert.throws(() => block.allocate(4 * 1024 * 1024, 'f64'), /full/);
  } finally {
    await block.release();
  }
  assert.throws(() => block.allocate(1, 'f32'), /released/);
  // the space is given back: the next reservation starts where this one did
  const first = await backend.reserve!(1024);
  const start = first!.allocate(1, 'f32').byteOffset;
  await first!.release();
  const second = await backend.reserve!(1024);
  assert.equal(second!.allocate(1, 'f32').byteOffset, start);
  await second!.release();
  // a size it cannot take (not an integer, or over its limit) is refused with null: the caller copies instead
  assert.equal(await backend.reserve!(Number.NaN), null);
  assert.equal(await backend.reserve!(2 ** 31), null);
});

test('WasmHeap reservations: only between calls, and the arena moves down once the reservations above are released', () => {
  const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }), 1024);
  assert.ok(heap.canReserve);
  const lower = heap.reserve(1000, 'lower').start;
  const upper = heap.reserve(1000, 'upper').start;
  assert.equal(lower, 1024);
  assert.ok(upper >= lower + 1000);
  const arenaAbove = heap.allocate(64, 'operand');
  assert.ok(arenaAbove >= upper + 1000, 'the arena starts above every reservation');
  assert.throws(() => heap.reserve(64, 'during a call'), /during a call/);
  heap.reset();
  heap.unreserve(lower);
  assert.ok(heap.allocate(64, 'operand') >= upper + 1000, 'a released reservation below a live one stays reserved');
  heap.reset();
  heap.unreserve(upper);
  assert.equal(heap.allocate(64, 'operand'), 1024, 'both released: the arena starts at its base again');
  heap.reset();
  // memory written before (by the arena here) is zeroed for a reservation's view; fresh memory is zero already
  const fresh = new WasmHeap(new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }), 1024);
  const used = fresh.allocate(256, 'operand');
  new Float32Array(fresh.memory.buffer, used, 64).fill(7);
  fresh.reset();
  const reservation = fresh.reserve(1024, 'view');
  assert.equal(reservation.start, used);
  assert.equal(reservation.clean, used + 256, 'memory above the highest block ever used is fresh');
  const view = fresh.residentView(reservation.start, 256, 'f32', reservation.clean);
  assert.ok(view.every((x) => x === 0), 'the reused part zeroed, the fresh part zero');
  assert.ok(fresh.isResident(view) && !fresh.isResident(new Float32Array(4)) && !heap.isResident(view));
  assert.equal(fresh.operand(view, 'x'), view.byteOffset, 'a resident operand is not copied');
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
