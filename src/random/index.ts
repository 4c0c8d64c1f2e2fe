export { Generator, deterministicLog } from './generator.js';
export { stream } from './streams.js';
