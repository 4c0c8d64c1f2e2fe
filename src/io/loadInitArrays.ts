import { resolve } from 'node:path';
import { EsdlabError, InputError } from '../errors.js';
import type { InitKey, ScalarExperimentConfig } from '../experiments/configSchema.js';
import { fromArray, type Matrix } from '../linalg/index.js';
import type { Problem } from '../model/index.js';
import { readNpyFile } from './npyFile.js';

/** Accepted shapes of each init array, as [dimension names], in terms of the config's n, n_test, d, h. */
const ACCEPTED_SHAPES: Readonly<Record<InitKey, readonly (readonly string[])[]>> = {
  X_train: [['n', 'd']],
  y_train: [['n'], ['n', '1']],
  X_probe: [['n', 'd']],
  y_probe: [['n'], ['n', '1']],
  X_test: [['n_test', 'd']],
  y_test: [['n_test'], ['n_test', '1']],
  teacher_beta: [['d'], ['d', '1']],
  student_W: [['h', 'd']],
  student_a: [['h'], ['1', 'h'], ['h', '1']],
};

/** The Problem field each init key replaces. */
const PROBLEM_FIELD: Readonly<Record<InitKey, keyof Problem>> = {
  X_train: 'xTrain',
  y_train: 'yTrain',
  X_probe: 'xProbe',
  y_probe: 'yProbe',
  X_test: 'xTest',
  y_test: 'yTest',
  teacher_beta: 'teacherBeta',
  student_W: 'initialW',
  student_a: 'initialA',
};

/**
 * Loads the `init:` block's .npy files (paths relative to `configDirectory`) for replaying a
 * PyTorch run, checks each shape against the config's n, n_test, d and h, and returns them as
 * drawProblem overrides (what is given replaces the seeded draw). Matrices keep the file's dtype;
 * vectors become Float64Array. Throws InputError naming the init key, the file, its shape and the
 * expected one.
 */
export async function loadInitArrays(config: ScalarExperimentConfig, configDirectory: string): Promise<Partial<Problem>> {
  const sizes: Record<string, number> = { n: config.n, n_test: config.n_test, d: config.d, h: config.h, '1': 1 };
  const overrides: Record<string, unknown> = {};
  for (const [key, relativePath] of Object.entries(config.init) as [InitKey, string | undefined][]) {
    if (relativePath === undefined) continue;
    const path = resolve(configDirectory, relativePath);
    let array;
    try {
      array = await readNpyFile(path);
    } catch (error) {
      if (error instanceof EsdlabError) throw new InputError(`init.${key}: ${error.message}`);
      throw error;
    }
    const accepted = ACCEPTED_SHAPES[key];
    const matches = accepted.some((dims) => dims.length === array.shape.length && dims.every((dim, i) => sizes[dim] === array.shape[i]));
    if (!matches) {
      const expected = accepted.map((dims) => `(${dims.join(', ')}) = (${dims.map((dim) => sizes[dim]).join(', ')})`).join(' or ');
      throw new InputError(`init.${key}: ${relativePath} has shape (${array.shape.join(', ')}), expected ${expected}`);
    }
    const field = PROBLEM_FIELD[key];
    if (array.shape.length === 2 && !(key.startsWith('y_') || key === 'teacher_beta' || key === 'student_a')) {
      overrides[field] = fromArray(array.shape[0]!, array.shape[1]!, array.data) as Matrix;
    } else {
      overrides[field] = array.data instanceof Float64Array ? array.data : Float64Array.from(array.data);
    }
  }
  return overrides as Partial<Problem>;
}
