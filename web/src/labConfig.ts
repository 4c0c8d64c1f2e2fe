/**
 * The lab's config: the controls (the same keys as the YAML files), the presets, the URL query
 * string that holds a config, and validation through the CLI's zod schema (parseExperimentConfig
 * and requireScalarConfig), so a bad value gets the CLI's message.
 */
import { ConfigError, parseExperimentConfig, requireScalarConfig, type ScalarExperimentConfig } from '../../src/browser.js';

/** A control of the form: a config key, its kind, and the choices of a select. */
export interface Control {
  readonly key: string;
  readonly label: string;
  readonly kind: 'number' | 'integer' | 'select' | 'boolean' | 'log';
  readonly choices?: readonly string[];
}

/** Every training key the lab exposes, in form order. `lr` is a log slider plus a typed value. */
export const CONTROLS: readonly Control[] = [
  { key: 'optimizer', label: 'optimizer', kind: 'select', choices: ['adam', 'sgd'] },
  { key: 'lr', label: 'learning rate', kind: 'log' },
  { key: 'momentum', label: 'momentum', kind: 'number' },
  { key: 'weight_decay', label: 'weight decay', kind: 'number' },
  { key: 'lr_scheduler_cls', label: 'schedule', kind: 'select', choices: ['none', 'StepLR'] },
  { key: 'lr_scheduler_kwargs.step_size', label: 'StepLR step size', kind: 'integer' },
  { key: 'lr_scheduler_kwargs.gamma', label: 'StepLR gamma', kind: 'number' },
  { key: 'n', label: 'n (train samples)', kind: 'integer' },
  { key: 'd', label: 'd (input dim)', kind: 'integer' },
  { key: 'h', label: 'h (hidden width)', kind: 'integer' },
  { key: 'n_test', label: 'n_test', kind: 'integer' },
  { key: 'label_noise_std', label: 'label noise std', kind: 'number' },
  { key: 'reg_lambda', label: 'reg_lambda (ridge)', kind: 'number' },
  { key: 'batch_size', label: 'batch size (empty = full batch)', kind: 'integer' },
  { key: 'num_epochs', label: 'epochs', kind: 'integer' },
  { key: 'probe_freq_steps', label: 'probe every (steps)', kind: 'integer' },
  { key: 'enable_weight_normalization', label: 'weight normalization', kind: 'boolean' },
  { key: 'plot_overlaps', label: 'overlaps', kind: 'boolean' },
  { key: 'seed', label: 'seed', kind: 'integer' },
  { key: 'precision', label: 'precision', kind: 'select', choices: ['f32', 'f64'] },
];

/** A flat config: control key to value (null = the YAML null). */
export type FlatConfig = Record<string, number | string | boolean | null>;

const PAPER: FlatConfig = {
  optimizer: 'adam', lr: 1, momentum: 0, weight_decay: 0, lr_scheduler_cls: 'none',
  'lr_scheduler_kwargs.step_size': 1, 'lr_scheduler_kwargs.gamma': 0.6,
  n: 2000, d: 1000, h: 1500, n_test: 200, label_noise_std: 0.3, reg_lambda: 0.01, batch_size: null,
  num_epochs: 10, probe_freq_steps: 10, enable_weight_normalization: false, plot_overlaps: false, seed: 0, precision: 'f32',
};

/** The presets: the paper's runs (configs/main.yml, bulk_lr.yml's GD cell, main_lr_schedule.yml) and a small fast one. */
export const PRESETS: Readonly<Record<string, FlatConfig>> = {
  'main (Adam, lr = 1)': PAPER,
  'GD, lr = 2000': { ...PAPER, optimizer: 'sgd', lr: 2000 },
  'StepLR (Adam, gamma = 0.6)': { ...PAPER, lr_scheduler_cls: 'StepLR', probe_freq_steps: 1 },
  'small and fast': { ...PAPER, n: 200, d: 100, h: 150, n_test: 50, num_epochs: 20, probe_freq_steps: 5 },
};

/** The default when the URL holds nothing. */
export const DEFAULT_PRESET = 'small and fast';

/** The raw config object (as YAML would give it) from a flat config; 'none' and empty values become null. */
export function rawConfig(flat: FlatConfig): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const kwargs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    if (key.startsWith('lr_scheduler_kwargs.')) kwargs[key.slice('lr_scheduler_kwargs.'.length)] = value;
    else raw[key] = value === 'none' ? null : value;
  }
  raw['lr_scheduler_kwargs'] = raw['lr_scheduler_cls'] === null ? null : kwargs;
  raw['batch_size_test'] = null;
  return raw;
}

/** The validated config, or the CLI's one-line message and the key it names. */
export type Validation = { ok: true; config: ScalarExperimentConfig } | { ok: false; message: string; key: string | undefined };

/** Validates a flat config with the CLI's schema and rules. */
export function validateConfig(flat: FlatConfig): Validation {
  try {
    const { config } = parseExperimentConfig(rawConfig(flat));
    return { ok: true, config: requireScalarConfig(config) };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, message: error.message, key: error.key };
    throw error;
  }
}

/** Parses a form or query value of `control` ('' = null for numbers; 'true'/'false' for booleans). */
export function parseValue(control: Control, text: string): number | string | boolean | null {
  if (control.kind === 'boolean') return text === 'true';
  if (control.kind === 'select') return text;
  if (text.trim() === '' || text === 'null') return null;
  const value = Number(text);
  return Number.isNaN(value) ? text : value;
}

/** The query string of a flat config (every control key) plus `extra` (e.g. run=1). */
export function queryFromConfig(flat: FlatConfig, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const control of CONTROLS) params.set(control.key, String(flat[control.key] ?? ''));
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

/** A flat config from a query string: the default preset, overridden by every control key present. */
export function configFromQuery(query: string): FlatConfig {
  const params = new URLSearchParams(query);
  const preset = params.get('preset');
  const flat: FlatConfig = { ...PRESETS[preset !== null && preset in PRESETS ? preset : DEFAULT_PRESET]! };
  for (const control of CONTROLS) {
    const text = params.get(control.key);
    if (text !== null) flat[control.key] = parseValue(control, text);
  }
  return flat;
}
