/**
 * Read-side views of the results store for `esdlab runs`: the JSON shapes the CLI prints (snake_case,
 * the file contract of issue 5) and the CSV export. Pure functions over a ResultsStore.
 */
import type { ResultsStore, RunRecord, SweepRecord } from './resultsStore.js';

/** A sweep as `esdlab runs ls --json` prints it. */
export function sweepSummaryJson(sweep: SweepRecord): Record<string, unknown> {
  return {
    id: sweep.id,
    name: sweep.name,
    cells: sweep.cells,
    done: sweep.done,
    diverged: sweep.diverged,
    failed: sweep.failed,
    running: sweep.running,
    pending: sweep.pending,
    created_at: sweep.createdAt,
    config_hash: sweep.configHash,
  };
}

/** A run as `esdlab runs ls --json` prints it. */
export function runSummaryJson(run: RunRecord): Record<string, unknown> {
  return {
    id: run.id,
    sweep_id: run.sweepId,
    status: run.status,
    params: run.params,
    repeat: run.repeat,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    diverged_at_step: run.divergedAtStep,
    error: run.error,
    timing: run.timing,
    worker: run.worker,
  };
}

/** `{"runs":[{id, params, repeat, status, steps:[...]}]}` for one sweep, as `esdlab runs export --format json` prints it. */
export function exportSweepJson(store: ResultsStore, sweepId: number): { runs: Record<string, unknown>[] } {
  store.getSweep(sweepId); // throws a clear error for an unknown id
  return {
    runs: store.listRuns(sweepId).map((run) => ({
      id: run.id,
      params: run.params,
      repeat: run.repeat,
      status: run.status,
      diverged_at_step: run.divergedAtStep,
      error: run.error,
      steps: store.runSteps(run.id),
    })),
  };
}

/**
 * One CSV row per (run, probed step): run_id, repeat, status, one column per parameter, then one per
 * metric. Columns are the union over all runs, in first-seen order; missing values are empty.
 */
export function exportSweepCsv(store: ResultsStore, sweepId: number): string {
  const { runs } = exportSweepJson(store, sweepId);
  const paramKeys: string[] = [];
  const metricKeys: string[] = [];
  const note = (list: string[], key: string) => {
    if (!list.includes(key)) list.push(key);
  };
  for (const run of runs) {
    for (const key of Object.keys(run.params as object)) note(paramKeys, key);
    for (const step of run.steps as Record<string, unknown>[]) for (const key of Object.keys(step)) note(metricKeys, key);
  }
  const header = ['run_id', 'repeat', 'status', ...paramKeys, ...metricKeys];
  const lines = [header.map(csvCell).join(',')];
  for (const run of runs) {
    const params = run.params as Record<string, unknown>;
    const steps = run.steps as Record<string, unknown>[];
    for (const step of steps.length > 0 ? steps : [{}]) {
      lines.push([run.id, run.repeat, run.status, ...paramKeys.map((k) => params[k]), ...metricKeys.map((k) => step[k])].map(csvCell).join(','));
    }
  }
  return lines.join('\n') + '\n';
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
