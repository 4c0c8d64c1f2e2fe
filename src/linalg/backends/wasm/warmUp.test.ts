/**
 * The kernel warm-up (warmUp.ts): it runs every job without a trap, writes only inside its own
 * region and the thread's gemm scratch, and the copy embedded in the worker program (as source
 * text) is self-contained, so that a worker can run it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { KERNEL_WORKER_FUNCTION } from './kernelWorkerSource.js';
import { WARM_UP_BYTES, warmUpKernels } from './warmUp.js';
import { kernelsUrl } from './wasmHost.js';

async function singleInstance() {
  const module = await WebAssembly.compile(await readFile(kernelsUrl('single')));
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536 });
  const abort = () => {
    throw new Error('wasm kernel aborted');
  };
  const exports = new WebAssembly.Instance(module, { env: { memory, abort } }).exports as unknown as Parameters<typeof warmUpKernels>[0];
  return { exports, memory };
}

const WORK = 1 << 20;
const WORK_BYTES = 5 << 20;
const REGION = 8 << 20;

test('the warm-up runs every job and writes only inside its region and the gemm scratch', async () => {
  const { exports, memory } = await singleInstance();
  const bytes = new Uint8Array(memory.buffer);
  bytes.fill(0xa5);
  warmUpKernels(exports, memory, REGION, WORK, 0, 1);
  const outside = (at: number) => (at < WORK || at >= WORK + WORK_BYTES) && (at < REGION || at >= REGION + WARM_UP_BYTES);
  let changed = -1;
  for (let at = 0; at < bytes.length; at++) {
    if (outside(at) && bytes[at] !== 0xa5) {
      changed = at;
      break;
    }
  }
  assert.equal(changed, -1, `the warm-up wrote at byte ${changed}, outside its region and the scratch`);
  const region = new Float64Array(memory.buffer, REGION, WARM_UP_BYTES / 8);
  assert.ok(region.some((v) => v !== region[0]), 'the warm-up wrote its operands');
});

test('each share of the warm-up runs its own jobs, and the shares together run them all', async () => {
  const { exports, memory } = await singleInstance();
  const calls = new Map<string, number>();
  const counting = Object.fromEntries(
    Object.entries(exports).map(([name, fn]) => [name, (...args: number[]) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return (fn as (...a: number[]) => number | void)(...args);
    }]),
  );
  warmUpKernels(counting, memory, REGION, WORK, 0, 2);
  const first = new Set(calls.keys());
  calls.clear();
  warmUpKernels(counting, memory, REGION, WORK, 1, 2);
  const second = new Set(calls.keys());
  assert.deepEqual([...first].filter((name) => second.has(name)), []);
  const all = new Set([...first, ...second]);
  for (const name of ['gemmF32', 'gemmF64', 'gemvF32', 'gemvF64', 'tridiagonalizeTeam', 'tridiagonalQlTask', 'tridiagonalQlRecordTask', 'applySweepsTask', 'tanhBackwardF32', 'tanhScaleF32', 'adamF32', 'adamF64', 'choleskyTeam', 'choleskySolveTask', 'mirrorLowerF32', 'mirrorLowerF64']) {
    assert.ok(all.has(name), `${name} is warmed up`);
  }
});

test("the worker program's copy of the warm-up is self-contained and runs", async () => {
  const { exports, memory } = await singleInstance();
  const embedded = new Function(`${KERNEL_WORKER_FUNCTION}\nreturn warmUpKernels;`)() as typeof warmUpKernels;
  assert.doesNotThrow(() => embedded(exports, memory, REGION, WORK, 0, 1));
});
