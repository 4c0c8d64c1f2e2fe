/**
 * Spec builders for the empirical spectral density (ESD) of W^T W at the probes: log10 histograms
 * per probe, initial vs final overlay, the linear histogram with the Marchenko-Pastur curve, and
 * the singular values. All binning happens here; Vega receives at most a few hundred rows.
 */
import { histogram, histogramRows, valueRange } from './histogram.js';
import { marchenkoPasturCurve } from './marchenkoPasturOverlay.js';
import { finiteOrNull, logDensityFloor, overlaidLogHistogram, PANEL_HEIGHT, PANEL_WIDTH, sortedDescending, thinnedIndices, titleBlock, topLevel } from './specParts.js';
import type { NumericArray, ProbeLike, StepMetricsLike, VegaLiteSpec } from './types.js';

/** Bins of the ESD histograms. */
const ESD_BINS = 60;

/** Number of eigenvalues that are not positive and finite (left out of log10 histograms). */
function countNonPositive(values: NumericArray): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!(values[i]! > 0 && Number.isFinite(values[i]!))) count++;
  return count;
}

/** The step's metrics entry, if any. */
function metricsAt(steps: readonly StepMetricsLike[], step: number): StepMetricsLike | undefined {
  return steps.find((s) => s.step === step);
}

/**
 * Small multiples: the histogram of log10(lambda) at every probe, on shared bins, with a log
 * density axis; the MP bulk edge and the MLE-KS xmin are marked when the metrics carry them.
 */
export function esdPerProbeSpec(probes: readonly ProbeLike[], steps: readonly StepMetricsLike[]): VegaLiteSpec {
  const range = valueRange(probes.map((p) => p.eigenvalues), { log: true });
  const rows: VegaLiteSpec[] = [];
  for (const probe of probes) {
    const h = histogram(probe.eigenvalues, { bins: ESD_BINS, log: true, range });
    for (const row of histogramRows(h)) rows.push({ step: probe.step, kind: 'bin', ...row });
    const metrics = metricsAt(steps, probe.step);
    const edge = finiteOrNull(metrics?.mp_bulk_max);
    if (edge !== null && edge > 0) rows.push({ step: probe.step, kind: 'MP bulk edge', marker: Math.log10(edge) });
    const xmin = finiteOrNull(metrics?.xmin_mle);
    if (xmin !== null && xmin > 0) rows.push({ step: probe.step, kind: 'xmin (MLE-KS)', marker: Math.log10(xmin) });
  }
  const floor = logDensityFloor(rows.map((r) => (r['kind'] === 'bin' ? (r['density'] as number) : null)));
  const columns = Math.min(4, Math.max(1, probes.length));
  const omitted = probes.reduce((sum, p) => sum + countNonPositive(p.eigenvalues), 0);
  const subtitle = [`Histogram of log₁₀ λ (${ESD_BINS} shared bins), log density axis`];
  if (omitted > 0) subtitle.push(`${omitted} zero, negative or non-finite eigenvalue(s) left out of the log scale`);
  const body = {
    data: { values: rows },
    facet: { field: 'step', type: 'ordinal', title: null, header: { labelExpr: "'step ' + datum.value", labelFontWeight: 'bold' } },
    columns,
    spec: {
      width: 230,
      height: 150,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'bin'" }],
          mark: { type: 'rect', color: '#4c78a8', stroke: '#35597f', strokeWidth: 0.3 },
          encoding: {
            x: { field: 'binStart', type: 'quantitative', title: 'log₁₀ λ', scale: { domain: range, nice: false } },
            x2: { field: 'binEnd' },
            y: { field: 'density', type: 'quantitative', title: 'density (log scale)', scale: { type: 'log' } },
            y2: { datum: floor },
            tooltip: [
              { field: 'binStart', title: 'from log₁₀ λ', format: '.3f' },
              { field: 'binEnd', title: 'to log₁₀ λ', format: '.3f' },
              { field: 'count', type: 'quantitative' },
            ],
          },
        },
        {
          transform: [{ filter: "datum.kind !== 'bin'" }],
          mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
          encoding: {
            x: { field: 'marker', type: 'quantitative' },
            color: {
              field: 'kind',
              type: 'nominal',
              title: null,
              scale: { domain: ['MP bulk edge', 'xmin (MLE-KS)'], range: ['#e45756', '#54a24b'] },
              legend: { orient: 'bottom' },
            },
          },
        },
      ],
    },
  };
  return topLevel(
    body,
    titleBlock('ESD of WᵀW at each probe', subtitle),
  );
}

