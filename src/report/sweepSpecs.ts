/**
 * The sweep figures of the paper (issue 5): final metrics against log10(lr) for bulk_lr, losses
 * against step per value for bulk_losses (mean +- std over repeats), final ESDs overlaid, and a
 * status grid. Diverged and failed cells are drawn as markers with a legend entry, never as gaps.
 */
import { DIVERGED_COLOR, meanAndStd, shouldUseLogScale, titleBlock, topLevel } from './specParts.js';
import { finalEsdSpec } from './sweepFinalEsdSpec.js';
import {
  finalStep,
  groupBy,
  metricValue,
  numericParam,
  optimizerLabel,
  paramLabel,
  sortedParamValues,
  statusCounts,
  sweepLayout,
} from './sweepAggregate.js';
import type { StepMetricsLike, SweepReportData, SweepRunLike, VegaLiteSpec } from './types.js';

type MetricKey = keyof StepMetricsLike;

/** The six panels of the bulk_lr figure. */
const BULK_LR_METRICS: { key: MetricKey; title: string; isLoss: boolean }[] = [
  { key: 'train_loss', title: 'final train loss', isLoss: true },
  { key: 'test_loss', title: 'final test loss', isLoss: true },
  { key: 'kta', title: 'final KTA', isLoss: false },
  { key: 'alignment', title: 'final sim(W, β*)', isLoss: false },
  { key: 'alpha_hill', title: 'final α Hill', isLoss: false },
  { key: 'alpha_mle_ks', title: 'final α MLE-KS', isLoss: false },
];

/** An X drawn as an SVG path (vega's built-in 'cross' is a plus sign), and a down triangle. */
const STATUS_SHAPE: Record<string, string> = { diverged: 'M-1,-1L1,1M-1,1L1,-1', failed: 'triangle-down' };

/** The shape scale for the statuses present (legend entries only for what happened). */
function statusShapeScale(statuses: readonly string[]): VegaLiteSpec {
  const domain = ['diverged', 'failed'].filter((s) => statuses.includes(s));
  return { domain, range: domain.map((s) => STATUS_SHAPE[s]!) };
}

interface BandRow {
  series: string;
  x: number;
  mean: number;
  lower: number;
  upper: number;
  count: number;
}

interface MarkerRow {
  series: string;
  x: number;
  status: 'diverged' | 'failed';
  label: string;
  markerY: number;
}

/**
 * One panel: mean line with points, a mean +- std band, and status markers in a strip at the top
 * of the panel (pixel y, so they show whatever the metric's scale). On a log axis the band's lower
 * edge is clamped to half the smallest positive value.
 */
function bandPanel(
  bands: BandRow[],
  markers: MarkerRow[],
  options: { title: string; xTitle: string; yTitle: string; isLogY: boolean; seriesOrder: string[]; statuses: string[] },
): VegaLiteSpec {
  const isLogY = options.isLogY && shouldUseLogScale(bands.map((b) => b.mean), 1);
  let floor = Infinity;
  for (const b of bands) if (b.mean > 0) floor = Math.min(floor, b.mean, b.lower > 0 ? b.lower : Infinity);
  const rows = bands.map((b) => ({ ...b, lower: isLogY && !(b.lower > 0) ? floor / 2 : b.lower }));
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    sort: options.seriesOrder,
    scale: { domain: options.seriesOrder },
    legend: { symbolOpacity: 1 },
  };
  const x = { field: 'x', type: 'quantitative', title: options.xTitle, scale: { zero: false, nice: false } };
  const y = { type: 'quantitative', title: isLogY ? `${options.yTitle} (log)` : options.yTitle, scale: isLogY ? { type: 'log' } : { zero: false } };
  const layers: VegaLiteSpec[] = [
    {
      data: { values: rows },
      mark: { type: 'area', opacity: 0.2, clip: true },
      encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' }, color },
    },
    {
      data: { values: rows },
      mark: { type: 'line', point: true },
      encoding: {
        x,
        y: { ...y, field: 'mean' },
        color,
        tooltip: [
          { field: 'series', type: 'nominal' },
          { field: 'x', type: 'quantitative', title: options.xTitle },
          { field: 'mean', type: 'quantitative', format: '.4g' },
          { field: 'count', type: 'quantitative', title: 'runs averaged' },
        ],
      },
    },
  ];
  if (markers.length > 0) {
    layers.push({
      data: { values: markers },
      mark: { type: 'point', size: 90, strokeWidth: 2.5, filled: false },
      encoding: {
        x,
        y: { field: 'markerY', type: 'quantitative', scale: null },
        color,
        shape: { field: 'status', type: 'nominal', title: 'runs', scale: statusShapeScale(options.statuses) },
        tooltip: [
          { field: 'series', type: 'nominal' },
          { field: 'x', type: 'quantitative', title: options.xTitle },
          { field: 'label', type: 'nominal', title: 'status' },
        ],
      },
    });
  }
  return { title: options.title, width: 250, height: 180, layer: layers };
}

