import { closest } from 'fastest-levenshtein';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { ALLOWED_VALUES, VALID_KEYS, experimentConfigSchema, type ExperimentConfig } from './configSchema.js';

/** A parsed config plus the notices the user should see (keys accepted but ignored, say). */
export interface ParsedExperimentConfig {
  readonly config: ExperimentConfig;
  /** One-line notices for stderr, e.g. that enable_ww is ignored. */
  readonly notices: readonly string[];
}

/**
 * Validates a config object (as read from YAML) once, at the edge: fills in the defaults, resolves
 * `batch_size: null` to n and `batch_size_test: null` to n_test where n is one value, and checks
 * the cross-key rules (batch_size <= n, a StepLR schedule has its kwargs).
 * Throws ConfigError naming the first offending key, its value and what is allowed; an unknown key
 * is named with the closest valid key as a suggestion.
 */
export function parseExperimentConfig(raw: unknown): ParsedExperimentConfig {
  const input: unknown = raw ?? {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError('a config must be a mapping of keys to values (see docs/configs.md)');
  }
  const result = experimentConfigSchema.safeParse(input);
  if (!result.success) throw configErrorFromIssue(result.error.issues[0]!, input);
  const config = { ...result.data };
  const notices: string[] = [];

  if (typeof config.n === 'number' && config.batch_size === null) config.batch_size = config.n;
  if (config.batch_size_test === null) config.batch_size_test = config.n_test;
  const smallestN = typeof config.n === 'number' ? config.n : Math.min(...config.n);
  if (config.batch_size !== null && config.batch_size > smallestN) {
    throw new ConfigError(
      `batch_size: ${config.batch_size} is not allowed; it must be <= n (${smallestN}), or null for full batch`,
      'batch_size',
    );
  }
  if (config.batch_size_test > config.n_test) {
    throw new ConfigError(
      `batch_size_test: ${config.batch_size_test} is not allowed; it must be <= n_test (${config.n_test}), or null`,
      'batch_size_test',
    );
  }
  if (config.lr_scheduler_cls === 'StepLR' && config.lr_scheduler_kwargs === null) {
    throw new ConfigError('lr_scheduler_kwargs: missing; lr_scheduler_cls StepLR needs lr_scheduler_kwargs {step_size, gamma}', 'lr_scheduler_kwargs');
  }
  if (config.lr_scheduler_cls === null && config.lr_scheduler_kwargs !== null) {
    notices.push('lr_scheduler_kwargs is ignored because lr_scheduler_cls is null (no schedule)');
  }
  if (config.enable_ww) {
    notices.push('enable_ww is ignored: esdlab computes the WeightWatcher-style metrics itself (esdlab analyze)');
  }
  return { config, notices };
}

/** Turns the first zod issue into a one-line ConfigError: key, value, what is allowed. */
function configErrorFromIssue(issue: z.core.$ZodIssue, raw: object): ConfigError {
  const objectPath = issue.path.filter((part): part is string => typeof part === 'string');
  if (issue.code === 'unrecognized_keys') {
    const parent = objectPath.join('.');
    const unknown = issue.keys[0]!;
    const candidates = VALID_KEYS[parent] ?? [];
    const fullKey = parent === '' ? unknown : `${parent}.${unknown}`;
    const suggestion = candidates.length > 0 ? `; did you mean '${closest(unknown, [...candidates])}'?` : '';
    return new ConfigError(`unknown config key '${fullKey}'${suggestion} (docs/configs.md lists every key)`, fullKey);
  }
  const key = objectPath.join('.');
  const allowed = ALLOWED_VALUES[key] ?? issue.message;
  const value = valueAt(raw, issue.path);
  const listIndex = issue.path.find((part) => typeof part === 'number');
  const where = typeof listIndex === 'number' ? ` (item ${listIndex + 1} of its list)` : '';
  return new ConfigError(`${key}: ${formatValue(value)}${where} is not allowed; it must be ${allowed}`, key);
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = raw;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function formatValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return `'${value}'`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
