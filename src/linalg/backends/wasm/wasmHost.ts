/**
 * What the wasm backend needs from its environment, so that index.ts itself touches no platform
 * API: Node's host (nodeHost.ts) reads files and starts worker_threads, the browser's
 * (browserHost.ts) fetches and starts Workers.
 */
import type { StartKernelThread } from './poolProtocol.js';

/**
 * The two builds of the kernels (scripts/build-wasm.mjs): `shared` imports a shared memory and
 * runs on worker threads; `single` imports a plain memory and runs on the calling thread only,
 * for pages that are not cross-origin isolated (no SharedArrayBuffer there).
 */
export type WasmVariant = 'shared' | 'single';

/** The platform hooks of the wasm backend. */
export interface WasmHost {
  /** Loads and compiles one build of the kernels; throws BackendUnavailableError if it is missing. */
  compileKernels(variant: WasmVariant): Promise<WebAssembly.Module>;
  /** Worker threads to start when the caller does not say. */
  defaultThreads(): number;
  /** Starts one kernel worker (shared build only). */
  startThread: StartKernelThread;
  /** Whether SharedArrayBuffer may be used here (a browser page must be cross-origin isolated). */
  canShareMemory(): boolean;
}

/** Where the build of `variant` lies: next to this module (src/ and dist/ alike; bundlers copy it as an asset). */
export function kernelsUrl(variant: WasmVariant): URL {
  return variant === 'shared'
    ? new URL('./esdlab-kernels.wasm', import.meta.url)
    : new URL('./esdlab-kernels-single.wasm', import.meta.url);
}
