/**
 * The sharing rules of a sweep worker's caches, derived from the engine's options in one table.
 * Cells that share a draw come one after another, so a worker keeps the last drawn problem and the
 * last step-0 probe and reuses them when the next cell's keys match. Every TrainOptions key is
 * classified here (the Record type makes a new key a compile error until it is):
 * - 'draw': changes the drawn problem (drawProblem reads it);
 * - 'initialProbe': changes the step-0 probe but not the draw;
 * - {notAtStepZero}: read by train only after step 0 (or, like the learning rate, replaced in the
 *   reused record); stepZeroKeys.test.ts proves each one leaves the step-0 probe unchanged.
 */
import type { TrainOptions } from '../train/index.js';
import { stableJson } from './stableJson.js';
import type { SweepCell } from './sweepGrid.js';
import { toTrainOptions } from './toTrainOptions.js';

/** What a TrainOptions key does to step 0. */
export type StepZeroRole = 'draw' | 'initialProbe' | { readonly notAtStepZero: string };

/** Every option train reads, classified (see the top of this file). */
export const STEP_ZERO_ROLES: Readonly<Record<keyof TrainOptions, StepZeroRole>> = {
  numTrain: 'draw',
  numTest: 'draw',
  inputDim: 'draw',
  hiddenDim: 'draw',
  labelNoiseStd: 'draw',
  precision: 'initialProbe',
  regLambda: 'initialProbe',
  shouldProbeWeights: 'initialProbe',
  shouldProbeFeatures: 'initialProbe',
  isLastLayerFixed: 'initialProbe',
  readoutFeatures: 'initialProbe',
  batchSize: { notAtStepZero: 'step 0 evaluates the whole training set; batches start at step 1' },
  optimizer: { notAtStepZero: 'the optimizer first acts at step 1' },
  learningRate: { notAtStepZero: "the reused record's lr is replaced by the cell's own" },
  momentum: { notAtStepZero: 'the optimizer first acts at step 1' },
  weightDecay: { notAtStepZero: 'the optimizer first acts at step 1' },
  lrSchedule: { notAtStepZero: "the reused record's lr is replaced by the cell's own" },
  shouldNormalizeWeights: { notAtStepZero: 'W is rescaled before each training step, after the step-0 probe' },
  numEpochs: { notAtStepZero: 'how long training goes on, not what step 0 sees' },
  probeEverySteps: { notAtStepZero: 'which later steps are probed; step 0 always is' },
  probeSchedule: { notAtStepZero: 'which later steps are probed; step 0 always is' },
  shouldComputeOverlaps: { notAtStepZero: 'overlaps compare a probe with the previous one; step 0 has none (train copies W itself)' },
};

function keysWithRole(role: 'draw' | 'initialProbe'): (keyof TrainOptions)[] {
  return (Object.keys(STEP_ZERO_ROLES) as (keyof TrainOptions)[]).filter((key) => STEP_ZERO_ROLES[key] === role);
}

const DRAW_KEYS = keysWithRole('draw');
const INITIAL_PROBE_KEYS = keysWithRole('initialProbe');

function pick(options: TrainOptions, keys: readonly (keyof TrainOptions)[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, options[key]]));
}

/** What determines a cell's drawn problem: the seed, the fresh-draw suffix, the repeat and the 'draw' options. */
export function drawKey(cell: SweepCell): string {
  return stableJson({ seed: cell.config.seed, suffix: cell.drawSuffix, repeat: cell.repeat, ...pick(toTrainOptions(cell.config), DRAW_KEYS) });
}

/** What determines a cell's step-0 probe: its draw and the 'initialProbe' options. */
export function initialProbeKey(cell: SweepCell): string {
  return stableJson({ draw: drawKey(cell), ...pick(toTrainOptions(cell.config), INITIAL_PROBE_KEYS) });
}
