/**
 * The extra outputs of `esdlab analyze`: the per-layer ESD histograms kept for --report (60 bins
 * of log10 λ, instead of the eigenvalues), the --compare table, the --allocate-sparsity table, and
 * the report.html input built from the analyze JSON records.
 */
import { allocateSparsity, type SparsityAllocation } from '../../io/allocateSparsity.js';
import type { AnalyzeReport } from '../../io/analyzeCheckpoint.js';
import { finiteOrNull, layerToJson } from '../../io/analyzeJson.js';
import type { LayerAnalysis } from '../../io/layerAnalysis.js';
import { histogram, histogramRows, type HistogramRow } from '../../report/histogram.js';
import type { AnalyzeReportLayer } from '../../report/analyzeReportPage.js';

/** Collects each layer's log10-ESD histogram as the layers finish (for the report). */
export function histogramCollector(): { readonly histograms: Map<string, HistogramRow[]>; readonly onLayer: (layer: LayerAnalysis) => void } {
  const histograms = new Map<string, HistogramRow[]>();
  return {
    histograms,
    onLayer(layer) {
      if (!layer.eigenvalues || layer.error !== undefined) return;
      const positive = layer.eigenvalues.filter((v) => v > 0);
      if (positive.length < 2 || positive[0] === positive[positive.length - 1]) return;
      histograms.set(layer.name, histogramRows(histogram(positive, { bins: 60, log: true })));
    },
  };
}

/** The report's layers: JSON records plus histograms. */
export function reportLayers(report: AnalyzeReport, histograms: ReadonlyMap<string, HistogramRow[]>): AnalyzeReportLayer[] {
  return report.layers.map((layer) => {
    const rows = histograms.get(layer.name);
    return { record: layerToJson(layer), ...(rows ? { histogram: rows } : {}) };
  });
}

/** Sparsities for the analyzed layers with a finite alpha Hill (AlphaPruning). */
export function sparsityOf(report: AnalyzeReport, target: number, epsilon: number): SparsityAllocation[] {
  return allocateSparsity(
    report.layers.map((l) => ({ name: l.name, alpha: l.diagnostics?.hill?.alpha ?? Number.NaN, numParameters: l.shape[0] * l.shape[1] })),
    target,
    epsilon,
  );
}

const cell = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits));

function formatColumns(header: string[], rows: string[][]): string {
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cells: string[]) => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** The --allocate-sparsity table. */
export function formatSparsity(allocation: readonly SparsityAllocation[]): string {
  return formatColumns(['layer', 'alpha Hill', 'sparsity'], allocation.map((a) => [a.name, cell(a.alpha), cell(a.sparsity, 4)]));
}

/** The --compare table: layers of A in order, matched by name in B. */
export function formatComparison(a: AnalyzeReport, b: AnalyzeReport): string {
  const byName = new Map(b.layers.map((l) => [l.name, l]));
  return formatColumns(
    ['layer', 'alpha Hill A', 'alpha Hill B', 'delta', 'alpha MLE-KS A', 'alpha MLE-KS B', 'phase A', 'phase B'],
    a.layers.map((la) => {
      const lb = byName.get(la.name);
      const ha = finiteOrNull(la.diagnostics?.hill?.alpha);
      const hb = finiteOrNull(lb?.diagnostics?.hill?.alpha);
      return [la.name, cell(ha), cell(hb), ha !== null && hb !== null ? cell(hb - ha) : '-', cell(la.diagnostics?.mleKs?.alpha), cell(lb?.diagnostics?.mleKs?.alpha), la.diagnostics?.phase ?? '-', lb ? (lb.diagnostics?.phase ?? '-') : 'missing'];
    }),
  );
}
