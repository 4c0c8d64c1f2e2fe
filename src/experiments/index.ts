export {
  experimentConfigSchema,
  INIT_KEYS,
  BACKEND_NAMES,
  LISTABLE_KEYS,
  ORIGINAL_KEYS,
  SWEEP_PARAMS,
  paramName,
  sweepKeyOf,
  ALLOWED_VALUES,
  VALID_KEYS,
} from './configSchema.js';
export type {
  ExperimentConfig,
  ExperimentConfigInput,
  ScalarExperimentConfig,
  ScalarLrSchedulerKwargs,
  InitKey,
  ListableKey,
  SweepParam,
} from './configSchema.js';
export { parseExperimentConfig } from './parseExperimentConfig.js';
export type { ParsedExperimentConfig } from './parseExperimentConfig.js';
export { listValuedKeys, isScalarConfig, withSweepValue, requireScalarConfig, sweepValueOf } from './scalarConfig.js';
export { toTrainOptions, totalSteps, probedSteps } from './toTrainOptions.js';
export { buildRunMetrics, runMetricsOf } from './runMetrics.js';
export type { RunMetricsDocument, RunMetricsInput, RunOutcome, RunTimingMs } from './runMetrics.js';
export { runExperiment } from './runExperiment.js';
export type { RunExperimentOptions } from './runExperiment.js';
export { expandSweep, cellStreams, FRESH_DRAW_KEYS } from './sweepGrid.js';
export { drawKey, initialProbeKey, STEP_ZERO_ROLES } from './stepZeroKeys.js';
export type { StepZeroRole } from './stepZeroKeys.js';
export { resultKey } from './resultKey.js';
export { sha256Hex } from './sha256Hex.js';
export type { SweepCell } from './sweepGrid.js';
export { stableJson } from './stableJson.js';
export { allowedValuesOf, describeAllowed, configJsonSchema } from './allowedValues.js';
export type { JsonSchemaNode } from './allowedValues.js';
export { createResumableRun } from './resumableRun.js';
export type { ResumableRun, ResumableOutcome } from './resumableRun.js';
