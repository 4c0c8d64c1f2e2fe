/**
 * Node entry of the numeric core: registers every backend Node can run, highest priority first
 * under 'auto': native (OpenBLAS/LAPACKE addon, where it was built), wasm (always), js (reference).
 * Browser code imports src/linalg/index.ts and registers wasm/js itself.
 */
import { registerBackend } from './registry.js';
import { nativeBackendFactory } from './backends/native/index.js';
import { wasmBackendFactory } from './backends/wasm/index.js';
import { jsBackendFactory } from './backends/js/index.js';

registerBackend(nativeBackendFactory);
registerBackend(wasmBackendFactory);
registerBackend(jsBackendFactory);

export * from './index.js';
