/**
 * The Node entry of the esdlab package (`import { ... } from 'esdlab'` in Node): the core of
 * `./browser.ts`, with every backend Node can run registered (native where it was built, wasm, js),
 * plus the file readers of `io` (.npy, safetensors checkpoints, configs, run folders, analyze).
 * The results store, rendering and the CLI stay internal: use the `esdlab` command for those.
 */
export * from './browser.js';
export * from './linalg/node.js';
export * from './io/index.js';
