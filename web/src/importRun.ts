/**
 * Import of a run folder written by `esdlab run`: metrics.json (the metrics document, with the
 * resolved config) and spectra/step-<k>.npy (the eigenvalues of WᵀW at each probe, decoded with
 * src/formats), from a dropped folder or picked files.
 */
import { decodeNpy, InputError, type ProbeLike, type RunMetricsDocument } from '../../src/browser.js';

/** A run read back from its files. */
export interface ImportedRun {
  metrics: RunMetricsDocument;
  probes: ProbeLike[];
}

/** Reads metrics.json and every step-<k>.npy among `files`; throws InputError naming what is missing or bad. */
export async function importRunFiles(files: readonly File[]): Promise<ImportedRun> {
  const metricsFile = files.find((f) => f.name === 'metrics.json');
  if (!metricsFile) throw new InputError('import: metrics.json is missing; pick the run folder written by `esdlab run`, or its metrics.json and spectra/*.npy');
  let metrics: RunMetricsDocument;
  try {
    metrics = JSON.parse(await metricsFile.text()) as RunMetricsDocument;
  } catch (error) {
    throw new InputError(`import: metrics.json is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!Array.isArray(metrics.steps) || typeof metrics.config !== 'object' || metrics.config === null) {
    throw new InputError('import: metrics.json has no steps or config; is it an `esdlab run` metrics.json?');
  }
  const probes: ProbeLike[] = [];
  for (const file of files) {
    const match = /^step-(\d+)\.npy$/.exec(file.name);
    if (!match) continue;
    const array = decodeNpy(new Uint8Array(await file.arrayBuffer()));
    probes.push({ step: Number(match[1]), eigenvalues: Float64Array.from(array.data) });
  }
  probes.sort((a, b) => a.step - b.step);
  return { metrics, probes };
}