/** Status markers of a group of runs at position x: one per non-done status present. */
function markersFor(runs: readonly SweepRunLike[], series: string, x: number, seriesIndex: number, xLabel: string): MarkerRow[] {
  const counts = statusCounts(runs);
  const out: MarkerRow[] = [];
  const markerY = 8 + 12 * seriesIndex;
  if (counts.diverged > 0) out.push({ series, x, status: 'diverged', label: `${counts.diverged}/${runs.length} diverged at ${xLabel}`, markerY });
  if (counts.failed > 0) out.push({ series, x, status: 'failed', label: `${counts.failed}/${runs.length} failed at ${xLabel}`, markerY });
  return out;
}

/** bulk_lr: the six final metrics against log10(lr), one line per optimizer, mean +- std over done repeats. */
export function bulkLrSpec(data: SweepReportData): VegaLiteSpec {
  const seriesOf = (run: SweepRunLike): string => optimizerLabel(run.params['optimizer']);
  const seriesOrder = [...new Set(data.runs.map(seriesOf))].sort((a, b) => (a === 'GD' ? -1 : b === 'GD' ? 1 : a.localeCompare(b)));
  const cells = groupBy(data.runs, (run) => `${seriesOf(run)}|${numericParam(run.params['lr'])}`);
  const statuses = [...new Set(data.runs.map((r) => r.status))];
  const panels = BULK_LR_METRICS.map(({ key, title, isLoss }) => {
    const bands: BandRow[] = [];
    const markers: MarkerRow[] = [];
    for (const runs of cells.values()) {
      const series = seriesOf(runs[0]!);
      const lr = numericParam(runs[0]!.params['lr']);
      if (!(lr > 0)) continue;
      const x = Math.log10(lr);
      const done = runs.filter((r) => r.status === 'done');
      const stats = meanAndStd(done.map((r) => metricValue(finalStep(r), key)));
      if (stats) bands.push({ series, x, mean: stats.mean, lower: stats.mean - stats.std, upper: stats.mean + stats.std, count: stats.count });
      markers.push(...markersFor(runs, series, x, seriesOrder.indexOf(series), `lr = ${lr}`));
    }
    bands.sort((a, b) => a.series.localeCompare(b.series) || a.x - b.x);
    return bandPanel(bands, markers, { title, xTitle: 'log₁₀(lr)', yTitle: title.replace('final ', ''), isLogY: isLoss, seriesOrder, statuses });
  });
  const repeats = new Set(data.runs.map((r) => r.repeat)).size;
  return topLevel(
    { concat: panels, columns: 3, resolve: { scale: { color: 'shared', shape: 'shared' } } },
    titleBlock(`${data.name ?? 'bulk_lr'}: final metrics against the learning rate`, [
      `Mean ± std over ${repeats} repeat(s) of the runs that finished; ✕ marks cells with diverged runs, ▽ failed runs`,
    ]),
  );
}

/** bulk_losses: train and test loss against step, one line per value of the varying parameter, mean +- std. */
export function bulkLossesSpec(data: SweepReportData, param: string | null): VegaLiteSpec {
  const seriesOf = (run: SweepRunLike): string => (param === null ? 'all runs' : paramLabel(param, run.params[param]));
  const values = sortedParamValues(data.runs.map((r) => (param === null ? null : r.params[param])));
  const seriesOrder = values.map((v) => (param === null ? 'all runs' : paramLabel(param, v)));
  const groups = groupBy(data.runs, seriesOf);
  const statuses = [...new Set(data.runs.map((r) => r.status))];
  const panels = (['train_loss', 'test_loss'] as const).map((key) => {
    const bands: BandRow[] = [];
    const markers: MarkerRow[] = [];
    for (const [series, runs] of groups) {
      const stepsSeen = [...new Set(runs.flatMap((r) => r.steps.map((s) => s.step)))].sort((a, b) => a - b);
      for (const step of stepsSeen) {
        const stats = meanAndStd(runs.map((r) => metricValue(r.steps.find((s) => s.step === step), key)));
        if (stats) bands.push({ series, x: step, mean: stats.mean, lower: stats.mean - stats.std, upper: stats.mean + stats.std, count: stats.count });
      }
      const index = seriesOrder.indexOf(series);
      for (const run of runs) {
        if (run.status !== 'diverged' && run.status !== 'failed') continue;
        const x = run.divergedAtStep ?? finalStep(run)?.step ?? 0;
        markers.push(...markersFor([run], series, x, index, `step ${x} (repeat ${run.repeat})`));
      }
    }
    const title = key === 'train_loss' ? 'train loss' : 'test loss';
    return bandPanel(bands, markers, { title, xTitle: 'step', yTitle: title, isLogY: true, seriesOrder, statuses });
  });
  return topLevel(
    { hconcat: panels, resolve: { scale: { color: 'shared', shape: 'shared' } } },
    titleBlock(`${data.name ?? 'bulk_losses'}: losses during training${param ? ` for each ${param}` : ''}`, [
      'Mean ± std over repeats at each probed step; ✕ marks a diverged run at its divergence step',
    ]),
  );
}