/** The step-0 ESD and the final one overlaid on shared log10 bins (the paper's Fig. 2 view). */
export function esdInitialFinalSpec(
  initial: ProbeLike,
  final: ProbeLike,
  steps: readonly StepMetricsLike[],
  divergedAtStep?: number | null,
): VegaLiteSpec {
  const range = valueRange([initial.eigenvalues, final.eigenvalues], { log: true });
  const labelInitial = `step ${initial.step} (initial)`;
  const isDiverged = divergedAtStep !== undefined && divergedAtStep !== null;
  const labelFinal = `step ${final.step} (${isDiverged ? 'last probe before divergence' : 'final'})`;
  const rows: VegaLiteSpec[] = [];
  for (const [probe, label] of [
    [initial, labelInitial],
    [final, labelFinal],
  ] as const) {
    const h = histogram(probe.eigenvalues, { bins: ESD_BINS, log: true, range });
    for (const row of histogramRows(h)) rows.push({ series: label, ...row });
  }
  const floor = logDensityFloor(rows.map((r) => r['density'] as number));
  const subtitle = [`Histogram of log₁₀ λ of WᵀW, ${ESD_BINS} shared bins, log density`];
  const describe = (step: number): string => {
    const m = metricsAt(steps, step);
    const lambdaMax = finiteOrNull(m?.spectral_norm);
    const alpha = finiteOrNull(m?.alpha_hill);
    const phase = m?.phase ?? null;
    const parts = [`step ${step}:`];
    if (lambdaMax !== null) parts.push(`λmax = ${lambdaMax.toPrecision(4)}`);
    if (alpha !== null) parts.push(`α Hill = ${alpha.toFixed(2)}`);
    if (phase) parts.push(`phase ${phase}`);
    return `${parts[0]} ${parts.slice(1).join(', ')}`;
  };
  subtitle.push(`${describe(initial.step)};  ${describe(final.step)}`);
  const omitted = countNonPositive(initial.eigenvalues) + countNonPositive(final.eigenvalues);
  if (omitted > 0) subtitle.push(`${omitted} zero, negative or non-finite eigenvalue(s) left out of the log scale`);
  const body = overlaidLogHistogram({
    rows,
    xTitle: 'log₁₀ λ',
    xDomain: range,
    series: [labelInitial, labelFinal],
    legendOrient: 'top-left',
    floor,
    binTitle: 'from log₁₀ λ',
    binFormat: '.3f',
  });
  return topLevel(body, titleBlock('Fig. 2-style: ESD before and after training', subtitle, divergedAtStep));
}

const LINEAR_PANEL_HEIGHT = 220;

/** Eigenvalues beyond the MP edge are marked with ticks when there are at most this many. */
const MAX_SPIKE_TICKS = 50;

/** One linear-histogram panel with an optional MP curve. */
function linearPanel(
  probe: ProbeLike,
  title: string,
  curve: ReturnType<typeof marchenkoPasturCurve>,
  isCurveDashed: boolean,
): VegaLiteSpec {
  const positive = Array.from(probe.eigenvalues).filter((v) => Number.isFinite(v) && v >= 0);
  const high = positive.reduce((a, b) => (b > a ? b : a), 0) || 1;
  const h = histogram(positive, { bins: ESD_BINS, range: [0, Math.max(high, curve?.bulkMax ?? 0) * 1.02 || 1] });
  // A reference curve (dashed) must not squash the histogram it is drawn over: the y range follows the bars.
  const topDensity = h.density.reduce((a, b) => (b > a ? b : a), 0) * 1.1 || 1;
  const yScale = isCurveDashed ? { domain: [0, topDensity] } : {};
  const layers: VegaLiteSpec[] = [
    {
      data: { values: histogramRows(h) },
      mark: { type: 'rect', color: '#4c78a8', opacity: 0.8 },
      encoding: {
        x: { field: 'binStart', type: 'quantitative', title: 'λ (eigenvalue of WᵀW)' },
        x2: { field: 'binEnd' },
        y: { field: 'density', type: 'quantitative', title: 'density', scale: yScale },
        y2: { datum: 0 },
        tooltip: [
          { field: 'binStart', title: 'from λ', format: '.4g' },
          { field: 'binEnd', title: 'to λ', format: '.4g' },
          { field: 'count', type: 'quantitative' },
        ],
      },
    },
  ];
  if (curve !== null) {
    // A few eigenvalues beyond the MP edge (spikes) do not show as bars: mark each with a tick on
    // the axis. Many of them (a heavy tail) show in the bars themselves, and ticks would hide them.
    const outliers = positive.filter((v) => v > curve.bulkMax);
    if (outliers.length > 0 && outliers.length <= MAX_SPIKE_TICKS) {
      layers.push({
        data: { values: outliers.map((lambda) => ({ lambda })) },
        mark: { type: 'tick', orient: 'vertical', color: '#e45756', thickness: 2, size: 18 },
        encoding: {
          x: { field: 'lambda', type: 'quantitative' },
          y: { value: LINEAR_PANEL_HEIGHT - 9 },
          tooltip: [{ field: 'lambda', type: 'quantitative', title: 'λ beyond the MP edge', format: '.4g' }],
        },
      });
    }
    layers.push({
      data: { values: curve.points },
      mark: { type: 'line', color: '#e45756', strokeWidth: 2, clip: true, ...(isCurveDashed ? { strokeDash: [5, 3] } : {}) },
      encoding: { x: { field: 'lambda', type: 'quantitative' }, y: { field: 'density', type: 'quantitative' } },
    });
  }
  return { title, width: 330, height: LINEAR_PANEL_HEIGHT, layer: layers };
}

