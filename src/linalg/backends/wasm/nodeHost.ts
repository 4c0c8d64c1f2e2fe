/**
 * The wasm backend's Node host: reads the kernels next to this module with node:fs, defaults to
 * the machine's cores, and runs kernel workers as worker_threads (the shared worker program,
 * eval'd as plain CommonJS whatever the parent's flags say).
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { BackendUnavailableError } from '../../../errors.js';
import { KERNEL_WORKER_FUNCTION } from './kernelWorkerSource.js';
import type { KernelThread, KernelWorkerData, KernelWorkerMessage } from './poolProtocol.js';
import { createWasmBackendFactory } from './index.js';
import { kernelsUrl, type WasmHost, type WasmVariant } from './wasmHost.js';

const nodeWorkerSource = `
const { parentPort, workerData } = require('node:worker_threads');
${KERNEL_WORKER_FUNCTION}
runKernelWorker(workerData, (message) => parentPort.postMessage(message));
`;

async function compileKernels(variant: WasmVariant): Promise<WebAssembly.Module> {
  const url = kernelsUrl(variant);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(url);
  } catch {
    throw new BackendUnavailableError(
      `the wasm kernels are not built (${url.pathname} is missing); run \`npm run build\` (npm ci does it)`,
    );
  }
  return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
}

function startThread(data: KernelWorkerData): KernelThread {
  const worker = new Worker(nodeWorkerSource, { eval: true, execArgv: [], workerData: data });
  return {
    onMessage: (listener) => worker.on('message', (message: KernelWorkerMessage) => listener(message)),
    onFailure: (listener) => {
      worker.on('error', listener);
      worker.once('exit', (code) => listener(new Error(`a wasm worker exited with code ${code}`)));
    },
    terminate: async () => {
      await worker.terminate();
    },
    hold: (isHeld) => (isHeld ? worker.ref() : worker.unref()),
  };
}

/** Node: file reads, worker_threads, every core by default; always cross-origin isolated in effect. */
export const nodeWasmHost: WasmHost = {
  compileKernels,
  defaultThreads: () => availableParallelism(),
  startThread,
  canShareMemory: () => true,
};

/** The wasm backend as Node loads it (registered by src/linalg/node.ts). */
export const wasmBackendFactory = createWasmBackendFactory(nodeWasmHost);
