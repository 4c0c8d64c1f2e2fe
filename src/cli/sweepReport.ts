import { sweepReportData, type ResultsStore } from '../store/index.js';

/**
 * Writes report.html and plots for a stored sweep into `dir`; returns the files written. The report
 * modules (vega, vega-lite, resvg: about half a second to load) load here, on first use, not when
 * the CLI starts.
 */
export async function rebuildSweepReport(store: ResultsStore, sweepId: number, dir: string): Promise<string[]> {
  const { writeSweepReport } = await import('../report/writeReport.js');
  const { files, failures } = await writeSweepReport(dir, sweepReportData(store, sweepId));
  for (const failure of failures) process.stderr.write(`esdlab: warning: plot ${failure.name} could not be drawn: ${failure.message}\n`);
  return files;
}
