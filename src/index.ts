/**
 * The Node entry of the esdlab package (`import { ... } from 'esdlab'` in Node): the core layers
 * (linalg ops and `loadBackend`, with every backend Node can run registered: native where it was
 * built, wasm, js), spectra fits and diagnosis, models, optimizers, training, config parsing and
 * `runExperiment`, the Vega-Lite spec builders, and the file readers of `io` (.npy, safetensors
 * and torch checkpoints, configs, run folders, analyze). It shares `core.ts` with `browser.ts` but
 * not browser.ts itself, whose wasm backend is the browser's (fetch and Web Workers). The
 * results store, rendering and the CLI stay internal: the `esdlab` command is their interface.
 */
export * from './core.js';
export * from './linalg/node.js';
export * from './io/index.js';
