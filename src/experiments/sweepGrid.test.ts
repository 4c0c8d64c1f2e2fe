import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawProblem } from '../model/index.js';
import { parseExperimentConfig } from './parseExperimentConfig.js';
import { cellStreams, expandSweep } from './sweepGrid.js';
import { toTrainOptions } from './toTrainOptions.js';
import { ConfigError } from '../errors.js';
import { stream } from '../random/index.js';

const small = { n: 30, n_test: 10, h: 6, d: 5, num_epochs: 1, probe_freq_steps: 1 };
const parse = (raw: Record<string, unknown>) => parseExperimentConfig({ ...small, ...raw }).config;
const drawOf = (cell: ReturnType<typeof expandSweep>[number]) => drawProblem(toTrainOptions(cell.config), cellStreams(cell));

test('expandSweep gives the cartesian product of the list-valued keys times repeat, repeat outermost', () => {
  const cells = expandSweep(parse({ optimizer: ['sgd', 'adam'], lr: [0.1, 1, 10], repeat: 2 }));
  assert.equal(cells.length, 12);
  assert.deepEqual(cells[0]!.params, { optimizer: 'sgd', lr: 0.1 });
  assert.deepEqual(cells[1]!.params, { optimizer: 'sgd', lr: 1 });
  assert.deepEqual(cells[3]!.params, { optimizer: 'adam', lr: 0.1 });
  assert.deepEqual(cells.map((c) => c.repeat), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
  assert.equal(new Set(cells.map((c) => c.cellKey)).size, 12);
  assert.equal(cells[4]!.config.optimizer, 'adam');
  assert.equal(cells[4]!.config.lr, 1);
});

test('expandSweep of a reg_lambda sweep shares bit-identical W0 and data across the values of a repeat', () => {
  const cells = expandSweep(parse({ reg_lambda: [0.1, 0.01, 0.001], repeat: 2, varying_param: 'reg_lambda' }));
  const repeat0 = cells.filter((c) => c.repeat === 0).map(drawOf);
  for (const problem of repeat0.slice(1)) {
    assert.deepEqual(problem.initialW.data, repeat0[0]!.initialW.data);
    assert.deepEqual(problem.xTrain.data, repeat0[0]!.xTrain.data);
    assert.deepEqual(problem.yTrain, repeat0[0]!.yTrain);
    assert.deepEqual(problem.teacherBeta, repeat0[0]!.teacherBeta);
  }
  const repeat1 = drawOf(cells.find((c) => c.repeat === 1)!);
  assert.notDeepEqual(repeat1.initialW.data, repeat0[0]!.initialW.data);
});

test('expandSweep of an n sweep draws a fresh teacher, data and student for each value', () => {
  const cells = expandSweep(parse({ n: [20, 30], repeat: 1, varying_param: 'n' }));
  assert.deepEqual(cells.map((c) => c.config.batch_size), [20, 30]);
  const [a, b] = cells.map(drawOf);
  assert.notDeepEqual(a!.teacherBeta, b!.teacherBeta);
  assert.notDeepEqual(a!.initialW.data, b!.initialW.data);
});

test('expandSweep of a label_noise_std sweep draws fresh per value; gamma shares per repeat', () => {
  const noise = expandSweep(parse({ label_noise_std: [0.1, 0.5] })).map(drawOf);
  assert.notDeepEqual(noise[0]!.initialW.data, noise[1]!.initialW.data);
  const gamma = expandSweep(parse({ lr_scheduler_cls: 'StepLR', lr_scheduler_kwargs: { step_size: 1, gamma: [0.2, 0.4] } }));
  assert.deepEqual(gamma.map((c) => c.params), [{ gamma: 0.2 }, { gamma: 0.4 }]);
  const [g0, g1] = gamma.map(drawOf);
  assert.deepEqual(g0!.initialW.data, g1!.initialW.data);
});

test('a shared cell of repeat 0 draws exactly what a single run of that config draws', () => {
  const [cell] = expandSweep(parse({ lr: [0.5, 2] }));
  const single = parse({ lr: 0.5 });
  // the streams runExperiment (esdlab run) uses
  const fromRun = drawProblem(toTrainOptions(single as never), { teacher: stream(0, 'teacher'), data: stream(0, 'data'), init: stream(0, 'init') });
  assert.deepEqual(drawOf(cell!).initialW.data, fromRun.initialW.data);
});

test('expandSweep rejects a varying_param that holds no list', () => {
  assert.throws(() => expandSweep(parse({ lr: [1, 2], varying_param: 'n' })), (e: unknown) => e instanceof ConfigError && /varying_param/.test(e.message));
});
