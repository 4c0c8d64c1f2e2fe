/**
 * Spec builders for the per-step metrics of one run: losses, KTA / alignment / alpha, and the
 * step-0 alignment profile. The loss and metric views take an optional second run (`compare`),
 * drawn as a second series: the same colours per metric, dashed for the pinned run.
 */
import {
  divergenceRuleLayers,
  finiteOrNull,
  PANEL_HEIGHT,
  PANEL_WIDTH,
  CURRENT_RUN,
  pinnedRunName,
  shouldUseLogScale,
  titleBlock,
  topLevel,
} from './specParts.js';
import type { ComparisonRun, NumericArray, StepMetricsLike, VegaLiteSpec } from './types.js';

type MetricKey = Exclude<keyof StepMetricsLike, 'step' | 'phase'>;

/** Long-format rows {step, series, value} for the given metric keys, non-finite values dropped. */
export function stepSeriesRows(
  steps: readonly StepMetricsLike[],
  series: readonly { key: MetricKey; label: string }[],
): { step: number; series: string; value: number }[] {
  const rows: { step: number; series: string; value: number }[] = [];
  for (const entry of steps) {
    for (const { key, label } of series) {
      const value = finiteOrNull(entry[key] as number | null | undefined);
      if (value !== null) rows.push({ step: entry.step, series: label, value });
    }
  }
  return rows;
}

const STEP_AXIS = { field: 'step', type: 'quantitative', title: 'step', axis: { tickMinStep: 1, format: 'd' } };

/** A layered line chart of some metrics against step, with the divergence rule when diverged and an optional pinned run. */
function metricLinesChart(
  steps: readonly StepMetricsLike[],
  series: readonly { key: MetricKey; label: string }[],
  yTitle: string,
  divergedAtStep: number | null | undefined,
  options: { width?: number; height?: number; allowLog?: boolean; title?: string; compare?: ComparisonRun | undefined } = {},
): VegaLiteSpec {
  const compare = options.compare;
  const runs = compare ? [CURRENT_RUN, pinnedRunName(compare.label)] : [];
  const rows: { step: number; series: string; value: number; run?: string }[] = compare
    ? [
        ...stepSeriesRows(steps, series).map((row) => ({ ...row, run: runs[0]! })),
        ...stepSeriesRows(compare.steps, series).map((row) => ({ ...row, run: runs[1]! })),
      ]
    : stepSeriesRows(steps, series);
  const isLog = (options.allowLog ?? false) && shouldUseLogScale(rows.map((r) => r.value));
  const encoding: VegaLiteSpec = {
    x: STEP_AXIS,
    y: {
      field: 'value',
      type: 'quantitative',
      title: isLog ? `${yTitle} (log scale)` : yTitle,
      scale: isLog ? { type: 'log' } : { zero: false },
    },
    color: { field: 'series', type: 'nominal', title: null, sort: series.map((s) => s.label), legend: series.length > 1 ? { orient: 'bottom' } : null },
    tooltip: [
      ...(compare ? [{ field: 'run', type: 'nominal' }] : []),
      { field: 'series', type: 'nominal' },
      { field: 'step', type: 'quantitative' },
      { field: 'value', type: 'quantitative', format: '.4g' },
    ],
  };
  const layers: VegaLiteSpec[] = [];
  if (compare) {
    // the runs as line styles (the legend shows line samples), the points in a layer of their own
    // so that their filled circles do not take over the run legend's symbols
    const { tooltip, ...position } = encoding;
    layers.push(
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          ...encoding,
          strokeDash: {
            field: 'run',
            type: 'nominal',
            title: null,
            sort: runs,
            scale: { domain: runs, range: [[1, 0], [6, 4]] },
            legend: { orient: 'bottom', symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 300 },
          },
        },
      },
      { data: { values: rows }, mark: { type: 'point', filled: true, size: 40, opacity: 1 }, encoding: { ...position, tooltip } },
    );
  } else {
    layers.push({ data: { values: rows }, mark: { type: 'line', point: { size: 40 }, strokeWidth: 2 }, encoding });
  }
  if (divergedAtStep !== undefined && divergedAtStep !== null) layers.push(...divergenceRuleLayers(divergedAtStep, 'step'));
  const chart: VegaLiteSpec = {
    width: options.width ?? PANEL_WIDTH,
    height: options.height ?? PANEL_HEIGHT,
    layer: layers,
  };
  if (options.title !== undefined) chart['title'] = options.title;
  return chart;
}

