import { sweepReportData, type ResultsStore } from '../store/index.js';
import { writeSweepReport } from '../report/index.js';

/** Writes report.html and plots for a stored sweep into `dir`; returns the files written. */
export async function rebuildSweepReport(store: ResultsStore, sweepId: number, dir: string): Promise<string[]> {
  const { files, failures } = await writeSweepReport(dir, sweepReportData(store, sweepId));
  for (const failure of failures) process.stderr.write(`esdlab: warning: plot ${failure.name} could not be drawn: ${failure.message}\n`);
  return files;
}
