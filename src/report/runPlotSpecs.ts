/**
 * All the plots of one training run, as named Vega-Lite specs (pure: no I/O, reusable in a browser).
 */
import { alignmentProfileSpec, lossSpec, metricsSpec } from './runMetricSpecs.js';
import { esdInitialFinalSpec, esdLinearSpec, esdPerProbeSpec, singularValuesSpec } from './runSpectrumSpecs.js';
import { overlapsSpec, updateSingularValuesSpec, weightHistogramSpec } from './runWeightSpecs.js';
import type { ProbeLike, RunReportData, VegaLiteSpec } from './types.js';

/** The step at which the run diverged, or null when it did not. */
export function divergenceStep(data: Pick<RunReportData, 'status' | 'divergedAtStep' | 'steps'>): number | null {
  if (data.status !== 'diverged' && (data.divergedAtStep === undefined || data.divergedAtStep === null)) return null;
  if (typeof data.divergedAtStep === 'number') return data.divergedAtStep;
  return data.steps.length > 0 ? data.steps[data.steps.length - 1]!.step : 0;
}

/** W's shape (h x d) from the initial weights, else from the config's h and d. */
export function weightShape(data: RunReportData): { rows: number; cols: number } | undefined {
  if (data.initialW) return { rows: data.initialW.rows, cols: data.initialW.cols };
  const config = (data.config ?? {}) as Record<string, unknown>;
  const h = config['h'];
  const d = config['d'];
  return typeof h === 'number' && typeof d === 'number' ? { rows: h, cols: d } : undefined;
}

/** Probes sorted by step, those with eigenvalues only. */
function sortedProbes(probes: readonly ProbeLike[]): ProbeLike[] {
  return probes.filter((p) => p.eigenvalues && p.eigenvalues.length > 0).sort((a, b) => a.step - b.step);
}

/**
 * The figures of one run, keyed by file name (`plots/<name>.svg`), in display order:
 * - `loss`: train and test loss vs step;
 * - `metrics`: KTA, sim(W, beta*), alpha Hill and alpha MLE-KS vs step;
 * - `alignment_profile`: |V^T beta*| at step 0 (when recorded);
 * - `esd_initial_final`: log10 ESD, step 0 vs final, overlaid;
 * - `esd_per_probe`: log10 ESD at each probe (small multiples);
 * - `esd_linear`: linear ESD with the Marchenko-Pastur density fitted at step 0;
 * - `singular_values`: sorted singular values per probe;
 * - `weights`: weight-value histograms, initial vs final (when both W are given);
 * - `overlaps`, `update_singular_values`: update geometry (when probes carry overlaps).
 * With the config's `lightweight: true`, `singular_values` and `weights` are left out.
 * A diverged run gets the divergence in every title and a rule at the divergence step.
 */
export function runPlotSpecs(data: RunReportData): Record<string, VegaLiteSpec> {
  const diverged = divergenceStep(data);
  const steps = [...data.steps].sort((a, b) => a.step - b.step);
  const probes = sortedProbes(data.probes);
  const specs: Record<string, VegaLiteSpec> = {};
  // `lightweight: true` (as in the original code) skips the per-step weight plots
  const isLightweight = (data.config as Record<string, unknown> | undefined)?.['lightweight'] === true;
  specs['loss'] = lossSpec(steps, diverged);
  specs['metrics'] = metricsSpec(steps, diverged);
  const profileProbe = data.probes.find((p) => p.alignmentProfile !== undefined && p.alignmentProfile.length > 0);
  if (profileProbe?.alignmentProfile) specs['alignment_profile'] = alignmentProfileSpec(profileProbe.alignmentProfile, profileProbe.step);
  if (probes.length > 0) {
    const initial = probes[0]!;
    const final = probes[probes.length - 1]!;
    if (final.step !== initial.step) specs['esd_initial_final'] = esdInitialFinalSpec(initial, final, steps, diverged);
    specs['esd_per_probe'] = esdPerProbeSpec(probes, steps);
    specs['esd_linear'] = esdLinearSpec(initial, final, weightShape(data), diverged);
    if (!isLightweight) specs['singular_values'] = singularValuesSpec(probes);
  }
  if (!isLightweight && data.initialW && data.finalW) specs['weights'] = weightHistogramSpec(data.initialW, data.finalW, diverged);
  const overlaps = overlapsSpec(probes);
  if (overlaps) specs['overlaps'] = overlaps;
  const updateValues = updateSingularValuesSpec(probes);
  if (updateValues) specs['update_singular_values'] = updateValues;
  return specs;
}

/** One-line captions for the run figures, as a reader of the paper would name them. */
export const RUN_PLOT_CAPTIONS: Record<string, string> = {
  loss: 'Train and test loss of the ridge read-out (or of the network when the last layer trains) at each probed step.',
  metrics:
    'Feature learning over training: kernel-target alignment, alignment sim(W, β*) of the top right singular vector with the teacher, and the ESD tail exponent α (Hill at xmin_mid; MLE with KS-chosen xmin).',
  alignment_profile:
    'Step-0 alignment profile |Vᵀβ*|: at initialization the teacher direction is spread over all right singular vectors, near the random level 1/√d.',
  esd_initial_final:
    'Fig. 2-style: ESD before/after training (log₁₀ λ, log density). A large learning rate first adds a spike, then turns the bulk heavy-tailed.',
  esd_per_probe: 'ESD at every probe, on shared bins; dashed lines mark the MP bulk edge and the MLE-KS xmin when available.',
  esd_linear:
    'Linear ESD with the Marchenko-Pastur density fitted at step 0: the random bulk at initialization, and what lies beyond the MP edge after training.',
  singular_values: 'Singular values of W at each probe, sorted (log-log): the spike and the bulk-decay.',
  weights: 'Histogram of weight entries, initial vs final (log density): training fattens the tails of the entry distribution.',
  overlaps:
    'Update geometry: squared overlaps between the leading singular vectors of W (before and after) and of the update M between consecutive probes (heat maps of the leading block).',
  update_singular_values: 'Singular values of the update M between consecutive probes: a low-rank update shows a few dominant values.',
};
