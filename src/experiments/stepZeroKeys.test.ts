import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBackend } from '../linalg/node.js';
import { drawProblem } from '../model/index.js';
import { stream } from '../random/index.js';
import { train, type TrainOptions } from '../train/index.js';
import { parseExperimentConfig } from './parseExperimentConfig.js';
import { drawKey, initialProbeKey, STEP_ZERO_ROLES } from './stepZeroKeys.js';
import { expandSweep } from './sweepGrid.js';
import { requireScalarConfig } from './scalarConfig.js';
import { toTrainOptions } from './toTrainOptions.js';

const { backend } = await loadBackend('js');

const base = toTrainOptions(
  requireScalarConfig(parseExperimentConfig({ n: 30, n_test: 10, d: 8, h: 12, num_epochs: 2, probe_freq_steps: 1, fix_last_layer: true }).config),
);

/** For each key that is not a 'draw' key: a value different from base's (a new key fails the test until it has one). */
const OTHER_VALUES: { [K in keyof TrainOptions]?: TrainOptions[K] } = {
  batchSize: 7,
  optimizer: 'sgd',
  learningRate: 0.37,
  momentum: 0.9,
  weightDecay: 0.1,
  lrSchedule: { kind: 'StepLR', stepSize: 1, gamma: 0.5 },
  shouldNormalizeWeights: true,
  numEpochs: 5,
  probeEverySteps: 3,
  probeSchedule: 'log',
  shouldComputeOverlaps: false,
  // keys that do change step 0 (the test checks that they do)
  precision: 'f64',
  regLambda: 3,
  shouldProbeWeights: false,
  shouldProbeFeatures: false,
  isLastLayerFixed: false,
  readoutFeatures: 'paper',
};

async function stepZero(options: TrainOptions) {
  const problem = drawProblem(options, { teacher: stream(5, 'teacher'), data: stream(5, 'data'), init: stream(5, 'init') });
  const result = await train(backend, options, problem, { rng: stream(5, 'batches') });
  const { lr: _lr, ...metrics } = result.steps[0]!;
  return JSON.stringify({ metrics, probe: { ...result.probes[0]!, eigenvalues: [...result.probes[0]!.eigenvalues], singularValues: [...result.probes[0]!.singularValues] } }, (_k, v: unknown) =>
    typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v,
  );
}

test('every TrainOptions key the config produces is classified, and only those', () => {
  assert.deepEqual(Object.keys(STEP_ZERO_ROLES).sort(), Object.keys(base).sort());
});

test('every option classified as not affecting step 0 leaves the step-0 probe bit-identical; every initialProbe option changes it', async () => {
  const reference = await stepZero(base);
  for (const key of Object.keys(STEP_ZERO_ROLES) as (keyof TrainOptions)[]) {
    const role = STEP_ZERO_ROLES[key];
    if (role === 'draw') continue;
    assert.ok(key in OTHER_VALUES, `${key}: add a different value to OTHER_VALUES so that its role can be tested`);
    const changed = await stepZero({ ...base, [key]: OTHER_VALUES[key] });
    if (role === 'initialProbe') assert.notEqual(changed, reference, `${key} is in the initial-probe key but does not change step 0`);
    else assert.equal(changed, reference, `${key} changes the step-0 probe; classify it as 'initialProbe'`);
  }
});

test('cells share a draw and a step-0 probe across lr and optimizer, not across n or precision settings', () => {
  const cells = expandSweep(parseExperimentConfig({ n: [20, 30], optimizer: ['sgd', 'adam'], lr: [0.1, 1], repeat: 2 }).config);
  const at = (n: number, optimizer: string, lr: number, repeat: number) =>
    cells.find((c) => c.params.n === n && c.params.optimizer === optimizer && c.params.lr === lr && c.repeat === repeat)!;
  assert.equal(drawKey(at(20, 'sgd', 0.1, 0)), drawKey(at(20, 'adam', 1, 0)));
  assert.equal(initialProbeKey(at(20, 'sgd', 0.1, 0)), initialProbeKey(at(20, 'adam', 1, 0)));
  assert.notEqual(drawKey(at(20, 'sgd', 0.1, 0)), drawKey(at(30, 'sgd', 0.1, 0)));
  assert.notEqual(drawKey(at(20, 'sgd', 0.1, 0)), drawKey(at(20, 'sgd', 0.1, 1)));
  const [cell] = expandSweep(parseExperimentConfig({ n: 20 }).config);
  const f64 = { ...cell!, config: { ...cell!.config, precision: 'f64' as const } };
  assert.equal(drawKey(f64), drawKey(cell!));
  assert.notEqual(initialProbeKey(f64), initialProbeKey(cell!));
});
