/**
 * The content of a sweep's report page: config, a per-cell table, the sweep figures.
 */
import type { ReportPageInput, ReportTable } from './reportPage.js';
import { configTable } from './runReportPage.js';
import { meanAndStd } from './specParts.js';
import { finalStep, groupBy, metricValue, statusCounts, sweepLayout, varyingParams } from './sweepAggregate.js';
import { SWEEP_PLOT_CAPTIONS } from './sweepSpecs.js';
import type { SweepReportData, VegaLiteSpec } from './types.js';

/** Mean +- std as text, or an empty cell. */
function meanText(values: (number | null)[]): string | null {
  const stats = meanAndStd(values);
  if (stats === null) return null;
  const digits = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toPrecision(3));
  return stats.count > 1 ? `${digits(stats.mean)} ± ${digits(stats.std)}` : digits(stats.mean);
}

/** One row per cell (distinct params): runs by status and the final metrics over finished repeats. */
export function sweepCellTable(data: SweepReportData): ReportTable {
  const params = varyingParams(data.runs);
  const cells = groupBy(data.runs, (run) => JSON.stringify(params.map((p) => run.params[p] ?? null)));
  const metrics = ['train_loss', 'test_loss', 'kta', 'alignment', 'alpha_hill', 'alpha_mle_ks'] as const;
  const rows = [...cells.values()].map((runs) => {
    const counts = statusCounts(runs);
    const done = runs.filter((r) => r.status === 'done');
    return [
      ...params.map((p) => runs[0]!.params[p] ?? null),
      runs.length,
      counts.done,
      counts.diverged,
      counts.failed,
      ...metrics.map((key) => meanText(done.map((r) => metricValue(finalStep(r), key)))),
    ];
  });
  return {
    caption: 'Cells: runs by status, and final metrics (mean ± std over finished repeats)',
    columns: [...params, 'runs', 'done', 'diverged', 'failed', 'train loss', 'test loss', 'KTA', 'sim(W, β*)', 'α Hill', 'α MLE-KS'],
    rows,
  };
}

/** The sweep's page content for `reportHtml`. */
export function sweepReportPage(data: SweepReportData, specs: Record<string, VegaLiteSpec>): ReportPageInput {
  const { kind, varyingParam } = sweepLayout(data);
  const counts = statusCounts(data.runs);
  const problems = counts.diverged + counts.failed;
  return {
    title: `esdlab sweep: ${data.name ?? kind}`,
    subtitle: `${kind}${varyingParam ? `, varying ${varyingParam}` : ''}; ${data.runs.length} runs: ${counts.done} done, ${counts.diverged} diverged, ${counts.failed} failed${counts.other ? `, ${counts.other} unfinished` : ''}.`,
    ...(problems > 0 ? { alert: `${counts.diverged} run(s) diverged and ${counts.failed} failed; they are marked in the figures and left out of the means.` } : {}),
    tables: [sweepCellTable(data), configTable(data.config ?? {})],
    sections: [
      {
        heading: kind === 'bulk_lr' ? 'Final metrics against the learning rate' : 'Losses during training',
        figures: ['final_metrics', 'losses'].map((name) => ({ name, caption: SWEEP_PLOT_CAPTIONS[name] ?? '' })),
      },
      { heading: 'Spectra', figures: [{ name: 'final_esd', caption: SWEEP_PLOT_CAPTIONS['final_esd'] ?? '' }] },
      { heading: 'Cells', figures: [{ name: 'status', caption: SWEEP_PLOT_CAPTIONS['status'] ?? '' }] },
    ],
    specs,
    notes: ['Means and standard deviations use the repeats that finished; diverged and failed runs are counted and marked, never averaged.'],
  };
}
