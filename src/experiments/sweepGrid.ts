/**
 * Expands a sweep config (lists under optimizer, lr, n, reg_lambda, label_noise_std,
 * lr_scheduler_kwargs.gamma, times `repeat`) into cells, and says which seeded draws each cell
 * shares with the others (SPEC section 7).
 *
 * Sharing rule, decided by one explicit table (FRESH_DRAW_KEYS), never by names: a key whose change
 * alters the data itself (n: the sizes; label_noise_std: the labels) gets a fresh teacher, data set
 * and student per value; every other key (optimizer, lr, reg_lambda, gamma) shares one draw per
 * repeat across its values, so their cells differ only in that key. A cell's draw is seeded by
 * `stream(seed, name, repeat)` with name 'teacher' | 'data' | 'init' | 'batches', suffixed with the
 * fresh keys' values (e.g. 'data[n=500]'). So repeat 0 of a sweep whose cells share draws trains on
 * exactly what `esdlab run` draws for that cell's config.
 */
import { ConfigError } from '../errors.js';
import { stream, type Generator } from '../random/index.js';
import { LISTABLE_KEYS, paramName, sweepKeyOf, type ExperimentConfig, type ListableKey, type ScalarExperimentConfig } from './configSchema.js';
import { stableJson } from './stableJson.js';
import { listValuedKeys, requireScalarConfig, sweepValueOf, withSweepValue } from './scalarConfig.js';

/** Whether varying a key draws a fresh teacher, data set and student per value (true) or shares one per repeat (false). */
export const FRESH_DRAW_KEYS: Readonly<Record<ListableKey, boolean>> = {
  optimizer: false,
  lr: false,
  n: true,
  reg_lambda: false,
  label_noise_std: true,
  'lr_scheduler_kwargs.gamma': false,
};

/** One training of a sweep: a point of the grid and a repeat. */
export interface SweepCell {
  /** Unique within the sweep, stable across resumes: the parameters and the repeat, canonical. */
  readonly cellKey: string;
  /** The swept parameters' values, by short name (optimizer, lr, n, reg_lambda, label_noise_std, gamma). */
  readonly params: Readonly<Record<string, string | number>>;
  readonly repeat: number;
  /** The one-run config this cell trains. */
  readonly config: ScalarExperimentConfig;
  /** Suffix naming the fresh-draw values ('' when the cell shares its repeat's draw). */
  readonly drawSuffix: string;
}

/**
 * The cells of a sweep config: the cartesian product of its list-valued keys (in LISTABLE_KEYS
 * order, the last varying fastest), repeated `repeat` times (repeat outermost). A config without
 * lists gives `repeat` cells of one point. Throws ConfigError when varying_param names a key that
 * holds no list.
 */
export function expandSweep(config: ExperimentConfig): SweepCell[] {
  const axes = listValuedKeys(config);
  if (config.varying_param !== null) {
    if (!axes.includes(sweepKeyOf(config.varying_param))) {
      throw new ConfigError(
        `varying_param: '${config.varying_param}' is not allowed here; it must name a key that holds a list in this config (${axes.map(paramName).join(', ') || 'none does'})`,
        'varying_param',
      );
    }
  }
  let points: { config: ExperimentConfig; params: Record<string, string | number>; fresh: string[] }[] = [{ config, params: {}, fresh: [] }];
  for (const key of LISTABLE_KEYS) {
    if (!axes.includes(key)) continue;
    const values = sweepValueOf(config, key) as (string | number)[];
    points = points.flatMap((point) =>
      values.map((value) => ({
        config: withSweepValue(point.config, key, value),
        params: { ...point.params, [paramName(key)]: value },
        fresh: FRESH_DRAW_KEYS[key] ? [...point.fresh, `${paramName(key)}=${value}`] : point.fresh,
      })),
    );
  }
  const cells: SweepCell[] = [];
  for (let repeat = 0; repeat < config.repeat; repeat++) {
    for (const point of points) {
      const scalar = requireScalarConfig(point.config);
      cells.push({
        cellKey: stableJson({ ...point.params, repeat }),
        params: point.params,
        repeat,
        config: scalar,
        drawSuffix: point.fresh.length > 0 ? `[${point.fresh.join(',')}]` : '',
      });
    }
  }
  return cells;
}

/** The seeded generators of one cell (see the sharing rule at the top of this file). */
export function cellStreams(cell: SweepCell): { teacher: Generator; data: Generator; init: Generator; batches: Generator } {
  const seed = cell.config.seed;
  const make = (name: string) => stream(seed, `${name}${cell.drawSuffix}`, cell.repeat);
  return { teacher: make('teacher'), data: make('data'), init: make('init'), batches: make('batches') };
}
