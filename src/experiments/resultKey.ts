import type { ExperimentConfig } from './configSchema.js';
import { sha256Hex } from './sha256Hex.js';
import { stableJson } from './stableJson.js';

/**
 * What identifies the results of a config: the SHA-256 (64 hex digits) of its canonical JSON
 * without the keys that do not change what is computed (`out`: where results go; `backend`: which
 * backend computes them). Run folders use its first 8 digits (runs/<name>-<key8>); the results store
 * keys sweeps by it, so running the same sweep file again resumes.
 */
export function resultKey(config: ExperimentConfig): string {
  const { out: _out, backend: _backend, ...rest } = config;
  return sha256Hex(stableJson(rest));
}
