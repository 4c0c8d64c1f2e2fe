/**
 * The output folder of one `esdlab run`: where it goes, the checks done before anything is written,
 * and the files: config.resolved.yaml, metrics.json, spectra/step-<k>.npy.
 *
 * Policy: esdlab never writes into an existing non-empty folder. A folder that holds a previous run
 * of the same config and seed is refused too (its results are already there), with a message that
 * says so and suggests deleting it or passing --out.
 */
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { InputError } from '../errors.js';
import type { ExperimentConfig } from '../experiments/configSchema.js';
import { resultKey } from '../experiments/resultKey.js';
import type { RunMetricsDocument } from '../experiments/runMetrics.js';
import { writeNpyFile } from './npyFile.js';
import { writeSpectraShape } from './spectraShape.js';

/** File names inside a run folder. */
export const RUN_FILES = {
  resolvedConfig: 'config.resolved.yaml',
  metrics: 'metrics.json',
  spectra: 'spectra',
  plots: 'plots',
  report: 'report.html',
} as const;

/**
 * The default run folder: runs/<config name>-<first 8 hex digits of resultKey(config)>, relative to the working directory; when
 * that folder already holds something (an earlier run of the same config), the first free
 * runs/<name>-<hash>-<k>, k = 2, 3, ..., so that rerunning `npm start` just works and never
 * overwrites an earlier run. An explicit --out is used as given (and must be new or empty).
 */
export function defaultRunDirectory(config: ExperimentConfig): string {
  const base = join('runs', `${config.name ?? 'run'}-${resultKey(config).slice(0, 8)}`);
  for (let k = 1; ; k++) {
    const candidate = k === 1 ? base : `${base}-${k}`;
    if (isAbsentOrEmptyDirectory(candidate)) return candidate;
  }
}

function isAbsentOrEmptyDirectory(directory: string): boolean {
  try {
    return statSync(directory).isDirectory() && readdirSync(directory).length === 0;
  } catch {
    return true;
  }
}

/** config.resolved.yaml's text: every key, defaults filled in, with a header saying what it is. */
export function resolvedConfigYaml(config: ExperimentConfig): string {
  return `# esdlab resolved config: every key, defaults filled in (docs/configs.md)\n${stringifyYaml(config)}`;
}

/**
 * Checks, without writing anything, that `directory` can receive a run: it is absent, or an empty
 * folder, and its nearest existing ancestor is a writable folder. Throws InputError in one line
 * otherwise (a previous run of the same config gets its own message).
 */
export function checkRunDirectory(directory: string, config: ExperimentConfig): void {
  const absolute = resolve(directory);
  let stats;
  try {
    stats = statSync(absolute);
  } catch {
    stats = undefined;
  }
  if (stats) {
    if (!stats.isDirectory()) throw new InputError(`output folder ${directory} is a file; pass --out with a new folder`);
    const entries = readdirSync(absolute);
    if (entries.length > 0) {
      const previousConfig = readTextIfPresent(join(absolute, RUN_FILES.resolvedConfig));
      if (previousConfig !== null && previousConfig === resolvedConfigYaml(config)) {
        const what = entries.includes(RUN_FILES.metrics) ? 'a run' : 'an unfinished run (no metrics.json)';
        throw new InputError(`output folder ${directory} already holds ${what} of this config and seed; delete it to rerun, or pass --out with a new folder`);
      }
      throw new InputError(`output folder ${directory} is not empty; esdlab never writes into a non-empty folder: pass --out with a new folder`);
    }
    checkWritable(absolute, directory);
    return;
  }
  let ancestor = dirname(absolute);
  for (;;) {
    let ancestorStats;
    try {
      ancestorStats = statSync(ancestor);
    } catch {
      const parent = dirname(ancestor);
      if (parent === ancestor) break;
      ancestor = parent;
      continue;
    }
    if (!ancestorStats.isDirectory()) throw new InputError(`cannot create output folder ${directory}: ${ancestor} is a file, not a folder`);
    checkWritable(ancestor, directory);
    return;
  }
}

function checkWritable(existing: string, directory: string): void {
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    throw new InputError(`cannot write output folder ${directory}: ${existing} is not writable`);
  }
}

function readTextIfPresent(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Creates the run folder (and its parents). Throws InputError in one line when that fails. */
export function createRunDirectory(directory: string): void {
  try {
    mkdirSync(resolve(directory), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of the path is a file' : (error as Error).message;
    throw new InputError(`cannot create output folder ${directory}: ${reason}`);
  }
}

/** Writes config.resolved.yaml into the run folder. */
export function writeResolvedConfig(directory: string, config: ExperimentConfig): void {
  writeFileSync(join(directory, RUN_FILES.resolvedConfig), resolvedConfigYaml(config));
}

/** metrics.json's text (2-space indented, trailing newline): what is written and what --json prints. */
export function metricsJsonText(metrics: RunMetricsDocument): string {
  return `${JSON.stringify(metrics, null, 2)}\n`;
}

/** Writes metrics.json into the run folder. */
export function writeMetricsJson(directory: string, metrics: RunMetricsDocument): void {
  writeFileSync(join(directory, RUN_FILES.metrics), metricsJsonText(metrics));
}

/**
 * Writes the eigenvalues of W^T W at each probe as spectra/step-<k>.npy (float64, ascending), and
 * W's shape (`shape`, [h, d]) as spectra/shape.json, so that `esdlab analyze --eigs` needs no
 * --shape. Returns the .npy paths written.
 */
export async function writeSpectra(
  directory: string,
  probes: readonly { readonly step: number; readonly eigenvalues?: ArrayLike<number> | null }[],
  shape: readonly [number, number],
): Promise<string[]> {
  const folder = join(directory, RUN_FILES.spectra);
  const written: string[] = [];
  for (const probe of probes) {
    if (!probe.eigenvalues || probe.eigenvalues.length === 0) continue;
    if (written.length === 0) {
      mkdirSync(folder, { recursive: true });
      writeSpectraShape(folder, shape[0], shape[1]);
    }
    const values = probe.eigenvalues instanceof Float64Array ? probe.eigenvalues : Float64Array.from(probe.eigenvalues);
    const path = join(folder, `step-${probe.step}.npy`);
    await writeNpyFile(path, values, [values.length]);
    written.push(path);
  }
  return written;
}