/** A grid of cells (series x parameter value) coloured by how many repeats finished, with counts as text. */
export function statusGridSpec(data: SweepReportData, param: string | null): VegaLiteSpec {
  const columnOf = (run: SweepRunLike): string => (param === null ? 'all' : String(run.params[param]));
  const rowOf = (run: SweepRunLike): string => optimizerLabel(run.params['optimizer']);
  const rows = [...groupBy(data.runs, (r) => `${rowOf(r)}|${columnOf(r)}`).values()].map((runs) => {
    const c = statusCounts(runs);
    const parts = [`${c.done}/${runs.length} done`];
    if (c.diverged) parts.push(`${c.diverged} diverged`);
    if (c.failed) parts.push(`${c.failed} failed`);
    if (c.other) parts.push(`${c.other} pending`);
    return { row: rowOf(runs[0]!), column: columnOf(runs[0]!), share: c.done / runs.length, label: parts.join(', '), short: c.diverged + c.failed > 0 ? `✕${c.diverged + c.failed}` : `${c.done}` };
  });
  const columnOrder = sortedParamValues(data.runs.map((r) => (param === null ? null : r.params[param]))).map((v) => (param === null ? 'all' : String(v)));
  const encoding = {
    x: { field: 'column', type: 'ordinal', title: param ?? null, sort: columnOrder, axis: { labelAngle: 0 } },
    y: { field: 'row', type: 'nominal', title: null },
  };
  return topLevel(
    {
      data: { values: rows },
      width: { step: 48 },
      height: { step: 32 },
      layer: [
        {
          mark: 'rect',
          encoding: {
            ...encoding,
            color: { field: 'share', type: 'quantitative', title: 'share done', scale: { domain: [0, 1], range: [DIVERGED_COLOR, '#e8f1e4', '#54a24b'] } },
            tooltip: [{ field: 'label', type: 'nominal', title: 'runs' }],
          },
        },
        { mark: { type: 'text', fontSize: 11 }, encoding: { ...encoding, text: { field: 'short' } } },
      ],
    },
    titleBlock('Cell status', ['Number of finished repeats per cell; ✕k: k runs diverged or failed']),
  );
}

/**
 * All figures of a sweep, keyed by file name: `final_metrics` (bulk_lr) or `losses` (bulk_losses),
 * `final_esd` when final spectra are present, and `status`.
 */
export function sweepPlotSpecs(data: SweepReportData): Record<string, VegaLiteSpec> {
  const { kind, varyingParam } = sweepLayout(data);
  const specs: Record<string, VegaLiteSpec> = {};
  if (kind === 'bulk_lr') specs['final_metrics'] = bulkLrSpec(data);
  else specs['losses'] = bulkLossesSpec(data, varyingParam);
  const esd = finalEsdSpec(data, varyingParam);
  if (esd) specs['final_esd'] = esd;
  specs['status'] = statusGridSpec(data, varyingParam);
  return specs;
}

/** Captions of the sweep figures. */
export const SWEEP_PLOT_CAPTIONS: Record<string, string> = {
  final_metrics:
    'Bulk learning-rate sweep, GD against Adam as in the paper: final train and test loss, KTA, sim(W, β*), α Hill and α MLE-KS against log₁₀(lr), mean ± std over repeats.',
  losses: 'Bulk losses sweep: train and test loss against step for each value of the varying parameter, mean ± std over repeats.',
  final_esd: 'ESDs at the final step for one repeat, overlaid across values of the swept parameter: Bulk+Spike at small values, heavy-tailed at large.',
  status: 'Which cells finished, diverged or failed (diverged cells keep their metrics up to the divergence).',
};
