export * from './matrix.js';
export type * from './backend.js';
export * from './registry.js';
