/**
 * Layer-wise sparsity from heavy-tail metrics, the AlphaPruning allocation (Lu, Zhou, Chen, Shi,
 * Mahoney, Yang, "AlphaPruning: Using Heavy-Tailed Self Regularization Theory for Improved
 * Layer-wise Pruning of Large Language Models", NeurIPS 2024). A layer with a smaller
 * PL_Alpha_Hill is better trained (heavier-tailed ESD) and is pruned less. The mapping, as in the
 * paper: alpha is mapped linearly onto [1 - epsilon, 1 + epsilon] (min alpha to 1 - epsilon, max
 * to 1 + epsilon), then scaled so that the parameter-weighted mean sparsity equals the target S.
 */
import { InputError } from '../errors.js';

/** One layer's input: its alpha and its parameter count (rows x cols). */
export interface SparsityInput {
  readonly name: string;
  readonly alpha: number;
  readonly numParameters: number;
}

/** The allocated sparsity of each layer (fraction of its weights to prune), in input order. */
export interface SparsityAllocation {
  readonly name: string;
  readonly alpha: number;
  readonly sparsity: number;
}

/**
 * Allocates per-layer sparsities averaging `target` (weighted by parameter count).
 * @param target the mean sparsity S, in (0, 1)
 * @param epsilon half-width of the spread around S before rescaling (AlphaPruning's epsilon; default 0.3)
 * Throws an InputError when no layer has a finite alpha or the allocation would leave [0, 1].
 */
export function allocateSparsity(layers: readonly SparsityInput[], target: number, epsilon = 0.3): SparsityAllocation[] {
  if (!(target > 0 && target < 1)) throw new InputError(`--allocate-sparsity ${target} is invalid: the mean sparsity must lie in (0, 1)`);
  if (!(epsilon >= 0 && epsilon < 1)) throw new InputError(`--sparsity-epsilon ${epsilon} is invalid: it must lie in [0, 1)`);
  const usable = layers.filter((l) => Number.isFinite(l.alpha) && l.numParameters > 0);
  if (usable.length === 0) throw new InputError('no layer has a finite alpha Hill, so no sparsity can be allocated');
  const alphas = usable.map((l) => l.alpha);
  const lo = Math.min(...alphas);
  const hi = Math.max(...alphas);
  const raw = usable.map((l) => (hi > lo ? ((l.alpha - lo) / (hi - lo)) * 2 * epsilon + (1 - epsilon) : 1));
  const totalParameters = usable.reduce((n, l) => n + l.numParameters, 0);
  const weightedMean = usable.reduce((sum, l, k) => sum + raw[k]! * l.numParameters, 0) / totalParameters;
  const scale = target / weightedMean;
  const out = usable.map((l, k) => ({ name: l.name, alpha: l.alpha, sparsity: raw[k]! * scale }));
  const bad = out.find((o) => o.sparsity < 0 || o.sparsity > 1);
  if (bad) {
    throw new InputError(`--allocate-sparsity ${target} with epsilon ${epsilon} gives layer '${bad.name}' sparsity ${bad.sparsity.toFixed(3)}, outside [0, 1]; lower the target or --sparsity-epsilon`);
  }
  return out;
}
