import type { DType, FloatArray } from '../linalg/index.js';
import { Adam } from './adam.js';
import { GradientDescent } from './gradientDescent.js';
import type { Optimizer, OptimizerSettings } from './optimizer.js';

/** The optimizers by config name (`sgd` is full-batch GD when batch_size = n). */
export const optimizers = {
  sgd: (settings: OptimizerSettings): Optimizer => new GradientDescent(settings),
  adam: (settings: OptimizerSettings, allocateBuffer?: (length: number, dtype: DType) => FloatArray): Optimizer => new Adam(settings, allocateBuffer),
} as const;

/** A config's optimizer name. */
export type OptimizerName = keyof typeof optimizers;

/**
 * A fresh optimizer (no state yet) for one parameter array. `allocateBuffer` places Adam's moments
 * (a backend's reserved block, Backend.reserve); GD's momentum buffer stays a plain array (no kernel updates it).
 */
export function createOptimizer(name: OptimizerName, settings: OptimizerSettings, allocateBuffer?: (length: number, dtype: DType) => FloatArray): Optimizer {
  return optimizers[name](settings, allocateBuffer);
}
