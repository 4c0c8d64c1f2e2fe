import type { TrainResult } from '../train/index.js';
import type { ExperimentConfig } from './configSchema.js';

/** Wall-clock durations of a run's phases, in milliseconds (snake_case, as written to metrics.json). */
export type RunTimingMs = Readonly<Record<string, number>>;

/** The metrics.json document of one `esdlab run`. */
export interface RunMetricsDocument {
  /** The resolved config, with the original keys (and esdlab's additions). */
  readonly config: ExperimentConfig;
  readonly seed: number;
  /** The backend that computed the run ('native', 'wasm', 'js'). */
  readonly backend: string;
  /** 'done', or 'diverged' when the loss became non-finite (training stopped there). */
  readonly status: string;
  /** The step at which training diverged, or null. */
  readonly diverged_at_step: number | null;
  /** One record per probed step: step, lr, train_loss, test_loss, kta, alignment, alpha_hill, ... */
  readonly steps: readonly Record<string, unknown>[];
  /** steps_ms, evaluations_ms, probes_ms, plots_ms, total_ms, and any other phase the engine timed. */
  readonly timing: RunTimingMs;
  /** Paths (e.g. "steps[3].kta") of values that were NaN or infinite, written as null. Absent when none. */
  readonly non_finite?: readonly string[];
}

/** What buildRunMetrics needs from a finished run. */
export interface RunMetricsInput {
  readonly config: ExperimentConfig;
  readonly seed: number;
  readonly backend: string;
  readonly status: string;
  readonly divergedAtStep?: number | null;
  /** The engine's per-probe metric records (snake_case keys). */
  readonly steps: readonly object[];
  /** Phase durations in ms with metrics.json's keys: steps_ms, evaluations_ms, probes_ms, plots_ms, total_ms, ... */
  readonly timing: Readonly<Record<string, number>>;
}

/**
 * Builds metrics.json's content: plain JSON data whose numbers are JSON numbers. NaN and infinite
 * values become null, and their paths are listed in `non_finite` so that a reader can tell a
 * missing metric from a failed one. Typed arrays become plain arrays.
 */
export function buildRunMetrics(input: RunMetricsInput): RunMetricsDocument {
  const nonFinite: string[] = [];
  const steps = input.steps.map((record, index) => toJsonValue(record, `steps[${index}]`, nonFinite) as Record<string, unknown>);
  const timing: Record<string, number> = {};
  for (const [key, value] of Object.entries(input.timing)) {
    if (Number.isFinite(value)) timing[key] = Math.round(value * 10) / 10;
  }
  return {
    config: input.config,
    seed: input.seed,
    backend: input.backend,
    status: input.status,
    diverged_at_step: input.divergedAtStep ?? null,
    steps,
    timing,
    ...(nonFinite.length > 0 ? { non_finite: nonFinite } : {}),
  };
}

/** What runMetricsOf reads of a training's outcome (train()'s TrainResult). */
export type RunOutcome = Pick<TrainResult, 'status' | 'divergedAtStep' | 'steps' | 'timing'>;

/**
 * metrics.json of a finished (or diverged) training of `config` on `backend`: the one mapping of a
 * TrainResult onto buildRunMetrics, shared by `esdlab run` and the web lab. The engine's timing
 * becomes steps_ms, evaluations_ms, probes_ms and training_ms; the caller adds what it timed itself
 * (plots_ms for the CLI's report, total_ms for the whole command or the lab's active time).
 */
export function runMetricsOf(
  config: ExperimentConfig,
  backend: string,
  result: RunOutcome,
  timing: { readonly plots_ms?: number; readonly total_ms: number },
): RunMetricsDocument {
  return buildRunMetrics({
    config,
    seed: config.seed,
    backend,
    status: result.status,
    divergedAtStep: result.divergedAtStep,
    steps: result.steps,
    timing: {
      steps_ms: result.timing.trainStepsMs,
      evaluations_ms: result.timing.evaluationMs,
      probes_ms: result.timing.probesMs,
      training_ms: result.timing.totalMs,
      ...(timing.plots_ms !== undefined ? { plots_ms: timing.plots_ms } : {}),
      total_ms: timing.total_ms,
    },
  });
}

function toJsonValue(value: unknown, path: string, nonFinite: string[]): unknown {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    nonFinite.push(path);
    return null;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return toJsonValue(Array.from(value as unknown as ArrayLike<number>), path, nonFinite);
  }
  if (Array.isArray(value)) return value.map((item, index) => toJsonValue(item, `${path}[${index}]`, nonFinite));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = toJsonValue(item, `${path}.${key}`, nonFinite);
    }
    return out;
  }
  return value;
}
