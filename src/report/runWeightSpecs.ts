/**
 * Spec builders for the weights themselves: the entry histogram before and after training, the
 * update geometry's overlap heat maps and the update's singular values.
 */
import { histogram, histogramRows, summarizeSample } from './histogram.js';
import { finiteOrNull, logDensityFloor, overlaidLogHistogram, PANEL_HEIGHT, PANEL_WIDTH, sortedDescending, thinnedIndices, titleBlock, topLevel } from './specParts.js';
import type { MatrixLike, NumericArray, ProbeLike, VegaLiteSpec } from './types.js';

/** Bins of the weight-value histogram. */
const WEIGHT_BINS = 80;

/** Largest leading block of an overlap matrix that is drawn (cells per side). */
export const MAX_OVERLAP_BLOCK = 30;

/** The first rows*cols entries of a matrix's data (it may be a view into a larger buffer). */
function entries(m: MatrixLike): NumericArray {
  const length = m.rows * m.cols;
  const data = m.data as NumericArray & { subarray?: (a: number, b: number) => NumericArray };
  if (data.length === length) return data;
  return typeof data.subarray === 'function' ? data.subarray(0, length) : Array.prototype.slice.call(data, 0, length);
}

/**
 * Histograms of the entries of W before and after training on shared bins (log density, so the
 * tails show), binned here: a 1500 x 1000 W has 1.5M entries and Vega gets 2 x 80 rows.
 */
export function weightHistogramSpec(initialW: MatrixLike, finalW: MatrixLike, divergedAtStep?: number | null): VegaLiteSpec {
  const initialValues = entries(initialW);
  const finalValues = entries(finalW);
  const initialSummary = summarizeSample(initialValues);
  const finalSummary = summarizeSample(finalValues);
  const low = Math.min(initialSummary.low, finalSummary.low);
  const high = Math.max(initialSummary.high, finalSummary.high);
  const range: [number, number] = !Number.isFinite(low) ? [0, 1] : low === high ? [low - 0.5, high + 0.5] : [low, high];
  const rows: VegaLiteSpec[] = [];
  const stats: string[] = [];
  for (const [values, summary, label] of [
    [initialValues, initialSummary, 'initial W'],
    [finalValues, finalSummary, 'final W'],
  ] as const) {
    const h = histogram(values, { bins: WEIGHT_BINS, range });
    for (const row of histogramRows(h)) rows.push({ series: label, ...row });
    const nonFinite = summary.nonFinite > 0 ? `, ${summary.nonFinite} non-finite` : '';
    stats.push(`${label}: mean ${summary.mean.toPrecision(3)}, std ${summary.std.toPrecision(4)}${nonFinite}`);
  }
  const floor = logDensityFloor(rows.map((r) => r['density'] as number));
  const body = overlaidLogHistogram({
    rows,
    xTitle: 'weight value Wᵢⱼ',
    xDomain: range,
    series: ['initial W', 'final W'],
    legendOrient: 'top-right',
    floor,
    binTitle: 'from',
    binFormat: '.4g',
  });
  return topLevel(
    body,
    titleBlock('Weight values before and after training', [`${initialW.rows}×${initialW.cols} entries, ${WEIGHT_BINS} shared bins; ${stats.join('; ')}`], divergedAtStep),
  );
}

/** The overlap matrices a probe carries, with display labels. */
function overlapMatrices(probe: ProbeLike): { label: string; matrix: MatrixLike }[] {
  const o = probe.overlaps;
  if (!o) return [];
  const out: { label: string; matrix: MatrixLike }[] = [
    { label: 'left: W before vs M', matrix: o.leftOverlap },
    { label: 'right: W before vs M', matrix: o.rightOverlap },
  ];
  if (o.leftOverlapNext) out.push({ label: 'left: W after vs M', matrix: o.leftOverlapNext });
  if (o.rightOverlapNext) out.push({ label: 'right: W after vs M', matrix: o.rightOverlapNext });
  return out;
}

/**
 * Heat maps of the leading block (at most {@link MAX_OVERLAP_BLOCK} per side) of the squared
 * overlaps between singular vectors of W and of the update M = W_{t+1} - W_t (SPEC section 6),
 * one row per probe that carries overlaps. Returns null when no probe does.
 */
