/**
 * The browser entry of esdlab (package.json `exports` "browser" condition, and the web lab's
 * import): the numeric core, training and configs, spectra, byte codecs and the Vega-Lite spec
 * builders, with the wasm backend on its browser host (fetch + Web Workers) and the js backend
 * registered. Nothing reachable from here imports a Node built-in or a Node-only package;
 * src/architecture.test.ts walks the import graph to keep it so, and tsconfig.core.json
 * type-checks it without Node's types.
 */
import { registerBackend } from './linalg/index.js';
import { createWasmBackendFactory } from './linalg/backends/wasm/index.js';
import { browserWasmHost } from './linalg/backends/wasm/browserHost.js';

/** The wasm backend as a browser loads it: threads where the page is cross-origin isolated, else one. */
export const wasmBackendFactory = createWasmBackendFactory(browserWasmHost);
registerBackend(wasmBackendFactory);

export { wasmVariantFor } from './linalg/backends/wasm/index.js';
export { browserWasmHost } from './linalg/backends/wasm/browserHost.js';
export * from './errors.js';
export * from './linalg/index.js';
export * from './random/index.js';
export * from './formats/index.js';
export * from './spectra/index.js';
export * from './model/index.js';
export * from './optim/index.js';
export * from './train/index.js';
export * from './experiments/index.js';
export * from './report/specs.js';
