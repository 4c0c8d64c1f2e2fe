export { Generator, deterministicLog, type GeneratorState } from './generator.js';
export { stream } from './streams.js';
