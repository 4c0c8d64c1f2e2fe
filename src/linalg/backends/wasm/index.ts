/**
 * The wasm backend's factory: auto's second choice (after native), which loads wherever WebAssembly SIMD and
 * SharedArrayBuffer exist. It reads build/wasm/esdlab-kernels.wasm (compiled from assembly/ by
 * scripts/build-wasm.mjs during `npm run build`, which `npm ci` runs) relative to this module, so
 * the same file serves src/ (tests through tsx) and dist/ (the CLI). Node-only for now: workers are
 * node:worker_threads and the binary is read with node:fs.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { BackendUnavailableError, ConfigError } from '../../../errors.js';
import type { BackendFactory, BackendLoadOptions } from '../../registry.js';
import type { WasmKernels } from './kernels.js';
import { WasmBackend } from './wasmBackend.js';
import { WasmHeap } from './wasmHeap.js';
import { WorkerPool } from './workerPool.js';

/** Where scripts/build-wasm.mjs writes the kernels, from src/linalg/backends/wasm/ or dist/linalg/backends/wasm/. */
const KERNELS_URL = new URL('../../../../build/wasm/esdlab-kernels.wasm', import.meta.url);

/** (module (func (result v128) v128.const i32x4 0 0 0 0)): validates only where SIMD is supported. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

let compiled: Promise<WebAssembly.Module> | undefined;

async function compileKernels(): Promise<WebAssembly.Module> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(KERNELS_URL);
  } catch {
    throw new BackendUnavailableError(
      `the wasm kernels are not built (${KERNELS_URL.pathname} is missing); run \`npm run build\` (npm ci does it)`,
    );
  }
  return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
}

function checkRuntime(): void {
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(SIMD_PROBE)) {
    throw new BackendUnavailableError('this JavaScript runtime lacks WebAssembly SIMD, which the wasm backend needs; use Node >= 20 or a current browser');
  }
  if (typeof SharedArrayBuffer !== 'function' || typeof (Atomics as { waitAsync?: unknown }).waitAsync !== 'function') {
    throw new BackendUnavailableError(
      'this JavaScript runtime lacks SharedArrayBuffer or Atomics.waitAsync, which the wasm backend needs (in a browser, serve the page cross-origin isolated)',
    );
  }
}

/** Loads the wasm backend with `threads` workers (default: the machine's cores). */
async function load(options: BackendLoadOptions): Promise<WasmBackend> {
  checkRuntime();
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new ConfigError(`threads must be an integer from 1 to 256, got ${threads}`, 'threads');
  }
  compiled ??= compileKernels();
  let module: WebAssembly.Module;
  try {
    module = await compiled;
  } catch (error) {
    compiled = undefined;
    throw error;
  }
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
  const env = { memory, abort: () => { throw new Error('wasm kernel aborted'); } };
  const kernels = new WebAssembly.Instance(module, { env }).exports as unknown as WasmKernels;
  // Scratch regions: one per worker plus one for work run on the main thread, above a reserved first 64 KiB.
  const workBytes = Math.ceil(Math.max(kernels.gemmWorkBytes(4), kernels.gemmWorkBytes(8)) / 64) * 64;
  const heap = new WasmHeap(memory, 65536);
  const workPointers = Array.from({ length: threads + 1 }, () => heap.allocate(workBytes, 'thread scratch'));
  const arena = new WasmHeap(memory, heap.allocate(0, 'arena'));
  const pool = await WorkerPool.start(module, memory, workPointers.slice(0, threads));
  return new WasmBackend(kernels, arena, pool, workPointers[threads]!);
}

/** The wasm backend: WebAssembly SIMD kernels on worker threads; always available in Node >= 20. */
export const wasmBackendFactory: BackendFactory = {
  name: 'wasm',
  priority: 10,
  load,
};
