/**
 * The optimizers of SPEC section 4 share one shape: a stateful object (its moments are real state)
 * that updates one parameter array in place from its gradient and the step's learning rate.
 */
import type { ElementwiseKernels, FloatArray } from '../linalg/index.js';

/** An optimizer bound to one parameter array. */
export interface Optimizer {
  /**
   * One update of `parameter` in place from `gradient` (same length and dtype) at `learningRate`.
   * L2 weight decay, when configured, is added to the gradient (not decoupled). With `kernels` (a
   * backend's Backend.elementwise) the update may run there; the result is the same bits.
   */
  step(parameter: FloatArray, gradient: FloatArray, learningRate: number, kernels?: ElementwiseKernels): void;
  /** Optimizer steps taken so far. */
  readonly stepCount: number;
  /** The state (step count and moment buffers, not copied: serialize before the next step). */
  saveState(): OptimizerState;
  /** Continues from a saved state (buffers copied in); the parameter length must match. */
  loadState(state: OptimizerState): void;
}

/** An optimizer's state for a checkpoint: its step count and buffers by name (null = not allocated yet). */
export interface OptimizerState {
  readonly stepCount: number;
  readonly buffers: Readonly<Record<string, FloatArray | null>>;
}

/** Hyper-parameters common to the optimizers. */
export interface OptimizerSettings {
  /** Momentum mu of GD (ignored by Adam). */
  readonly momentum: number;
  /** L2 weight decay wd: the gradient becomes G + wd * W. */
  readonly weightDecay: number;
}
