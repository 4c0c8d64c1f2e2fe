import { ConfigError } from '../errors.js';
import { LISTABLE_KEYS, type ExperimentConfig, type ListableKey, type ScalarExperimentConfig } from './configSchema.js';

/** The value a sweep key holds in a config (a scalar or a list). */
export function sweepValueOf(config: ExperimentConfig, key: ListableKey): unknown {
  if (key === 'lr_scheduler_kwargs.gamma') return config.lr_scheduler_kwargs?.gamma;
  return config[key];
}

/** The sweep keys of a config that hold lists, in LISTABLE_KEYS order (empty for a single run). */
export function listValuedKeys(config: ExperimentConfig): ListableKey[] {
  return LISTABLE_KEYS.filter((key) => Array.isArray(sweepValueOf(config, key)));
}

/** Whether every sweep key of the config holds one value, so that it describes one training run. */
export function isScalarConfig(config: ExperimentConfig): config is ExperimentConfig & ScalarExperimentConfig {
  return listValuedKeys(config).length === 0;
}

/**
 * A copy of the config with one sweep key set to one value (for expanding a sweep grid). Setting n
 * also resolves a full-batch batch_size (null, or equal to the old n) to the new n.
 */
export function withSweepValue(config: ExperimentConfig, key: ListableKey, value: string | number): ExperimentConfig {
  if (key === 'lr_scheduler_kwargs.gamma') {
    if (config.lr_scheduler_kwargs === null) throw new ConfigError('lr_scheduler_kwargs.gamma: cannot vary gamma without lr_scheduler_kwargs', key);
    return { ...config, lr_scheduler_kwargs: { ...config.lr_scheduler_kwargs, gamma: value as number } };
  }
  if (key === 'n') {
    const isFullBatch = config.batch_size === null || config.batch_size === config.n;
    return { ...config, n: value as number, batch_size: isFullBatch ? null : config.batch_size };
  }
  return { ...config, [key]: value } as ExperimentConfig;
}

/**
 * Checks that a config describes one training run and returns it typed as such, with batch_size
 * resolved (null means full batch, batch_size = n). Throws ConfigError naming the list-valued keys
 * and pointing at `esdlab sweep` otherwise.
 */
export function requireScalarConfig(config: ExperimentConfig): ScalarExperimentConfig {
  const listKeys = listValuedKeys(config);
  if (listKeys.length > 0) {
    throw new ConfigError(
      `${listKeys.join(', ')} ${listKeys.length === 1 ? 'holds a list' : 'hold lists'}: this config is a sweep; run it with \`esdlab sweep\` (esdlab run trains one configuration)`,
      listKeys[0],
    );
  }
  const scalar = config as ScalarExperimentConfig;
  const batchSize = scalar.batch_size ?? scalar.n;
  if (batchSize > scalar.n) {
    throw new ConfigError(`batch_size: ${batchSize} is not allowed; it must be <= n (${scalar.n}), or null for full batch`, 'batch_size');
  }
  return { ...scalar, batch_size: batchSize, batch_size_test: scalar.batch_size_test ?? scalar.n_test };
}
