/**
 * The sweep figure of final ESDs: for one repeat, the ESD at the last probed step of every cell,
 * overlaid per value of the swept parameter (one panel per optimizer).
 */
import { histogram, histogramRows, valueRange } from './histogram.js';
import { DIVERGED_COLOR, titleBlock, topLevel } from './specParts.js';
import { optimizerLabel, paramLabel, sortedParamValues } from './sweepAggregate.js';
import type { SweepReportData, SweepRunLike, VegaLiteSpec } from './types.js';

/**
 * The ESDs at the final step for one repeat, overlaid per value of the varying parameter
 * (log10 lambda on shared bins, density as lines, log axis), one panel per optimizer.
 * Runs without a final spectrum (diverged, failed) are listed in the subtitle. Null when no run has one.
 */
export function finalEsdSpec(data: SweepReportData, param: string | null): VegaLiteSpec | null {
  const withSpectra = data.runs.filter((r) => r.status === 'done' && r.finalEigenvalues && r.finalEigenvalues.length > 0);
  if (withSpectra.length === 0) return null;
  const repeat = Math.min(...withSpectra.map((r) => r.repeat));
  const chosen = withSpectra.filter((r) => r.repeat === repeat);
  const missing = data.runs.filter((r) => r.repeat === repeat && !chosen.includes(r));
  const range = valueRange(chosen.map((r) => r.finalEigenvalues!), { log: true });
  const seriesOf = (run: SweepRunLike): string => (param === null ? 'all runs' : paramLabel(param, run.params[param]));
  const seriesOrder = sortedParamValues(chosen.map((r) => (param === null ? null : r.params[param]))).map((v) =>
    param === null ? 'all runs' : paramLabel(param, v),
  );
  const rows: Record<string, unknown>[] = [];
  for (const run of chosen) {
    const h = histogram(run.finalEigenvalues!, { bins: 50, log: true, range });
    for (const row of histogramRows(h, true)) {
      rows.push({ panel: optimizerLabel(run.params['optimizer']), series: seriesOf(run), x: row.binCenter, density: row.density! });
    }
  }
  // Empty bins sit on a floor below the smallest density, so each ESD is one closed step outline on the log axis.
  let floor = Infinity;
  for (const r of rows) if ((r['density'] as number) > 0) floor = Math.min(floor, r['density'] as number);
  floor = floor === Infinity ? 1e-6 : floor / 3;
  for (const r of rows) if (!((r['density'] as number) > 0)) r['density'] = floor;
  // Headroom above the highest bin, so the step outline's flat tops do not run along the frame.
  const top = rows.reduce((high, r) => Math.max(high, r['density'] as number), floor) * 1.5;
  const panelOrder = [...new Set(rows.map((r) => r['panel'] as string))].sort((a, b) => (a === 'GD' ? -1 : b === 'GD' ? 1 : a.localeCompare(b)));
  const panelCount = new Set(rows.map((r) => r['panel'])).size;
  const subtitle = [`Repeat ${repeat}; histogram of log₁₀ λ at the last probed step, 50 shared bins`];
  if (missing.length > 0) {
    subtitle.push(
      `No final ESD (${missing.map((r) => `${optimizerLabel(r.params['optimizer'])} ${param ? paramLabel(param, r.params[param]) : ''}: ${r.status}`).join('; ')})`,
    );
  }
  const layer = {
    width: 330,
    height: 220,
    mark: { type: 'line', strokeWidth: 1.6, interpolate: 'step', opacity: 0.9 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'log₁₀ λ', scale: { domain: range, nice: false } },
      y: { field: 'density', type: 'quantitative', title: 'density (log)', scale: { type: 'log', domainMin: floor, domainMax: top }, axis: { tickCount: 5 } },
      color: { field: 'series', type: 'ordinal', title: param ?? null, sort: seriesOrder, scale: { scheme: 'viridis' } },
      tooltip: [
        { field: 'series', type: 'nominal' },
        { field: 'x', type: 'quantitative', title: 'log₁₀ λ', format: '.3f' },
        { field: 'density', type: 'quantitative', format: '.3g' },
      ],
    },
  };
  const body =
    panelCount > 1
      ? { data: { values: rows }, facet: { field: 'panel', type: 'nominal', title: null, sort: panelOrder }, spec: layer }
      : { data: { values: rows }, ...layer };
  const title = titleBlock(`Final ESDs across ${param ?? 'runs'}`, subtitle);
  if (missing.some((r) => r.status !== 'done')) title['subtitleColor'] = DIVERGED_COLOR;
  return topLevel(body, title);
}