/**
 * Train and test loss (ridge read-out MSE when the last layer is fixed) against step; log y when
 * the range is wide. `compare` draws a pinned run's losses too (dashed).
 */
export function lossSpec(steps: readonly StepMetricsLike[], divergedAtStep?: number | null, compare?: ComparisonRun): VegaLiteSpec {
  const body = metricLinesChart(
    steps,
    [
      { key: 'train_loss', label: 'train loss' },
      { key: 'test_loss', label: 'test loss' },
    ],
    'MSE',
    divergedAtStep,
    { allowLog: true, compare },
  );
  const subtitle = ['MSE of the read-out at each probed step', ...(compare ? [`dashed: ${pinnedRunName(compare.label)}`] : [])];
  return topLevel(body, titleBlock('Train and test loss', subtitle, divergedAtStep));
}

/**
 * KTA, sim(W, beta*) and the two power-law exponents (Hill, MLE-KS) against step, side by side.
 * `compare` draws a pinned run's curves too (dashed).
 */
export function metricsSpec(steps: readonly StepMetricsLike[], divergedAtStep?: number | null, compare?: ComparisonRun): VegaLiteSpec {
  const panel = { width: 260, height: 200, compare };
  const body = {
    hconcat: [
      metricLinesChart(steps, [{ key: 'kta', label: 'KTA' }], 'kernel-target alignment', divergedAtStep, {
        ...panel,
        title: 'KTA (probe split)',
      }),
      metricLinesChart(steps, [{ key: 'alignment', label: 'sim(W, β*)' }], '|⟨v₁, β*⟩|', divergedAtStep, {
        ...panel,
        title: 'Alignment with the teacher',
      }),
      metricLinesChart(
        steps,
        [
          { key: 'alpha_hill', label: 'α Hill (xmin_mid)' },
          { key: 'alpha_mle_ks', label: 'α MLE (KS xmin)' },
        ],
        'power-law exponent α',
        divergedAtStep,
        { ...panel, title: 'ESD tail exponent' },
      ),
    ],
    resolve: { scale: { color: 'independent' } },
  };
  return topLevel(
    body,
    titleBlock(
      'Feature learning and heavy tails over training',
      ['KTA, sim(W, β*) and the ESD tail exponent α against step', ...(compare ? [`dashed: ${pinnedRunName(compare.label)}`] : [])],
      divergedAtStep,
    ),
  );
}

/**
 * The step-0 alignment profile |V^T beta*|: overlap of the teacher direction with each right
 * singular vector of W_0, in the order given (descending singular value). The dashed line is the
 * level of a random direction, 1/sqrt(d).
 */
export function alignmentProfileSpec(profile: NumericArray, step = 0): VegaLiteSpec {
  const rows: { index: number; overlap: number }[] = [];
  for (let i = 0; i < profile.length; i++) {
    const value = finiteOrNull(profile[i]);
    if (value !== null) rows.push({ index: i + 1, overlap: Math.abs(value) });
  }
  const randomLevel = profile.length > 0 ? 1 / Math.sqrt(profile.length) : 0;
  const body = {
    width: PANEL_WIDTH + 180,
    height: PANEL_HEIGHT,
    layer: [
      {
        data: { values: rows },
        // One step-shaped area path instead of d rectangles: the SVG stays small for d = 1000s.
        mark: { type: 'area', interpolate: 'step', color: '#4c78a8', line: { color: '#35597f', strokeWidth: 0.6 } },
        encoding: {
          x: { field: 'index', type: 'quantitative', title: 'right singular vector index i (descending σᵢ)', scale: { nice: false } },
          y: { field: 'overlap', type: 'quantitative', title: '|⟨vᵢ, β*⟩|' },
          tooltip: [
            { field: 'index', type: 'quantitative' },
            { field: 'overlap', type: 'quantitative', format: '.4f' },
          ],
        },
      },
      {
        data: { values: [{ level: randomLevel }] },
        mark: { type: 'rule', color: '#e45756', strokeDash: [5, 3] },
        encoding: { y: { field: 'level', type: 'quantitative' } },
      },
    ],
  };
  return topLevel(
    body,
    titleBlock(`Alignment profile at step ${step}: |Vᵀβ*|`, [
      'Overlap of the teacher direction β* with every right singular vector of W (sum of squares = 1)',
      `Dashed red line: the level of a random direction, 1/√d = ${randomLevel.toPrecision(3)}`,
    ]),
  );
}
