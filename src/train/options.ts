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
  /** `num_epochs` (>= 1); steps = num_epochs * ceil(n / B). */
  readonly numEpochs: number;
  /** `probe_freq_steps`: with the linear schedule, probe at step 0, every this many steps, and at the last step. */
  readonly probeEverySteps: number;
  /** `probe_schedule`: 'linear' (every probeEverySteps) or 'log' (about 30 log-spaced probes per decade, plus 0 and the last step). */
  readonly probeSchedule: ProbeScheduleName;
  /**
   * `readout_features`: the features of the ridge read-out and of KTA. 'reference' (the original
   * code's) is tanh(X W^T / d) / sqrt(h), 'paper' (the paper's formula) tanh(X W^T / sqrt(d)) / sqrt(h).
   * Training is not affected (docs/training.md).
   */
  readonly readoutFeatures: ReadoutFeaturesName;
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

/** How probe steps are spaced (see probeSteps). */
export type ProbeScheduleName = 'linear' | 'log';

/** Which read-out features (see TrainOptions.readoutFeatures). */
export type ReadoutFeaturesName = 'reference' | 'paper';

/** Leading singular vectors compared in the update-geometry overlaps (the heat maps' block). */
export const OVERLAP_BLOCK_SIZE = 20;