/**
 * The linear ESD (histogram of lambda) at step 0 with the Marchenko-Pastur density fitted at step 0,
 * next to the final ESD with the same curve for reference (spikes show up beyond its edge).
 * `shape` is W's rows x cols (h x d); without it no curve is drawn.
 */
export function esdLinearSpec(
  initial: ProbeLike,
  final: ProbeLike | undefined,
  shape: { rows: number; cols: number } | undefined,
  divergedAtStep?: number | null,
): VegaLiteSpec {
  const count = Math.min(initial.eigenvalues.length, shape ? Math.min(shape.rows, shape.cols) : Infinity);
  // The N = min(h, d) largest eigenvalues are the ones the MP law describes.
  const top = Array.from(initial.eigenvalues).slice(initial.eigenvalues.length - count);
  const curve = shape ? marchenkoPasturCurve(top, shape.rows, shape.cols) : null;
  const panels = [linearPanel({ ...initial, eigenvalues: top }, `step ${initial.step} (initial)`, curve, false)];
  let beyondNote: string[] = [];
  if (final !== undefined && final.step !== initial.step) {
    panels.push(linearPanel(final, `step ${final.step} (final)`, curve, true));
    let beyond = 0;
    for (let i = 0; i < final.eigenvalues.length; i++) if (curve !== null && final.eigenvalues[i]! > curve.bulkMax) beyond++;
    const ticks = beyond > 0 && beyond <= MAX_SPIKE_TICKS ? ' (red ticks on the axis)' : '';
    if (curve !== null) beyondNote = [`Step ${final.step}: ${beyond} eigenvalue(s) beyond the step-0 MP edge${ticks}`];
  }
  const subtitle =
    curve !== null
      ? [
          ...beyondNote,
          `Red curve: Marchenko-Pastur law fitted at step ${initial.step}: s² = ${curve.varianceScale.toPrecision(4)}, bulk [${curve.bulkMin.toPrecision(4)}, ${curve.bulkMax.toPrecision(4)}], ${curve.numSpikes} spike(s), KS distance ${curve.ksDistance.toFixed(3)}`,
        ].reverse()
      : ['No MP overlay: the shape of W is unknown'];
  return topLevel({ hconcat: panels }, titleBlock('ESD on a linear scale with the Marchenko-Pastur law', subtitle, divergedAtStep));
}

/** The singular values of W at each probe, sorted descending, against their index (log y). */
export function singularValuesSpec(probes: readonly ProbeLike[]): VegaLiteSpec {
  const rows: { step: number; index: number; singularValue: number }[] = [];
  for (const probe of probes) {
    const values =
      probe.singularValues !== undefined
        ? sortedDescending(probe.singularValues)
        : sortedDescending(Array.from(probe.eigenvalues, (v) => (v > 0 ? Math.sqrt(v) : Number.NaN)));
    for (const i of thinnedIndices(values.length)) {
      if (values[i]! > 0) rows.push({ step: probe.step, index: i + 1, singularValue: values[i]! });
    }
  }
  const body = {
    width: PANEL_WIDTH + 100,
    height: PANEL_HEIGHT,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.8 },
    encoding: {
      x: { field: 'index', type: 'quantitative', title: 'index i (descending)', scale: { type: 'log', nice: false } },
      y: { field: 'singularValue', type: 'quantitative', title: 'σᵢ(W) (log scale)', scale: { type: 'log' } },
      color: { field: 'step', type: 'ordinal', title: 'step', scale: { scheme: 'viridis' } },
      tooltip: [
        { field: 'step', type: 'ordinal' },
        { field: 'index', type: 'quantitative' },
        { field: 'singularValue', type: 'quantitative', format: '.4g' },
      ],
    },
  };
  return topLevel(body, titleBlock('Singular values of W at each probe', ['Sorted descending; a spike separates from the bulk at the left']));
}
