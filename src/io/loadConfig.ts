import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError, InputError } from '../errors.js';
import { parseExperimentConfig } from '../experiments/parseExperimentConfig.js';
import type { ExperimentConfig } from '../experiments/configSchema.js';

/** A config file read, parsed and validated. */
export interface LoadedConfig {
  /** The validated config; `name` is filled in from the file name when the file has none. */
  readonly config: ExperimentConfig;
  /** Notices for stderr (keys accepted but ignored). */
  readonly notices: readonly string[];
  /** Absolute path of the config file. */
  readonly path: string;
  /** Folder of the config file: `init:` paths are relative to it. */
  readonly directory: string;
}

/**
 * Reads a YAML config file and validates it (parseExperimentConfig). `overrides` (from command-line
 * flags: seed, precision, backend, out) replace the file's keys before validation, so a bad flag is
 * reported like a bad key. Throws InputError when the file cannot be read, ConfigError when its YAML
 * or its values are wrong.
 */
export function loadConfigFile(path: string, overrides: Readonly<Record<string, unknown>> = {}): LoadedConfig {
  const absolutePath = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolutePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new InputError(`cannot read config ${path}: ${reason}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const line = error.linePos?.[0]?.line;
      const summary = error.message.split('\n')[0];
      throw new ConfigError(`${path}${line ? ` line ${line}` : ''} is not valid YAML: ${summary}`);
    }
    throw error;
  }
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`${path} must be a mapping of config keys to values (see docs/configs.md)`);
  }
  const merged: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) merged[key] = value;
  const { config, notices } = parseExperimentConfig(merged);
  const name = config.name ?? basename(absolutePath, extname(absolutePath));
  return { config: { ...config, name }, notices, path: absolutePath, directory: dirname(absolutePath) };
}
