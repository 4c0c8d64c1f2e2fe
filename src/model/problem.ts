/**
 * One instance of the paper's learning problem (SPEC sections 2-3): the teacher, the three data
 * splits and the student's initial weights, drawn from seeded streams or replayed from given arrays.
 */
import { InputError } from '../errors.js';
import { zeros, type FloatArray, type Matrix } from '../linalg/index.js';
import type { Generator } from '../random/index.js';
import { drawTeacherDirection, teacherLabels } from './teacher.js';

/** The sizes a problem needs (TrainOptions is a superset). */
export interface ProblemOptions {
  /** n: training samples; the probe split has n samples too. */
  readonly numTrain: number;
  /** n_test: test samples. */
  readonly numTest: number;
  /** d: input dimension. */
  readonly inputDim: number;
  /** h: hidden units. */
  readonly hiddenDim: number;
  /** rho_e: standard deviation of the label noise, applied to every split. */
  readonly labelNoiseStd: number;
}

/**
 * Data, teacher and initial student. Matrices are row-major; drawn ones are f64 (replayed ones keep
 * the dtype they came in). Labels are f64.
 */
export interface Problem {
  /** n x d training inputs. */
  readonly xTrain: Matrix;
  /** n training labels. */
  readonly yTrain: Float64Array;
  /** n x d probe inputs (ridge read-out and feature metrics). */
  readonly xProbe: Matrix;
  /** n probe labels. */
  readonly yProbe: Float64Array;
  /** n_test x d test inputs. */
  readonly xTest: Matrix;
  /** n_test test labels. */
  readonly yTest: Float64Array;
  /** beta*, length d, unit norm when drawn. */
  readonly teacherBeta: Float64Array;
  /** h x d first-layer weights at initialization, N(0, 1) entries. */
  readonly initialW: Matrix;
  /** h second-layer weights at initialization, N(0, 1) entries. */
  readonly initialA: Float64Array;
}

/** The seeded streams a problem is drawn from. */
export interface ProblemStreams {
  /** Draws beta* (d normals). */
  readonly teacher: Generator;
  /** Draws the splits: X_train, eps_train, X_probe, eps_probe, X_test, eps_test, in that order. */
  readonly data: Generator;
  /** Draws W (h x d, row-major), then a (h). */
  readonly init: Generator;
}

/**
 * Draws a problem. Draw order (fixed, part of the reproducibility contract):
 * - `rngs.teacher`: beta* (d normals, then normalized);
 * - `rngs.data`: for train (n rows), probe (n rows), test (n_test rows) in turn, the inputs
 *   row-major, then one noise draw per row;
 * - `rngs.init`: W row-major (h x d), then a (h).
 * Everything is always drawn, so replacing one array through `overrides` (a PyTorch replay) leaves
 * every other draw unchanged. Labels of a split whose inputs are overridden but whose labels are not
 * are computed from the given inputs and the (possibly given) beta*, with the seeded noise.
 * Overrides may be any dtype; their shapes are checked against n, n_test, d and h (InputError
 * naming the field, its shape and the expected one).
 */
export function drawProblem(options: ProblemOptions, rngs: ProblemStreams, overrides: Partial<Problem> = {}): Problem {
  const { numTrain: n, numTest, inputDim: d, hiddenDim: h, labelNoiseStd } = options;
  for (const [name, value] of [['numTrain', n], ['numTest', numTest], ['inputDim', d], ['hiddenDim', h]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new InputError(`${name} must be a positive integer, got ${value}`);
  }
  checkProblemShapes(options, overrides);

  const drawnBeta = drawTeacherDirection(d, rngs.teacher);
  const teacherBeta = overrides.teacherBeta ?? drawnBeta;

  const split = (rows: number, givenX: Matrix | undefined, givenY: Float64Array | undefined) => {
    const drawnX = zeros(rows, d, 'f64');
    rngs.data.fillNormal(drawnX.data);
    const noise = rngs.data.fillNormal(new Float64Array(rows));
    const x = givenX ?? drawnX;
    return { x, y: givenY ?? teacherLabels(x, teacherBeta, noise, labelNoiseStd) };
  };
  const train = split(n, overrides.xTrain, overrides.yTrain);
  const probe = split(n, overrides.xProbe, overrides.yProbe);
  const test = split(numTest, overrides.xTest, overrides.yTest);

  const drawnW = zeros(h, d, 'f64');
  rngs.init.fillNormal(drawnW.data);
  const drawnA = rngs.init.fillNormal(new Float64Array(h));

  return {
    xTrain: train.x,
    yTrain: train.y,
    xProbe: probe.x,
    yProbe: probe.y,
    xTest: test.x,
    yTest: test.y,
    teacherBeta,
    initialW: overrides.initialW ?? drawnW,
    initialA: overrides.initialA ?? drawnA,
  };
}

/**
 * Checks the shapes of whatever fields `problem` holds against the sizes in `options`; throws an
 * InputError naming the first mismatching field, its shape and the expected one.
 */
export function checkProblemShapes(options: ProblemOptions, problem: Partial<Problem>): void {
  const { numTrain: n, numTest, inputDim: d, hiddenDim: h } = options;
  const matrices: [keyof Problem, number, number, string][] = [
    ['xTrain', n, d, 'n x d'],
    ['xProbe', n, d, 'n x d'],
    ['xTest', numTest, d, 'n_test x d'],
    ['initialW', h, d, 'h x d'],
  ];
  for (const [field, rows, cols, meaning] of matrices) {
    const m = problem[field] as Matrix | undefined;
    if (m && (m.rows !== rows || m.cols !== cols)) {
      throw new InputError(`${field} has shape ${m.rows}x${m.cols}, expected ${rows}x${cols} (${meaning})`);
    }
  }
  const vectors: [keyof Problem, number, string][] = [
    ['yTrain', n, 'n'],
    ['yProbe', n, 'n'],
    ['yTest', numTest, 'n_test'],
    ['teacherBeta', d, 'd'],
    ['initialA', h, 'h'],
  ];
  for (const [field, length, meaning] of vectors) {
    const v = problem[field] as FloatArray | undefined;
    if (v && v.length !== length) throw new InputError(`${field} has length ${v.length}, expected ${length} (${meaning})`);
  }
}
