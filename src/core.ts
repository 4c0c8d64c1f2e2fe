/**
 * The platform-free core that both package entries export (`index.ts` for Node, `browser.ts` for
 * the browser): errors, random streams, linalg ops and the backend registry (no backend registered
 * here: each entry registers its own), byte codecs, spectra, models, optimizers, training, configs
 * and `runExperiment`, and the Vega-Lite spec builders.
 */
export * from './errors.js';
export * from './random/index.js';
export * from './linalg/index.js';
export * from './formats/index.js';
export * from './spectra/index.js';
export * from './model/index.js';
export * from './optim/index.js';
export * from './train/index.js';
export * from './experiments/index.js';
export * from './report/specs.js';
