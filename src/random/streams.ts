import { Generator } from './generator.js';

/**
 * Independent named streams from one seed: stream(seed, 'data') and stream(seed, 'init') never
 * share draws, so adding draws to one (a bigger n, say) leaves the others unchanged. The name
 * (and an optional index, e.g. a repeat) is hashed with FNV-1a into the high seed half, xored
 * with the user seed's high bits; the user seed's low 32 bits form the low half.
 */
export function stream(seed: number, name: string, index = 0): Generator {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  let hash = 0x811c9dc5;
  const key = `${name}#${index}`;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const seedHigh = Math.floor(seed / 4294967296) >>> 0;
  const seedLow = seed >>> 0;
  return new Generator((hash ^ seedHigh) >>> 0, seedLow);
}