export function overlapsSpec(probes: readonly ProbeLike[]): VegaLiteSpec | null {
  const withOverlaps = probes.filter((p) => p.overlaps !== undefined);
  if (withOverlaps.length === 0) return null;
  // The update a probe carries runs from the previous probe (in step order) to it.
  const steps = probes.map((p) => p.step).sort((a, b) => a - b);
  const transition = (step: number): string => {
    const previous = steps.filter((s) => s < step).pop();
    return previous === undefined ? `step ${step}` : `steps ${previous}→${step}`;
  };
  const rows: { step: string; kind: string; row: number; column: number; i: number; j: number; i2: number; j2: number; value: number }[] = [];
  const kinds: string[] = [];
  for (const probe of withOverlaps) {
    for (const { label, matrix } of overlapMatrices(probe)) {
      if (!kinds.includes(label)) kinds.push(label);
      const block = Math.min(matrix.rows, matrix.cols, probe.overlaps?.blockSize ?? Infinity, MAX_OVERLAP_BLOCK);
      for (let i = 0; i < block; i++) {
        for (let j = 0; j < block; j++) {
          const value = finiteOrNull(matrix.data[i * matrix.cols + j]);
          // Cell k spans [k - 0.5, k + 0.5] so that the axis ticks sit at cell centres.
          if (value !== null) rows.push({ step: transition(probe.step), kind: label, row: i + 1, column: j + 1, i: i + 0.5, j: j + 0.5, i2: i + 1.5, j2: j + 1.5, value });
        }
      }
    }
  }
  const body = {
    data: { values: rows },
    facet: {
      row: { field: 'step', type: 'nominal', title: null, sort: withOverlaps.map((p) => transition(p.step)), header: { labelAngle: 0, labelAlign: 'left' } },
      column: { field: 'kind', type: 'nominal', title: null, sort: kinds },
    },
    spec: {
      width: 170,
      height: 170,
      mark: 'rect',
      encoding: {
        x: { field: 'j', type: 'quantitative', title: 'singular vector j of M', scale: { nice: false, zero: false }, axis: { tickMinStep: 1, format: 'd' } },
        x2: { field: 'j2' },
        y: { field: 'i', type: 'quantitative', title: 'singular vector i of W', scale: { nice: false, zero: false, reverse: true }, axis: { tickMinStep: 1, format: 'd' } },
        y2: { field: 'i2' },
        color: { field: 'value', type: 'quantitative', title: 'overlap²', scale: { scheme: 'viridis', domainMin: 0 } },
        tooltip: [
          { field: 'kind', type: 'nominal' },
          { field: 'row', type: 'quantitative', title: 'i (W)' },
          { field: 'column', type: 'quantitative', title: 'j (M)' },
          { field: 'value', type: 'quantitative', format: '.3f' },
        ],
      },
    },
  };
  return topLevel(
    body,
    titleBlock('Update geometry: squared overlaps of singular vectors', [
      'M = W(after) − W(before) between consecutive probes; cell (i, j) = (uᵢᵀ u′ⱼ)², singular vector i of W, j of M',
      'left: left singular vectors (U), right: right singular vectors (V); leading block',
    ]),
  );
}

/** The singular values of the update M at each probe that carries them (log y). Null when none does. */
export function updateSingularValuesSpec(probes: readonly ProbeLike[]): VegaLiteSpec | null {
  const rows: { step: number; index: number; singularValue: number }[] = [];
  for (const probe of probes) {
    const values = probe.overlaps?.updateSingularValues;
    if (values === undefined) continue;
    const sorted = sortedDescending(values);
    for (const i of thinnedIndices(sorted.length)) {
      if (sorted[i]! > 0) rows.push({ step: probe.step, index: i + 1, singularValue: sorted[i]! });
    }
  }
  if (rows.length === 0) return null;
  const body = {
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    data: { values: rows },
    mark: { type: 'line', point: { size: 12 } },
    encoding: {
      x: { field: 'index', type: 'quantitative', title: 'index i (descending)', scale: { type: 'log', nice: false } },
      y: { field: 'singularValue', type: 'quantitative', title: 'σᵢ(M) (log scale)', scale: { type: 'log' } },
      color: { field: 'step', type: 'ordinal', title: 'update ending at step', scale: { scheme: 'viridis' } },
    },
  };
  return topLevel(
    body,
    titleBlock('Singular values of the update M between probes', ['M = W(after) − W(before); a low-rank update shows as a few dominant values']),
  );
}
