/**
 * The browser entry of the esdlab package (`import ... from 'esdlab'` under a bundler's `browser`
 * condition, or `esdlab/browser`): the numeric core only. Nothing reachable from here imports a
 * Node API (node:*), better-sqlite3 or resvg; `src/architecture.test.ts` keeps it that way.
 * It registers the js backend, so `loadBackend('auto')` works; the browser lab adds wasm.
 */
import { jsBackendFactory, registerBackend } from './linalg/index.js';

registerBackend(jsBackendFactory);

export * from './errors.js';
export * from './random/index.js';
export * from './linalg/index.js';
export * from './formats/index.js';
export * from './spectra/index.js';
export * from './model/index.js';
export * from './optim/index.js';
export * from './train/index.js';
export * from './experiments/index.js';
