import { Adam } from './adam.js';
import { GradientDescent } from './gradientDescent.js';
import type { Optimizer, OptimizerSettings } from './optimizer.js';

/** The optimizers by config name (`sgd` is full-batch GD when batch_size = n). */
export const optimizers = {
  sgd: (settings: OptimizerSettings): Optimizer => new GradientDescent(settings),
  adam: (settings: OptimizerSettings): Optimizer => new Adam(settings),
} as const;

/** A config's optimizer name. */
export type OptimizerName = keyof typeof optimizers;

/** A fresh optimizer (no state yet) for one parameter array. */
export function createOptimizer(name: OptimizerName, settings: OptimizerSettings): Optimizer {
  return optimizers[name](settings);
}
