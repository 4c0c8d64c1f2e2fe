import { probeSteps, totalTrainingSteps, type TrainOptions } from '../train/index.js';
import type { ScalarExperimentConfig } from './configSchema.js';
import { requireScalarConfig } from './scalarConfig.js';

/**
 * Maps a one-run config (original snake_case keys) to the engine's TrainOptions (camelCase). The
 * config has been validated by parseExperimentConfig; this only renames and resolves
 * batch_size: null to n (full batch). A StepLR schedule becomes {kind: 'StepLR', stepSize, gamma}.
 * Keys the engine does not take (L, batch_size_test, lightweight, enable_ww, repeat,
 * varying_param, seed, out, backend, name, init, checkpoint_every_steps) are the caller's business.
 */
export function toTrainOptions(config: ScalarExperimentConfig): TrainOptions {
  const scalar = requireScalarConfig(config);
  const schedule = scalar.lr_scheduler_cls === 'StepLR' && scalar.lr_scheduler_kwargs !== null
    ? { kind: 'StepLR' as const, stepSize: scalar.lr_scheduler_kwargs.step_size, gamma: scalar.lr_scheduler_kwargs.gamma }
    : null;
  return {
    numTrain: scalar.n,
    numTest: scalar.n_test,
    inputDim: scalar.d,
    hiddenDim: scalar.h,
    labelNoiseStd: scalar.label_noise_std,
    batchSize: scalar.batch_size ?? scalar.n,
    optimizer: scalar.optimizer,
    learningRate: scalar.lr,
    momentum: scalar.momentum,
    weightDecay: scalar.weight_decay,
    lrSchedule: schedule,
    regLambda: scalar.reg_lambda,
    shouldNormalizeWeights: scalar.enable_weight_normalization,
    numEpochs: scalar.num_epochs,
    probeEverySteps: scalar.probe_freq_steps,
    probeSchedule: scalar.probe_schedule,
    readoutFeatures: scalar.readout_features,
    shouldProbeWeights: scalar.probe_weights,
    shouldProbeFeatures: scalar.probe_features,
    shouldComputeOverlaps: scalar.plot_overlaps,
    isLastLayerFixed: scalar.fix_last_layer,
    precision: scalar.precision,
  };
}

/** Optimizer steps of a one-run config: num_epochs * ceil(n / batch_size) (SPEC section 4), as the engine counts them. */
export function totalSteps(config: ScalarExperimentConfig): number {
  return totalTrainingSteps(config.num_epochs, config.n, config.batch_size ?? config.n);
}

/** The steps at which a one-run config probes (the engine's schedule: 0, every probe_freq_steps or log-spaced, and the last step). */
export function probedSteps(config: ScalarExperimentConfig): number[] {
  return probeSteps(totalSteps(config), config.probe_freq_steps, config.probe_schedule);
}
