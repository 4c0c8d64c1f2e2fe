/**
 * Small building blocks shared by the run and sweep spec builders: the top-level frame, titles,
 * the divergence annotation, number cleaning. Pure functions returning plain JSON.
 */
import type { NumericArray, VegaLiteSpec } from './types.js';

/** The Vega-Lite schema the specs are written against. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Colour used for divergence annotations. */
export const DIVERGED_COLOR = '#c0392b';

/** Default size of one panel, in pixels. */
export const PANEL_WIDTH = 420;
export const PANEL_HEIGHT = 260;

/**
 * Shared config: white background (PNGs are not transparent), readable sizes. ARIA descriptions
 * are off: vega-lite would otherwise attach a generated description expression to every mark
 * item, which doubles the SVG size and the parse time; tooltips carry the same information.
 */
export const BASE_CONFIG = {
  aria: false,
  background: 'white',
  padding: 8,
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  // Legend labels such as "step 5 (last probe before divergence)" must not be cut off at vega's default 160 px.
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
  title: { fontSize: 14, subtitleFontSize: 11, anchor: 'start', subtitlePadding: 4 },
  header: { labelFontSize: 12, titleFontSize: 12 },
};

/** The run names of a comparison (the lab's compare mode): this run (solid) and the pinned one (dashed, outlined). */
export const CURRENT_RUN = 'this run';
export function pinnedRunName(label: string): string {
  return `pinned: ${label}`;
}

/** A title with an optional subtitle; when `divergedAtStep` is set the subtitle says so, in red. */
export function titleBlock(text: string, subtitle: string[] = [], divergedAtStep?: number | null): VegaLiteSpec {
  const lines = [...subtitle];
  const isDiverged = divergedAtStep !== undefined && divergedAtStep !== null;
  if (isDiverged) lines.unshift(`DIVERGED at step ${divergedAtStep}: a NaN/Inf loss or weight; later values are missing`);
  const title: VegaLiteSpec = { text };
  if (lines.length > 0) title['subtitle'] = lines;
  if (isDiverged) title['subtitleColor'] = DIVERGED_COLOR;
  return title;
}

/** Wraps a view (or composition) into a top-level spec with schema, config and title. */
export function topLevel(body: VegaLiteSpec, title: VegaLiteSpec): VegaLiteSpec {
  return { $schema: VEGA_LITE_SCHEMA, title, config: BASE_CONFIG, ...body };
}

/** A finite number, or null (JSON has no NaN; Vega filters nulls on continuous scales). */
export function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * A layer drawing a dashed red vertical rule at the divergence step, with a label.
 * `field` is the x field name used by the other layers of the chart.
 */
export function divergenceRuleLayers(step: number, field: string): VegaLiteSpec[] {
  const data = { values: [{ [field]: step, label: `diverged (step ${step})` }] };
  return [
    {
      data,
      mark: { type: 'rule', color: DIVERGED_COLOR, strokeDash: [6, 4], strokeWidth: 2 },
      encoding: { x: { field, type: 'quantitative' } },
    },
    {
      data,
      // Written upwards along the left side of the rule, so it covers a narrow strip, not the curves.
      mark: { type: 'text', color: DIVERGED_COLOR, angle: 270, align: 'right', baseline: 'bottom', dx: -4, dy: -3, fontWeight: 'bold' },
      encoding: { x: { field, type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } },
    },
  ];
}

/**
 * The base of histogram bars on a log-density axis: the lowest positive density divided by
 * `divisor`, rounded down to a power of ten. Vega rounds a log axis outward to powers of ten, so
 * a power-of-ten base is exactly the axis bottom and the bars stand on it instead of floating
 * above it. 1e-6 when no density is positive.
 */
export function logDensityFloor(densities: Iterable<number | null | undefined>, divisor = 2): number {
  let low = Infinity;
  for (const d of densities) if (typeof d === 'number' && d > 0 && d < low) low = d;
  if (low === Infinity) return 1e-6;
  return 10 ** Math.floor(Math.log10(low / divisor));
}

/** Whether a log axis makes sense: all values positive and spanning at least a factor `minRatio`. */
export function shouldUseLogScale(values: (number | null)[], minRatio = 10): boolean {
  let low = Infinity;
  let high = -Infinity;
  let count = 0;
  for (const value of values) {
    if (value === null) continue;
    if (value <= 0) return false;
    low = Math.min(low, value);
    high = Math.max(high, value);
    count++;
  }
  return count > 0 && high / low >= minRatio;
}

/** Values sorted descending, non-finite dropped. */
export function sortedDescending(values: NumericArray): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) out.push(values[i]!);
  return out.sort((a, b) => b - a);
}

/**
 * Indices 0..length-1 thinned to about `maxPoints`: the first `headCount` (spikes live there)
 * and then an even stride, always including the last. Keeps plots light for long spectra.
 */
export function thinnedIndices(length: number, maxPoints = 400, headCount = 20): number[] {
  if (length <= maxPoints) return Array.from({ length }, (_, i) => i);
  const out: number[] = [];
  const head = Math.min(headCount, length);
  for (let i = 0; i < head; i++) out.push(i);
  const stride = (length - head) / Math.max(1, maxPoints - head);
  for (let t = head; t < length; t += stride) {
    const i = Math.round(t);
    if (i > out[out.length - 1]! && i < length) out.push(i);
  }
  if (out[out.length - 1] !== length - 1) out.push(length - 1);
  return out;
}

/** Arithmetic mean and sample standard deviation (0 for a single value) of the finite values; null when none. */
export function meanAndStd(values: (number | null | undefined)[]): { mean: number; std: number; count: number } | null {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (finite.length === 0) return null;
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const variance =
    finite.length > 1 ? finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (finite.length - 1) : 0;
  return { mean, std: Math.sqrt(variance), count: finite.length };
}

/** What distinguishes one overlaid two-series log-density histogram from another. */
export interface OverlaidHistogramOptions {
  /** Rows with series, binStart, binEnd, density and count (histogramRows plus a series label). */
  readonly rows: Record<string, unknown>[];
  readonly xTitle: string;
  readonly xDomain: readonly [number, number];
  /** The two series labels, drawn blue then orange. */
  readonly series: readonly [string, string];
  readonly legendOrient: 'top-left' | 'top-right';
  /** Bottom of the bars on the log axis (logDensityFloor of the densities). */
  readonly floor: number;
  /** Tooltip title and d3 format of binStart. */
  readonly binTitle: string;
  readonly binFormat: string;
}

/** Two histograms overlaid as translucent bars on a log-density axis (the ESD and weight plots). */
export function overlaidLogHistogram(options: OverlaidHistogramOptions): VegaLiteSpec {
  return {
    width: PANEL_WIDTH + 100,
    height: PANEL_HEIGHT,
    data: { values: options.rows },
    mark: { type: 'rect', opacity: 0.55 },
    encoding: {
      x: { field: 'binStart', type: 'quantitative', title: options.xTitle, scale: { domain: options.xDomain, nice: false } },
      x2: { field: 'binEnd' },
      y: { field: 'density', type: 'quantitative', title: 'density (log scale)', scale: { type: 'log' } },
      y2: { datum: options.floor },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        sort: [...options.series],
        scale: { range: ['#4c78a8', '#f58518'] },
        legend: { orient: options.legendOrient },
      },
      tooltip: [
        { field: 'series', type: 'nominal' },
        { field: 'binStart', title: options.binTitle, format: options.binFormat },
        { field: 'count', type: 'quantitative' },
      ],
    },
  };
}
