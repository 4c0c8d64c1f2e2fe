/**
 * The checks of `esdlab run CONFIG --resume DIR`, done before anything is written: DIR is an
 * unfinished esdlab run folder with a checkpoint, and the config it ran is CONFIG's (the
 * difference is named otherwise). Nothing in DIR is touched by a failed check.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.js';
import type { ExperimentConfig } from '../experiments/configSchema.js';
import { parseExperimentConfig } from '../experiments/parseExperimentConfig.js';
import { stableJson } from '../experiments/stableJson.js';
import { CHECKPOINT_FILE, readRunCheckpoint, type RunCheckpoint } from './runCheckpoint.js';
import { RUN_FILES } from './runOutput.js';

/** Keys a resume may change: where results go and which backend computes them. */
const RESUMABLE_DIFFERENCES = new Set(['out', 'backend']);

/**
 * The differences between two resolved configs, as "key: A in the folder, B in the config" (keys
 * that a resume may change left out), in key order. Empty when they train the same run.
 */
export function configDifferences(inFolder: ExperimentConfig, given: ExperimentConfig): string[] {
  const keys = [...new Set([...Object.keys(inFolder), ...Object.keys(given)])].sort();
  const differences: string[] = [];
  for (const key of keys) {
    if (RESUMABLE_DIFFERENCES.has(key)) continue;
    const a = stableJson((inFolder as Record<string, unknown>)[key] ?? null);
    const b = stableJson((given as Record<string, unknown>)[key] ?? null);
    if (a !== b) differences.push(`${key}: ${a} in the folder, ${b} in the config`);
  }
  return differences;
}

/**
 * Checks that `directory` can be resumed with `config` and returns its checkpoint. Throws
 * InputError in one line: a missing folder, a folder that is not an esdlab run, a finished run,
 * a run without a checkpoint, an unreadable checkpoint, or a config that differs (naming how).
 */
export function checkResumeDirectory(directory: string, config: ExperimentConfig): RunCheckpoint {
  let isDirectory = false;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch {
    throw new InputError(`--resume ${directory}: no such folder`);
  }
  if (!isDirectory) throw new InputError(`--resume ${directory}: not a folder`);
  const configPath = join(directory, RUN_FILES.resolvedConfig);
  if (!existsSync(configPath)) throw new InputError(`--resume ${directory}: not an esdlab run folder (no ${RUN_FILES.resolvedConfig})`);
  if (existsSync(join(directory, RUN_FILES.metrics))) {
    throw new InputError(`--resume ${directory}: the run is finished (${RUN_FILES.metrics} exists); nothing to resume`);
  }
  let inFolder: ExperimentConfig;
  try {
    inFolder = parseExperimentConfig(parseYaml(readFileSync(configPath, 'utf8'))).config;
  } catch (error) {
    throw new InputError(`--resume ${directory}: its ${RUN_FILES.resolvedConfig} is not a valid esdlab config (${(error as Error).message})`);
  }
  const differences = configDifferences(inFolder, config);
  if (differences.length > 0) {
    throw new InputError(`--resume ${directory}: the folder's run used another config (${differences.join('; ')}); resume with the config it ran`);
  }
  const checkpoint = readRunCheckpoint(directory);
  if (!checkpoint) {
    const hint = config.checkpoint_every_steps === null ? 'the config has checkpoint_every_steps: null' : 'it was stopped before its first checkpoint';
    throw new InputError(`--resume ${directory}: no ${CHECKPOINT_FILE} to resume from (${hint}); start the run again in a new folder`);
  }
  return checkpoint;
}
