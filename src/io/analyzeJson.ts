/**
 * The JSON document of `esdlab analyze --json`: {"layers": [...], "skipped": [...], "summary": {...}}
 * with snake_case keys, NaN and Inf as null. See docs/analyze.md for every key.
 */
import type { AnalyzeReport, SkippedTensor } from './analyzeCheckpoint.js';
import type { LayerAnalysis } from './layerAnalysis.js';

/** Options of {@link analyzeReportToJson}. */
export interface AnalyzeJsonOptions {
  /** Include each layer's ascending eigenvalues as "eigs". */
  readonly shouldIncludeEigenvalues?: boolean;
  /** Include each layer's goodness-of-fit results as "gof". */
  readonly shouldIncludeGoodnessOfFit?: boolean;
}

/** A finite number, or null (JSON has no NaN or Inf). */
export function finiteOrNull(value: number | undefined | null): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** camelCase keys to snake_case and non-finite numbers to null, recursively (typed arrays become arrays). */
export function toSnakeCaseJson(value: unknown): unknown {
  if (typeof value === 'number') return finiteOrNull(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>, (v) => finiteOrNull(v));
  if (Array.isArray(value)) return value.map(toSnakeCaseJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'function' || v === undefined) continue;
      out[key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()] = toSnakeCaseJson(v);
    }
    return out;
  }
  return value;
}

/** One layer's JSON object (see docs/analyze.md for the keys). */
export function layerToJson(layer: LayerAnalysis, options: AnalyzeJsonOptions = {}): Record<string, unknown> {
  const d = layer.diagnostics;
  const hill = d?.hill ?? undefined;
  const mle = d?.mleKs ?? undefined;
  const mp = d?.marchenkoPastur ?? undefined;
  const out: Record<string, unknown> = {
    name: layer.name,
    shape: [layer.shape[0], layer.shape[1]],
    tensor_shape: [...layer.tensorShape],
    dtype: layer.dtype,
    file: layer.file,
    status: layer.error === undefined ? 'ok' : 'failed',
    n_eigs: layer.numEigenvalues,
    alpha_hill: finiteOrNull(hill?.alpha),
    alpha_mle_ks: finiteOrNull(mle?.alpha),
    xmin_hill: finiteOrNull(hill?.xmin),
    xmin_mle: finiteOrNull(mle?.xmin),
    n_tail_hill: finiteOrNull(hill?.numTail),
    n_tail_mle: finiteOrNull(mle?.numTail),
    ks_d_hill: finiteOrNull(hill?.ksDistance),
    ks_d_mle: finiteOrNull(mle?.ksDistance),
    spectral_norm: finiteOrNull(d?.lambdaMax),
    alphahat_hill: finiteOrNull(hill?.alphaHat),
    alphahat_mle: finiteOrNull(mle?.alphaHat),
    frobenius_sq: finiteOrNull(d?.frobeniusSquared),
    stable_rank: finiteOrNull(d?.stableRank),
    num_zero_eigs: finiteOrNull(d?.numZeroEigenvalues),
    mp_variance_scale: finiteOrNull(mp?.varianceScale),
    mp_bulk_min: finiteOrNull(mp?.bulkMin),
    mp_bulk_max: finiteOrNull(mp?.bulkMax),
    mp_spike_threshold: finiteOrNull(mp?.spikeThreshold),
    mp_soft_rank: finiteOrNull(mp?.softRank),
    mp_ks_d: finiteOrNull(mp?.ksDistance),
    num_spikes: finiteOrNull(mp?.numSpikes),
    log10_frobenius_norm: finiteOrNull(d?.scale?.log10FrobeniusNorm),
    log_norm: finiteOrNull(d?.scale?.logNorm),
    xmin_rule: layer.selectedFit ? layer.selectedFit.method : null,
    alpha: finiteOrNull(layer.selectedFit?.alpha),
    xmin: finiteOrNull(layer.selectedFit?.xmin),
    n_tail: finiteOrNull(layer.selectedFit?.numTail),
    ks_d: finiteOrNull(layer.selectedFit?.ksDistance),
    log10_spectral_norm: finiteOrNull(d?.scale?.log10SpectralNorm),
    alpha_weighted: finiteOrNull(d?.scale?.alphaWeighted),
    log_alpha_norm: finiteOrNull(d?.scale?.logAlphaNorm),
    phase: d?.phase ?? null,
    phase_reason: d?.phaseReason ?? null,
    duration_ms: Math.round(layer.durationMs * 10) / 10,
  };
  if (layer.precision) out.precision = layer.precision;
  if (layer.precisionNote) out.precision_note = layer.precisionNote;
  if (d?.powerLawError) out.power_law_error = d.powerLawError;
  if (layer.randomized) {
    out.rand_num_spikes = layer.randomized.numSpikes;
    out.correlation_trap = layer.randomized.hasCorrelationTrap;
    out.rand_max_over_edge = finiteOrNull(layer.randomized.maxOverEdge);
  }
  if (layer.error !== undefined) out.error = layer.error;
  if (options.shouldIncludeGoodnessOfFit) out.gof = d?.goodnessOfFit ? toSnakeCaseJson(d.goodnessOfFit) : null;
  if (options.shouldIncludeEigenvalues) out.eigs = layer.eigenvalues ? Array.from(layer.eigenvalues, (v) => finiteOrNull(v)) : null;
  return out;
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The summary object: counts, mean and median alphas, phase counts, backend, wall time. */
export function summaryToJson(layers: readonly LayerAnalysis[], skipped: readonly SkippedTensor[], backend: string, durationMs: number): Record<string, unknown> {
  const ok = layers.filter((l) => l.error === undefined && l.diagnostics !== undefined);
  const alphasHill = ok.map((l) => l.diagnostics!.hill?.alpha ?? Number.NaN).filter(Number.isFinite);
  const alphasMle = ok.map((l) => l.diagnostics!.mleKs?.alpha ?? Number.NaN).filter(Number.isFinite);
  const phases: Record<string, number> = {};
  for (const l of ok) {
    const label = l.diagnostics!.phase;
    phases[label] = (phases[label] ?? 0) + 1;
  }
  return {
    num_layers: layers.length,
    num_analyzed: ok.length,
    num_failed: layers.length - ok.length,
    num_skipped: skipped.length,
    alpha_hill_mean: finiteOrNull(mean(alphasHill)),
    alpha_hill_median: finiteOrNull(median(alphasHill)),
    alpha_mle_ks_mean: finiteOrNull(mean(alphasMle)),
    alpha_mle_ks_median: finiteOrNull(median(alphasMle)),
    phases,
    backend,
    duration_ms: Math.round(durationMs),
  };
}

/** The `--json` document: layers (analyzed and failed), skipped tensors, summary. */
export interface AnalyzeJsonDocument {
  readonly layers: Record<string, unknown>[];
  readonly skipped: Record<string, unknown>[];
  readonly summary: Record<string, unknown>;
}

/** The whole `--json` document. */
export function analyzeReportToJson(report: AnalyzeReport, options: AnalyzeJsonOptions = {}): AnalyzeJsonDocument {
  return {
    layers: report.layers.map((l) => layerToJson(l, options)),
    skipped: report.skipped.map((s) => ({ name: s.name, shape: [...s.shape], dtype: s.dtype, file: s.file, reason: s.reason })),
    summary: summaryToJson(report.layers, report.skipped, report.backend, report.durationMs),
  };
}
