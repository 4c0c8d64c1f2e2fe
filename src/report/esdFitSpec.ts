/**
 * The ESD of one probe with its fits, on log-log axes: the histogram of log10 lambda, the
 * Marchenko-Pastur density fitted to it, the fitted power-law tail (alpha MLE-KS from xmin), and
 * rules at xmin and at the MP bulk edge. The web lab draws it live at every probe; `pinned`
 * overlays another run's ESD (the lab's compare mode).
 */
import { histogram, histogramRows, valueRange } from './histogram.js';
import { marchenkoPasturCurve } from './marchenkoPasturOverlay.js';
import { finiteOrNull, logDensityFloor, PANEL_HEIGHT, PANEL_WIDTH, pinnedRunName, titleBlock, topLevel } from './specParts.js';
import type { ProbeLike, StepMetricsLike, VegaLiteSpec } from './types.js';

const BINS = 50;
const LN10 = Math.log(10);

/** Points of the power-law density (alpha - 1) / xmin (lambda / xmin)^-alpha scaled to the tail fraction, per unit log10 lambda. */
function powerLawRows(alpha: number, xmin: number, tailFraction: number, high: number): VegaLiteSpec[] {
  const rows: VegaLiteSpec[] = [];
  const start = Math.log10(xmin);
  for (let k = 0; k <= 40; k++) {
    const x = start + ((high - start) * k) / 40;
    const lambda = 10 ** x;
    const density = tailFraction * ((alpha - 1) / xmin) * (lambda / xmin) ** -alpha * lambda * LN10;
    rows.push({ series: `power law α = ${alpha.toFixed(2)}`, x, density });
  }
  return rows;
}

/**
 * Log-log ESD of `probe` with MP overlay, power-law line and xmin / bulk-edge markers from
 * `metrics` (the probe's metrics record). `shape` is W's rows x cols (for the MP fit).
 */
export function esdFitSpec(
  probe: ProbeLike,
  metrics: StepMetricsLike | undefined,
  shape: { rows: number; cols: number } | undefined,
  pinned?: { label: string; probe: ProbeLike },
): VegaLiteSpec {
  const samples = pinned ? [probe.eigenvalues, pinned.probe.eigenvalues] : [probe.eigenvalues];
  const range = valueRange(samples, { log: true });
  const h = histogram(probe.eigenvalues, { bins: BINS, log: true, range });
  const bars: VegaLiteSpec[] = histogramRows(h).map((row) => ({ ...row }));
  const lines: VegaLiteSpec[] = [];
  if (pinned) {
    const other = histogram(pinned.probe.eigenvalues, { bins: BINS, log: true, range });
    for (const row of histogramRows(other)) lines.push({ series: pinnedRunName(pinned.label), x: row.binCenter, density: row.density });
  }
  const curve = shape ? marchenkoPasturCurve(probe.eigenvalues, shape.rows, shape.cols, 120) : null;
  if (curve !== null) {
    const fraction = Math.min(shape!.rows, shape!.cols) / Math.max(1, h.total);
    for (const point of curve.points) {
      if (point.lambda > 0 && point.density > 0) {
        lines.push({ series: 'Marchenko-Pastur fit', x: Math.log10(point.lambda), density: point.density * point.lambda * LN10 * fraction });
      }
    }
  }
  const alpha = finiteOrNull(metrics?.alpha_mle_ks);
  const xmin = finiteOrNull(metrics?.xmin_mle);
  if (alpha !== null && alpha > 1 && xmin !== null && xmin > 0 && h.total > 0) {
    let tail = 0;
    for (let i = 0; i < probe.eigenvalues.length; i++) if (probe.eigenvalues[i]! >= xmin) tail++;
    lines.push(...powerLawRows(alpha, xmin, tail / h.total, range[1]));
  }
  const markers: VegaLiteSpec[] = [];
  if (xmin !== null && xmin > 0) markers.push({ marker: 'xmin (MLE-KS)', x: Math.log10(xmin) });
  const edge = finiteOrNull(metrics?.mp_bulk_max);
  if (edge !== null && edge > 0) markers.push({ marker: 'MP bulk edge', x: Math.log10(edge) });
  const floor = logDensityFloor([...bars.map((r) => r['density'] as number), ...lines.map((r) => r['density'] as number)]);
  const visibleLines = lines.filter((r) => (r['density'] as number) >= floor);
  const x = { type: 'quantitative', title: 'log₁₀ λ', scale: { domain: range, nice: false } };
  const y = { type: 'quantitative', title: 'density (per unit log₁₀ λ)', scale: { type: 'log', domainMin: floor } };
  const layer: VegaLiteSpec[] = [
    {
      data: { values: bars },
      mark: { type: 'rect', color: '#4c78a8', opacity: 0.75 },
      encoding: { x: { field: 'binStart', ...x }, x2: { field: 'binEnd' }, y: { field: 'density', ...y }, y2: { datum: floor } },
    },
  ];
  if (visibleLines.length > 0) {
    layer.push({
      data: { values: visibleLines },
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: { field: 'x', ...x },
        y: { field: 'density', ...y },
        color: { field: 'series', type: 'nominal', title: null, scale: { range: ['#e45756', '#54a24b', '#b279a2'] }, legend: { orient: 'bottom' } },
      },
    });
  }
  if (markers.length > 0) {
    layer.push({
      data: { values: markers },
      mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        strokeDash: { field: 'marker', type: 'nominal', title: null, legend: { orient: 'bottom' } },
        color: { value: '#333' },
      },
    });
  }
  const subtitle = [
    `step ${probe.step}${metrics?.phase ? `, phase ${metrics.phase}` : ''}`,
    ...(alpha !== null ? [`α (MLE-KS) = ${alpha.toFixed(3)} from xmin = ${xmin?.toPrecision(4)}`] : []),
  ];
  return topLevel({ width: PANEL_WIDTH, height: PANEL_HEIGHT, layer, resolve: { scale: { color: 'independent' } } }, titleBlock('ESD of WᵀW (log-log) with fits', subtitle));
}
