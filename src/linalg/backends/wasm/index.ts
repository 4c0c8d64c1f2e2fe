/**
 * The wasm backend's factory: auto's second choice (after native), which loads wherever WebAssembly SIMD exists.
 * Platform access goes through a WasmHost (wasmHost.ts): Node's (nodeHost.ts, registered by
 * src/linalg/node.ts) reads the kernels with node:fs and starts worker_threads; the browser's
 * (browserHost.ts, registered by src/browser.ts) fetches them and starts Workers. The build is
 * chosen at load time: the shared-memory build on worker threads where SharedArrayBuffer and
 * Atomics.waitAsync may be used (Node, cross-origin-isolated pages), else the single-thread build
 * on the calling thread.
 */
import { BackendUnavailableError, ConfigError } from '../../../errors.js';
import type { BackendFactory, BackendLoadOptions } from '../../registry.js';
import type { WasmKernels } from './kernels.js';
import { WasmBackend } from './wasmBackend.js';
import { WasmHeap } from './wasmHeap.js';
import type { WasmHost, WasmVariant } from './wasmHost.js';
import { WorkerPool } from './workerPool.js';
import { WARM_UP_BYTES, warmUpKernels } from './warmUp.js';

export type { WasmHost, WasmVariant } from './wasmHost.js';

/** (module (func (result v128) v128.const i32x4 0 0 0 0)): validates only where SIMD is supported. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

/** The build this runtime can run: shared memory needs SharedArrayBuffer, Atomics.waitAsync and the host's consent. */
export function wasmVariantFor(host: WasmHost): WasmVariant {
  const hasShared = typeof SharedArrayBuffer === 'function' && typeof (Atomics as { waitAsync?: unknown }).waitAsync === 'function';
  return hasShared && host.canShareMemory() ? 'shared' : 'single';
}

function checkRuntime(): void {
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(SIMD_PROBE)) {
    throw new BackendUnavailableError('this JavaScript runtime lacks WebAssembly SIMD, which the wasm backend needs; use Node >= 20 or a current browser');
  }
}

/**
 * A wasm backend factory over `host`. With the shared build it starts `threads` workers (default:
 * the host's), with the single-thread build none (then `threads` is ignored: everything runs on the
 * calling thread).
 */
export function createWasmBackendFactory(host: WasmHost): BackendFactory {
  const compiled = new Map<WasmVariant, Promise<WebAssembly.Module>>();
  async function load(options: BackendLoadOptions): Promise<WasmBackend> {
    checkRuntime();
    const variant = wasmVariantFor(host);
    const requested = options.threads ?? host.defaultThreads();
    if (!Number.isInteger(requested) || requested < 1 || requested > 256) {
      throw new ConfigError(`threads must be an integer from 1 to 256, got ${requested}`, 'threads');
    }
    const threads = variant === 'shared' ? requested : 0;
    if (!compiled.has(variant)) compiled.set(variant, host.compileKernels(variant));
    let module: WebAssembly.Module;
    try {
      module = await compiled.get(variant)!;
    } catch (error) {
      compiled.delete(variant);
      throw error;
    }
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: variant === 'shared' });
    const env = { memory, abort: () => { throw new Error('wasm kernel aborted'); } };
    const kernels = new WebAssembly.Instance(module, { env }).exports as unknown as WasmKernels;
    // Scratch regions: one per worker plus one for work run on the main thread, above a reserved first 64 KiB.
    const workBytes = Math.ceil(Math.max(kernels.gemmWorkBytes(4), kernels.gemmWorkBytes(8)) / 64) * 64;
    const heap = new WasmHeap(memory, 65536);
    const workPointers = Array.from({ length: threads + 1 }, () => heap.allocate(workBytes, 'thread scratch'));
    const warmUpPointers = Array.from({ length: Math.max(threads, 1) }, () => heap.allocate(WARM_UP_BYTES, 'warm-up operands'));
    const arena = new WasmHeap(memory, heap.allocate(0, 'arena'));
    const pool = threads > 0 ? await WorkerPool.start(host.startThread, module, memory, workPointers.slice(0, threads), warmUpPointers) : null;
    // the single-thread build warms up on the calling thread, at once (a few ms)
    if (!pool) warmUpKernels(kernels as unknown as Parameters<typeof warmUpKernels>[0], memory, warmUpPointers[0]!, workPointers[threads]!, 0, 1);
    return new WasmBackend(kernels, arena, pool, workPointers[threads]!);
  }
  return { name: 'wasm', priority: 10, load };
}
