import type { ProblemOptions } from '../model/index.js';
import type { OptimizerName, StepLrSchedule } from '../optim/index.js';

/**
 * Everything the training engine needs, already validated and defaulted by the config layer
 * (src/experiments); the engine does not re-default. Names map to the original YAML keys as noted.
 */
export interface TrainOptions extends ProblemOptions {
  /** n (`n`): training samples; the probe split has n too. */
  readonly numTrain: number;
  /** n_test (`n_test`). */
  readonly numTest: number;
  /** d (`d`). */
  readonly inputDim: number;
  /** h (`h`). */
  readonly hiddenDim: number;
  /** rho_e (`label_noise_std`). */
  readonly labelNoiseStd: number;
  /** B (`batch_size`); B >= n is full batch (the paper). */
  readonly batchSize: number;
  /** `optimizer`: 'sgd' (GD with momentum) or 'adam'. */
  readonly optimizer: OptimizerName;
  /** `lr`, the base learning rate. */
  readonly learningRate: number;
  /** `momentum` (GD only). */
  readonly momentum: number;
  /** `weight_decay`, L2 added to the gradient. */
  readonly weightDecay: number;
  /** `lr_scheduler_cls` + `lr_scheduler_kwargs`, or null for a constant rate. */
  readonly lrSchedule: StepLrSchedule | null;
  /** lambda (`reg_lambda`) of the ridge read-out. */
  readonly regLambda: number;
  /** `enable_weight_normalization`: rescale W to ||W||_F = sqrt(h d) before every step. */
  readonly shouldNormalizeWeights: boolean;
  /** `num_epochs`; steps = num_epochs * ceil(n / B). */
  readonly numEpochs: number;
  /** `probe_freq_steps`: probe at step 0, every this many steps, and at the last step. */
  readonly probeEverySteps: number;
  /** `probe_weights`: ESD, power-law fits, MP fit, alignment with beta*. */
  readonly shouldProbeWeights: boolean;
  /** `probe_features`: KTA on the probe split. */
  readonly shouldProbeFeatures: boolean;
  /** `plot_overlaps`: the update geometry between consecutive probes (needs shouldProbeWeights). */
  readonly shouldComputeOverlaps: boolean;
  /** `fix_last_layer`: a stays at its initial value and evaluation uses the ridge read-out. */
  readonly isLastLayerFixed: boolean;
  /** The dtype training runs in; probes and spectra always run in f64. */
  readonly precision: 'f32' | 'f64';
}

/** Leading singular vectors compared in the update-geometry overlaps (the heat maps' block). */
export const OVERLAP_BLOCK_SIZE = 20;
