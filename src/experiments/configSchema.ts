/**
 * The experiment config: one zod schema that is the single source of the keys, their defaults and
 * their allowed values. The keys are the original project's (SPEC section 7), so a researcher's
 * existing files parse unchanged; esdlab's own keys (seed, out, precision, backend, name, init) are
 * additive. Keys that a sweep varies (optimizer, lr, n, reg_lambda, label_noise_std,
 * lr_scheduler_kwargs.gamma) take a scalar or a non-empty list; `esdlab run` needs scalars.
 */
import { z } from 'zod';

/** A scalar, or a non-empty list of them (a sweep axis). */
function listable<T extends z.ZodType>(scalar: T) {
  return z.union([scalar, z.array(scalar).min(1)]);
}

const positiveInteger = z.number().int().min(1);
const optimizerName = z.enum(['sgd', 'adam']);
const learningRate = z.number().positive();
const nonNegative = z.number().min(0);
const gamma = z.number().positive();

/** Keys of the `init:` block: .npy files that replace the seeded draw (paths relative to the config file). */
export const INIT_KEYS = ['X_train', 'y_train', 'X_probe', 'y_probe', 'X_test', 'y_test', 'teacher_beta', 'student_W', 'student_a'] as const;

/** One of the `init:` block's keys. */
export type InitKey = (typeof INIT_KEYS)[number];

const initSchema = z.strictObject(
  Object.fromEntries(INIT_KEYS.map((key) => [key, z.string().min(1).optional()])) as Record<InitKey, z.ZodOptional<z.ZodString>>,
);

const lrSchedulerKwargsSchema = z.strictObject({
  step_size: positiveInteger.default(1),
  gamma: listable(gamma).default(0.1),
});

/** Backends a config or flag may name ('auto' picks the fastest that loads). */
export const BACKEND_NAMES = ['auto', 'native', 'wasm', 'js'] as const;

/** Keys a sweep may vary (dotted for the nested one); each takes a scalar or a list. */
export const LISTABLE_KEYS = ['optimizer', 'lr', 'n', 'reg_lambda', 'label_noise_std', 'lr_scheduler_kwargs.gamma'] as const;

/** One of the keys a sweep may vary. */
export type ListableKey = (typeof LISTABLE_KEYS)[number];

/**
 * The config schema. Defaults are the paper's main experiment (SPEC section 7). `batch_size: null`
 * (the default) means full batch, batch_size = n; `batch_size_test: null` means n_test.
 */
export const experimentConfigSchema = z.strictObject({
  L: z.literal(2).default(2),
  n: listable(positiveInteger).default(2000),
  batch_size: positiveInteger.nullable().default(null),
  n_test: positiveInteger.default(200),
  batch_size_test: positiveInteger.nullable().default(null),
  h: positiveInteger.default(1500),
  d: positiveInteger.default(1000),
  label_noise_std: listable(nonNegative).default(0.3),
  optimizer: listable(optimizerName).default('adam'),
  momentum: z.number().min(0).lt(1).default(0),
  weight_decay: nonNegative.default(0),
  lr: listable(learningRate).default(1),
  lr_scheduler_cls: z.literal('StepLR').nullable().default(null),
  lr_scheduler_kwargs: lrSchedulerKwargsSchema.nullable().default(null),
  reg_lambda: listable(nonNegative).default(0.01),
  enable_weight_normalization: z.boolean().default(false),
  num_epochs: positiveInteger.default(10),
  probe_freq_steps: positiveInteger.default(10),
  probe_schedule: z.enum(['linear', 'log']).default('linear'),
  readout_features: z.enum(['reference', 'paper']).default('reference'),
  checkpoint_every_steps: positiveInteger.nullable().default(null),
  probe_weights: z.boolean().default(true),
  probe_features: z.boolean().default(true),
  plot_overlaps: z.boolean().default(false),
  fix_last_layer: z.boolean().default(true),
  lightweight: z.boolean().default(false),
  enable_ww: z.boolean().default(false),
  repeat: positiveInteger.default(1),
  varying_param: z.enum(['optimizer', 'lr', 'n', 'reg_lambda', 'label_noise_std', 'gamma']).nullable().default(null),
  // esdlab's additions
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  out: z.string().min(1).nullable().default(null),
  precision: z.enum(['f32', 'f64']).default('f32'),
  backend: z.enum(BACKEND_NAMES).nullable().default(null),
  name: z.string().min(1).nullable().default(null),
  init: initSchema.default({}),
});

