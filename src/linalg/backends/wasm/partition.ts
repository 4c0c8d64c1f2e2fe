/** A block of C: rows [rowStart, rowEnd) and columns [colStart, colEnd). */
export interface Block {
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly colStart: number;
  readonly colEnd: number;
}

/** Rows of a block are a multiple of this (lcm of the 6-row register tile and 8-value vectors). */
const GRAIN = 24;

/**
 * Splits an m x n product into about `parts` blocks along its longer side (so the operand each
 * block re-packs is the smaller one), each a multiple of GRAIN except the last.
 */
export function partitionProduct(m: number, n: number, parts: number): Block[] {
  const alongRows = m >= n;
  const length = alongRows ? m : n;
  const step = Math.max(GRAIN, Math.ceil(length / parts / GRAIN) * GRAIN);
  const blocks: Block[] = [];
  for (let start = 0; start < length; start += step) {
    const end = Math.min(length, start + step);
    blocks.push(alongRows ? { rowStart: start, rowEnd: end, colStart: 0, colEnd: n } : { rowStart: 0, rowEnd: m, colStart: start, colEnd: end });
  }
  return blocks;
}

/**
 * Blocks covering the lower triangle (diagonal blocks whole) of an n x n symmetric product: block row
 * [start, end) spans columns [0, end). Largest first, so workers that claim in order balance.
 */
export function partitionLowerTriangle(n: number, parts: number): Block[] {
  // Equal-work rows would shrink towards the bottom; equal heights with many blocks are simpler and balance well enough.
  const step = Math.max(GRAIN * 2, Math.ceil(n / (parts * 2) / GRAIN) * GRAIN);
  const blocks: Block[] = [];
  for (let start = 0; start < n; start += step) {
    const end = Math.min(n, start + step);
    blocks.push({ rowStart: start, rowEnd: end, colStart: 0, colEnd: end });
  }
  return blocks.reverse();
}

/** Splits [0, length) into about `parts` ranges whose starts are multiples of `grain`. */
export function partitionRange(length: number, parts: number, grain: number): [number, number][] {
  const step = Math.max(grain, Math.ceil(length / parts / grain) * grain);
  const ranges: [number, number][] = [];
  for (let start = 0; start < length; start += step) ranges.push([start, Math.min(length, start + step)]);
  return ranges;
}
