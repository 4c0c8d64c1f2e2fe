/**
 * The wasm backend's browser host (pages and Web Workers): fetches the kernels next to this module
 * with WebAssembly.compileStreaming, defaults to navigator.hardwareConcurrency, and runs kernel
 * workers as classic Workers from a Blob URL of the shared worker program. Shared memory and so
 * worker threads need a cross-origin-isolated page; elsewhere the backend runs single-threaded on
 * the non-shared build.
 */
import { BackendUnavailableError } from '../../../errors.js';
import { KERNEL_WORKER_FUNCTION } from './kernelWorkerSource.js';
import type { KernelThread, KernelWorkerData, KernelWorkerMessage } from './poolProtocol.js';
import { kernelsUrl, type WasmHost, type WasmVariant } from './wasmHost.js';

const browserWorkerSource = `
${KERNEL_WORKER_FUNCTION}
self.onmessage = (event) => {
  self.onmessage = null;
  runKernelWorker(event.data, (message) => self.postMessage(message));
};
`;

let workerUrl: string | undefined;

async function compileKernels(variant: WasmVariant): Promise<WebAssembly.Module> {
  const url = kernelsUrl(variant);
  const response = await fetch(url);
  if (!response.ok) throw new BackendUnavailableError(`the wasm kernels could not be fetched from ${url.href} (HTTP ${response.status})`);
  if (typeof WebAssembly.compileStreaming === 'function' && response.headers.get('content-type')?.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

function startThread(data: KernelWorkerData): KernelThread {
  workerUrl ??= URL.createObjectURL(new Blob([browserWorkerSource], { type: 'text/javascript' }));
  const worker = new Worker(workerUrl, { name: `esdlab-wasm-${data.index}` });
  worker.postMessage(data);
  return {
    onMessage: (listener) => worker.addEventListener('message', (event: MessageEvent<KernelWorkerMessage>) => listener(event.data)),
    onFailure: (listener) => worker.addEventListener('error', (event) => listener(new Error(`a wasm worker failed: ${event.message}`))),
    terminate: async () => worker.terminate(),
  };
}

/** Browsers: fetch, Blob-URL Workers, shared memory only where the page is cross-origin isolated. */
export const browserWasmHost: WasmHost = {
  compileKernels,
  defaultThreads: () => Math.max(1, Math.min(8, globalThis.navigator?.hardwareConcurrency ?? 1)),
  startThread,
  canShareMemory: () => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
};