/** A parsed config: every key present, defaults filled in; sweep keys may still hold lists. */
export type ExperimentConfig = z.output<typeof experimentConfigSchema>;

/** What a config file may contain (every key optional). */
export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>;

/** The lr_scheduler_kwargs block with its gamma resolved to one value. */
export interface ScalarLrSchedulerKwargs {
  readonly step_size: number;
  readonly gamma: number;
}

/** A config whose sweep keys all hold one value: what `esdlab run` and one sweep cell train. */
export type ScalarExperimentConfig = Omit<ExperimentConfig, 'n' | 'label_noise_std' | 'optimizer' | 'lr' | 'reg_lambda' | 'lr_scheduler_kwargs'> & {
  n: number;
  label_noise_std: number;
  optimizer: 'sgd' | 'adam';
  lr: number;
  reg_lambda: number;
  lr_scheduler_kwargs: ScalarLrSchedulerKwargs | null;
};

/**
 * What each key allows, in words, for one-line error messages (dotted paths for nested keys).
 * Kept next to the schema so the two change together.
 */
export const ALLOWED_VALUES: Readonly<Record<string, string>> = {
  L: '2 (esdlab trains two-layer students only)',
  n: 'an integer >= 1 (or a list of them, for esdlab sweep)',
  batch_size: 'an integer >= 1 and <= n, or null for full batch',
  n_test: 'an integer >= 1',
  batch_size_test: 'an integer >= 1 and <= n_test, or null',
  h: 'an integer >= 1',
  d: 'an integer >= 1',
  label_noise_std: 'a number >= 0 (or a list of them, for esdlab sweep)',
  optimizer: "'sgd' or 'adam' (or a list of them, for esdlab sweep)",
  momentum: 'a number in [0, 1)',
  weight_decay: 'a number >= 0',
  lr: 'a number > 0 (or a list of them, for esdlab sweep)',
  lr_scheduler_cls: "'StepLR' or null",
  lr_scheduler_kwargs: 'a mapping with step_size and gamma, or null',
  'lr_scheduler_kwargs.step_size': 'an integer >= 1',
  'lr_scheduler_kwargs.gamma': 'a number > 0 (or a list of them, for esdlab sweep)',
  reg_lambda: 'a number >= 0 (or a list of them, for esdlab sweep)',
  enable_weight_normalization: 'true or false',
  num_epochs: 'an integer >= 1',
  probe_freq_steps: 'an integer >= 1',
  probe_schedule: "'linear' (every probe_freq_steps) or 'log' (about 30 per decade)",
  readout_features: "'reference' (the original code's tanh(XW^T/d)/sqrt(h)) or 'paper' (tanh(XW^T/sqrt(d))/sqrt(h))",
  checkpoint_every_steps: 'an integer >= 1, or null for no checkpoints',
  probe_weights: 'true or false',
  probe_features: 'true or false',
  plot_overlaps: 'true or false',
  fix_last_layer: 'true or false',
  lightweight: 'true or false',
  enable_ww: 'true or false',
  repeat: 'an integer >= 1',
  varying_param: "one of 'optimizer', 'lr', 'n', 'reg_lambda', 'label_noise_std', 'gamma', or null",
  seed: 'an integer >= 0',
  out: 'a folder path, or null for runs/<name>-<hash>',
  precision: "'f32' or 'f64'",
  backend: `one of ${BACKEND_NAMES.map((b) => `'${b}'`).join(', ')}, or null`,
  name: 'a non-empty string, or null for the config file name',
  init: `a mapping from some of ${INIT_KEYS.join(', ')} to .npy paths`,
  ...Object.fromEntries(INIT_KEYS.map((key) => [`init.${key}`, 'a path to a .npy file, relative to the config file'])),
};

/** Valid keys at each level of the config, for suggesting the closest one to an unknown key. */
export const VALID_KEYS: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(experimentConfigSchema.shape),
  lr_scheduler_kwargs: ['step_size', 'gamma'],
  init: INIT_KEYS,
};
