import type { ResultsStore } from './resultsStore.js';

/**
 * Everything a sweep report needs, read from the store alone (structurally the report module's
 * SweepReportData): the sweep's config and, per run, its parameters, status, per-step metrics and
 * the eigenvalues at its last stored step.
 */
export function sweepReportData(store: ResultsStore, sweepId: number) {
  const sweep = store.getSweep(sweepId);
  const config = (sweep.config ?? {}) as Record<string, unknown>;
  const runs = store.listRuns(sweepId).map((run) => {
    const spectra = store.runSpectra(run.id);
    return {
      id: run.id,
      params: run.params as Record<string, number | string | boolean | null>,
      repeat: run.repeat,
      status: run.status,
      steps: store.runSteps(run.id) as { step: number }[],
      finalEigenvalues: spectra.length > 0 ? spectra[spectra.length - 1]!.eigenvalues : null,
      divergedAtStep: run.divergedAtStep,
      error: run.error,
    };
  });
  return { name: sweep.name, config, runs };
}
