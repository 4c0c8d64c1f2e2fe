export type * from './optimizer.js';
export * from './gradientDescent.js';
export * from './adam.js';
export * from './createOptimizer.js';
export * from './stepLr.js';
export * from './weightNormalization.js';
