/**
 * The experiment config: one zod schema that is the single source of the keys, their defaults and
 * their allowed values. The keys are the original project's (SPEC section 7), so a researcher's
 * existing files parse unchanged; esdlab's own keys (seed, out, precision, backend, name, init) are
 * additive. Keys that a sweep varies (optimizer, lr, n, reg_lambda, label_noise_std,
 * lr_scheduler_kwargs.gamma) take a scalar or a non-empty list; `esdlab run` needs scalars.
 *
 * What each key allows, in words (ALLOWED_VALUES, for error messages and docs/configs.md), is
 * derived from the schema by `allowedValues.ts`; `.meta({ allowed })` states it by hand only where
 * the rule is more than zod checks (a cross-key bound, what null means).
 */
import { z } from './zodModule.js';
import { allowedValuesOf } from './allowedValues.js';

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

const initPath = z.string().min(1).optional().meta({ allowed: 'a path to a .npy file, relative to the config file' });
const initSchema = z.strictObject(Object.fromEntries(INIT_KEYS.map((key) => [key, initPath])) as Record<InitKey, typeof initPath>);

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

/** The short parameter name of a sweep key (its last dotted part: 'lr_scheduler_kwargs.gamma' is 'gamma'), as varying_param, cells, the store and the reports name it. */
export function paramName<K extends ListableKey>(key: K): SweepParam {
  return key.slice(key.lastIndexOf('.') + 1) as SweepParam;
}

/** The short names of the sweep keys, in LISTABLE_KEYS order: what varying_param may name. */
export const SWEEP_PARAMS = LISTABLE_KEYS.map(paramName) as [SweepParam, ...SweepParam[]];

/** A sweep key's short name ('gamma' for lr_scheduler_kwargs.gamma). */
export type SweepParam = { [K in ListableKey]: K extends `${string}.${infer Last}` ? Last : K }[ListableKey];

/** The sweep key a short parameter name stands for (the inverse of paramName). */
export function sweepKeyOf(param: SweepParam): ListableKey {
  return LISTABLE_KEYS.find((key) => paramName(key) === param)!;
}

/** The keys of the original project's experiment configs (SPEC section 7); every other key is esdlab's own. */
export const ORIGINAL_KEYS = [
  'L', 'n', 'batch_size', 'n_test', 'batch_size_test', 'h', 'd', 'label_noise_std', 'optimizer', 'momentum', 'weight_decay', 'lr',
  'lr_scheduler_cls', 'lr_scheduler_kwargs', 'reg_lambda', 'enable_weight_normalization', 'num_epochs', 'probe_freq_steps',
  'probe_weights', 'probe_features', 'plot_overlaps', 'fix_last_layer', 'lightweight', 'enable_ww', 'repeat', 'varying_param',
] as const;

/**
 * The config schema. Defaults are the paper's main experiment (SPEC section 7). `batch_size: null`
 * (the default) means full batch, batch_size = n; `batch_size_test: null` means n_test.
 */
export const experimentConfigSchema = z.strictObject({
  L: z.literal(2).default(2).meta({ allowed: '2 (esdlab trains two-layer students only)' }),
  n: listable(positiveInteger).default(2000),
  batch_size: positiveInteger.nullable().default(null).meta({ allowed: 'an integer >= 1 and <= n, or null for full batch' }),
  n_test: positiveInteger.default(200),
  batch_size_test: positiveInteger.nullable().default(null).meta({ allowed: 'an integer >= 1 and <= n_test, or null' }),
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
  varying_param: z.enum(SWEEP_PARAMS).nullable().default(null),
  // esdlab's additions
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  out: z.string().min(1).nullable().default(null).meta({ allowed: 'a folder path, or null for runs/<name>-<hash>' }),
  precision: z.enum(['f32', 'f64']).default('f32'),
  backend: z.enum(BACKEND_NAMES).nullable().default(null),
  name: z.string().min(1).nullable().default(null).meta({ allowed: 'a non-empty string, or null for the config file name' }),
  init: initSchema.default({}).meta({ allowed: `a mapping from some of ${INIT_KEYS.join(', ')} to .npy paths` }),
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
 * What each key allows, in words, for one-line error messages and the docs' table (dotted paths for
 * nested keys), derived from the schema.
 */
export const ALLOWED_VALUES: Readonly<Record<string, string>> = allowedValuesOf(experimentConfigSchema);

/** Valid keys at each level of the config, for suggesting the closest one to an unknown key. */
export const VALID_KEYS: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(experimentConfigSchema.shape),
  lr_scheduler_kwargs: Object.keys(lrSchedulerKwargsSchema.shape),
  init: INIT_KEYS,
};
