/** A small analyze report input for the page tests: three layers with histograms, a comparison, sparsities. */
import type { AnalyzeReportInput, AnalyzeReportLayer } from '../analyzeReportPage.js';

function layer(name: string, alphaHill: number, alphaMle: number, phase: string, trap: boolean): AnalyzeReportLayer {
  const histogram = Array.from({ length: 20 }, (_, k) => ({ binStart: -1 + k * 0.15, binEnd: -1 + (k + 1) * 0.15, binCenter: -0.925 + k * 0.15, count: 20 - k, density: (20 - k) / 30 }));
  return {
    record: {
      name, shape: [64, 32], status: 'ok', n_eigs: 32, alpha_hill: alphaHill, alpha_mle_ks: alphaMle, xmin_mle: 1.2, n_tail_mle: 10, ks_d_mle: 0.1,
      num_spikes: 1, mp_bulk_max: 0.9, stable_rank: 4.2, log_norm: 1.3, log10_spectral_norm: 0.4, alpha_weighted: 1.2, log_alpha_norm: 0.8, phase, correlation_trap: trap,
    },
    histogram,
  };
}

/** Three layers (attention, MLP, conv), a second checkpoint and an allocation. */
export function syntheticAnalyzeReportInput(): AnalyzeReportInput {
  const layers = [layer('blk.0.attn_q.weight', 3.1, 3.4, 'heavy_tailed', false), layer('blk.0.mlp.fc1.weight', 4.5, 5.2, 'bulk_plus_spikes', true), layer('conv1.weight', 6.3, 7.1, 'random_like', false)];
  return {
    title: 'synthetic analyze report',
    layers,
    summary: { num_analyzed: 3, num_failed: 0, num_skipped: 1, alpha_hill_median: 4.5, phases: { heavy_tailed: 1, bulk_plus_spikes: 1, random_like: 1 } },
    compare: { labelA: 'a.pt', labelB: 'b.pt', layersB: layers.map((l) => ({ ...l, record: { ...l.record, alpha_hill: (l.record.alpha_hill as number) - 0.5 } })) },
    sparsity: [{ name: 'blk.0.attn_q.weight', alpha: 3.1, sparsity: 0.4 }],
  };
}
