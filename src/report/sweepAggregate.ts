/**
 * Aggregation of a sweep's runs for plotting: which parameter varies, cells grouped over repeats,
 * final values, mean +- std. Pure functions on {@link SweepReportData}.
 */
import { finiteOrNull } from './specParts.js';
import type { ParamValue, StepMetricsLike, SweepReportData, SweepRunLike } from './types.js';

/** Parameters that vary between runs (more than one distinct value), in first-seen key order. */
export function varyingParams(runs: readonly SweepRunLike[]): string[] {
  const values = new Map<string, Set<string>>();
  for (const run of runs) {
    for (const [key, value] of Object.entries(run.params)) {
      if (!values.has(key)) values.set(key, new Set());
      values.get(key)!.add(JSON.stringify(value));
    }
  }
  return [...values].filter(([, set]) => set.size > 1).map(([key]) => key);
}

/** The sweep's kind and its varying parameter (the x or series of its plots). */
export function sweepLayout(data: SweepReportData): { kind: 'bulk_lr' | 'bulk_losses'; varyingParam: string | null } {
  const varying = varyingParams(data.runs);
  const configuredValue = (data.config as { varying_param?: unknown } | undefined)?.varying_param;
  const configured = typeof configuredValue === 'string' ? configuredValue : undefined;
  const kind = data.kind ?? (configured === 'lr' || (configured === undefined && varying.includes('lr')) ? 'bulk_lr' : 'bulk_losses');
  if (kind === 'bulk_lr') return { kind, varyingParam: 'lr' };
  const wanted = data.varyingParam ?? configured;
  // `lr_scheduler_kwargs.gamma` in a config is `gamma` in the params, so match on the last dotted part too.
  const match = wanted === undefined ? undefined : varying.find((k) => k === wanted || k === wanted.split('.').pop());
  return { kind, varyingParam: match ?? varying.find((k) => k !== 'optimizer') ?? varying[0] ?? null };
}

/** Display name of an optimizer: the paper calls full-batch `sgd` GD. */
export function optimizerLabel(value: ParamValue | undefined): string {
  if (value === 'sgd') return 'GD';
  if (value === 'adam') return 'Adam';
  return value === undefined || value === null ? 'all runs' : String(value);
}

/** A parameter value as a legend label, e.g. `n = 2000`. */
export function paramLabel(param: string, value: ParamValue | undefined): string {
  return `${param} = ${value === undefined ? '?' : String(value)}`;
}

/** The last probed step's metrics of a run, or undefined when it has none. */
export function finalStep(run: SweepRunLike): StepMetricsLike | undefined {
  let last: StepMetricsLike | undefined;
  for (const entry of run.steps) if (last === undefined || entry.step > last.step) last = entry;
  return last;
}

/** Runs grouped by a key, in first-seen order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(item);
  }
  return groups;
}

/** How many runs of a group ended in each status. */
export function statusCounts(runs: readonly SweepRunLike[]): { done: number; diverged: number; failed: number; other: number } {
  const counts = { done: 0, diverged: 0, failed: 0, other: 0 };
  for (const run of runs) {
    if (run.status === 'done' || run.status === 'diverged' || run.status === 'failed') counts[run.status]++;
    else counts.other++;
  }
  return counts;
}

/** A numeric parameter value for sorting and log axes (NaN when not numeric). */
export function numericParam(value: ParamValue | undefined): number {
  return typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
}

/** Sorts distinct parameter values numerically when they are numbers, else as strings. */
export function sortedParamValues(values: Iterable<ParamValue | undefined>): (ParamValue | undefined)[] {
  const unique = new Map<string, ParamValue | undefined>();
  for (const value of values) unique.set(JSON.stringify(value ?? null), value);
  return [...unique.values()].sort((a, b) => {
    const x = numericParam(a);
    const y = numericParam(b);
    if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
    return String(a).localeCompare(String(b));
  });
}

/** A metric's value at a step entry, finite or null. */
export function metricValue(entry: StepMetricsLike | undefined, key: keyof StepMetricsLike): number | null {
  return entry === undefined ? null : finiteOrNull(entry[key] as number | null | undefined);
}
