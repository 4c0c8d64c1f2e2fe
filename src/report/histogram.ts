import { InputError } from '../errors.js';
import type { NumericArray } from './types.js';

/** Options of {@link histogram}. */
export interface HistogramOptions {
  /** Number of equal-width bins (default 60). */
  bins?: number;
  /** Bin log10(value) instead of value; non-positive values are then dropped (default false). */
  log?: boolean;
  /**
   * [low, high] of the binned coordinate (log10 units when `log`). Values outside are dropped.
   * Default: the finite (positive when `log`) data's range, widened by 0.5 on each side when
   * all values are equal, [0, 1] when there are none. Give the same range to compare histograms.
   */
  range?: readonly [number, number];
}

/** Equal-width histogram of a sample. */
export interface Histogram {
  /** bins + 1 ascending bin edges in the binned coordinate (log10 units when `isLog10`). */
  edges: Float64Array;
  /** Count per bin; bin k is [edges[k], edges[k+1]), the last bin also holds its right edge. */
  counts: Float64Array;
  /** counts / (total * bin width): integrates to 1 over the binned coordinate (0 when total = 0). */
  density: Float64Array;
  /** Number of values counted into bins. */
  total: number;
  /** Values left out: NaN, infinite, non-positive under `log`, or outside `range`. */
  dropped: number;
  /** Whether the binned coordinate is log10(value). */
  isLog10: boolean;
}

/**
 * Bins a sample into equal-width bins, in TypeScript, so that plots receive a few dozen rows
 * instead of millions of points (a 1500 x 1000 weight matrix has 1.5M values).
 * NaN and infinite values are skipped and counted in `dropped`, never an error.
 */
export function histogram(values: NumericArray, options: HistogramOptions = {}): Histogram {
  const bins = options.bins ?? 60;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new InputError(`histogram bins must be a positive integer, got ${bins}`);
  }
  const isLog10 = options.log ?? false;
  const [low, high] = options.range ?? valueRange([values], { log: isLog10 });
  if (!(Number.isFinite(low) && Number.isFinite(high) && high > low)) {
    throw new InputError(`histogram range must be two finite numbers with low < high, got [${low}, ${high}]`);
  }
  const width = (high - low) / bins;
  const edges = new Float64Array(bins + 1);
  for (let k = 0; k <= bins; k++) edges[k] = low + k * width;
  edges[bins] = high;
  const counts = new Float64Array(bins);
  let total = 0;
  let dropped = 0;
  for (let i = 0; i < values.length; i++) {
    const raw = values[i]!;
    const x = isLog10 ? (raw > 0 ? Math.log10(raw) : Number.NaN) : raw;
    // Written so that NaN fails the test too.
    if (!(x >= low && x <= high)) {
      dropped++;
      continue;
    }
    let k = Math.floor((x - low) / width);
    if (k >= bins) k = bins - 1;
    if (k < 0) k = 0;
    counts[k]!++;
    total++;
  }
  const density = new Float64Array(bins);
  if (total > 0) for (let k = 0; k < bins; k++) density[k] = counts[k]! / (total * width);
  return { edges, counts, density, total, dropped, isLog10 };
}

/**
 * The [min, max] over several samples of the finite values (of log10 of the positive ones when
 * `log`), widened to [v - 0.5, v + 0.5] when all are equal and [0, 1] when there are none: a
 * shared `range` for {@link histogram} so that overlaid histograms use the same bins.
 */
export function valueRange(samples: readonly NumericArray[], options: { log?: boolean } = {}): [number, number] {
  const isLog10 = options.log ?? false;
  let low = Infinity;
  let high = -Infinity;
  for (const values of samples) {
    for (let i = 0; i < values.length; i++) {
      const raw = values[i]!;
      const x = isLog10 ? (raw > 0 ? Math.log10(raw) : Number.NaN) : raw;
      if (!Number.isFinite(x)) continue;
      if (x < low) low = x;
      if (x > high) high = x;
    }
  }
  if (low === Infinity) return [0, 1];
  if (low === high) return [low - 0.5, high + 0.5];
  return [low, high];
}

/** Range, mean and standard deviation of the finite values of a sample, from one pass. */
export interface SampleSummary {
  /** Smallest and largest finite value (Infinity and -Infinity when there are none). */
  low: number;
  high: number;
  /** Number of finite values and of the others (NaN, infinite). */
  count: number;
  nonFinite: number;
  /** Mean and population standard deviation of the finite values (NaN when there are none). */
  mean: number;
  std: number;
}

/** One pass over a sample: what a weight histogram needs for its range and its caption. */
export function summarizeSample(values: NumericArray): SampleSummary {
  let low = Infinity;
  let high = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) continue;
    if (x < low) low = x;
    if (x > high) high = x;
    sum += x;
    sumSquares += x * x;
    count++;
  }
  const mean = count > 0 ? sum / count : Number.NaN;
  const std = count > 0 ? Math.sqrt(Math.max(0, sumSquares / count - mean * mean)) : Number.NaN;
  return { low, high, count, nonFinite: values.length - count, mean, std };
}

/** One bin as a plotting row: edges, centre, count and density; `density` is null for empty bins (log axes). */
export interface HistogramRow {
  binStart: number;
  binEnd: number;
  binCenter: number;
  count: number;
  density: number | null;
}

/**
 * The histogram as plain rows for a plot. With `shouldKeepEmpty` false (the default) empty bins
 * are left out, which a log-density axis needs; with true they stay with density 0.
 */
export function histogramRows(h: Histogram, shouldKeepEmpty = false): HistogramRow[] {
  const rows: HistogramRow[] = [];
  for (let k = 0; k < h.counts.length; k++) {
    const count = h.counts[k]!;
    if (count === 0 && !shouldKeepEmpty) continue;
    const binStart = h.edges[k]!;
    const binEnd = h.edges[k + 1]!;
    rows.push({ binStart, binEnd, binCenter: (binStart + binEnd) / 2, count, density: h.density[k]! });
  }
  return rows;
}
