import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../errors.js';
import { createJsBackend } from '../linalg/backends/js/index.js';
import type { Matrix } from '../linalg/index.js';
import { stream } from '../random/index.js';
import { diagnoseMatrix, diagnoseSpectrum } from './diagnose.js';
import { esdEigenvalues } from './esdEigenvalues.js';
import type { MarchenkoPasturFit } from './marchenkoPasturFit.js';
import { phaseLabel } from './phaseLabel.js';
import type { Phase, PhaseInputs } from './phaseLabel.js';
import {
  deadColumnsMatrix,
  decayingBulkMatrix,
  gaussianMatrix,
  lowRankMatrix,
  paretoEntriesMatrix,
  plantLowRank,
} from './testing/matrices.js';

const backend = createJsBackend();

function inputs(overrides: Partial<PhaseInputs> & { mp?: Partial<MarchenkoPasturFit> }): PhaseInputs {
  const mp = {
    rows: 300,
    cols: 200,
    varianceScale: 1,
    bulkMin: 9,
    bulkMax: 990,
    edgeMargin: 0.1,
    spikeThreshold: 1089,
    numSpikes: 0,
    spikeIndices: [],
    smallestSpike: null,
    softRank: 1,
    ksDistance: 0.01,
    ...overrides.mp,
  };
  return { numEigenvalues: 200, numZeroEigenvalues: 0, marchenkoPastur: mp, lambdaMax: 900, robustLambdaMax: 800, alphaMleKs: 5, ...overrides };
}

test('phaseLabel follows the documented rule branch by branch', () => {
  const cases: [Parameters<typeof inputs>[0], Phase][] = [
    [{}, 'random_like'],
    [{ mp: { numSpikes: 1, smallestSpike: 1200 }, lambdaMax: 1200 }, 'bleeding_out'],
    [{ mp: { numSpikes: 2, smallestSpike: 1300 }, lambdaMax: 5000 }, 'bulk_plus_spikes'],
    [{ mp: { numSpikes: 2, smallestSpike: 1100 }, lambdaMax: 5000 }, 'bleeding_out'],
    [{ mp: { ksDistance: 0.2 }, alphaMleKs: 2.5, robustLambdaMax: 5000 }, 'heavy_tailed'],
    [{ mp: { ksDistance: 0.2 }, alphaMleKs: 2.5, robustLambdaMax: 2000 }, 'bulk_decay'],
    [{ mp: { ksDistance: 0.2 }, alphaMleKs: 6, robustLambdaMax: 9000 }, 'bulk_decay'],
    [{ mp: { ksDistance: 0.2 }, alphaMleKs: null, robustLambdaMax: 9000 }, 'bulk_decay'],
    [{ numZeroEigenvalues: 20 }, 'rank_collapse'],
    [{ numZeroEigenvalues: 19 }, 'random_like'],
    [{ numZeroEigenvalues: 199 }, 'rank_collapse'],
    [{ marchenkoPastur: null }, 'rank_collapse'],
    // The MP KS limit is max(0.05, 8/N): 0.07 still fits MP with N = 100.
    [{ numEigenvalues: 100, mp: { ksDistance: 0.07 } }, 'random_like'],
  ];
  for (const [override, expected] of cases) {
    const result = phaseLabel(inputs(override));
    assert.equal(result.phase, expected, `${JSON.stringify(override)}: ${result.reason}`);
    assert.ok(result.reason.length > 10);
  }
  assert.match(phaseLabel(inputs({ mp: { ksDistance: 0.2 }, alphaMleKs: 1.5, robustLambdaMax: 9000 })).reason, /very heavy tailed/);
});

const phaseMatrices: [string, () => Matrix, Phase][] = [
  ['a Gaussian matrix', () => gaussianMatrix(300, 200, 1), 'random_like'],
  ['a Gaussian plus a weak rank-1 signal', () => plantLowRank(gaussianMatrix(300, 200, 2), [1.55], 2), 'bleeding_out'],
  ['a Gaussian plus a strong rank-3 signal', () => plantLowRank(gaussianMatrix(300, 200, 3), [3, 4, 5], 3), 'bulk_plus_spikes'],
  ['a Gaussian with exponentially decaying column scales', () => decayingBulkMatrix(300, 200, 4), 'bulk_decay'],
  ['Pareto(1.5) entries', () => paretoEntriesMatrix(300, 200, 5), 'heavy_tailed'],
  ['a Gaussian with 30% dead columns', () => deadColumnsMatrix(300, 200, 6, 0.3), 'rank_collapse'],
];

for (const [description, build, expected] of phaseMatrices) {
  test(`diagnoseMatrix labels ${description} ${expected}`, async () => {
    const result = await diagnoseMatrix(backend, build(), { rng: stream(1, 'shuffle'), shouldRandomize: false });
    assert.equal(result.phase, expected, result.phaseReason);
  });
}

test('diagnoseMatrix labels a rank-20 product A B rank_collapse', async () => {
  const result = await diagnoseMatrix(backend, lowRankMatrix(300, 200, 20, 7), { rng: stream(1, 'shuffle'), shouldRandomize: false });
  assert.equal(result.phase, 'rank_collapse', result.phaseReason);
  assert.equal(result.numZeroEigenvalues, 180);
});

test('phaseLabel(eigenvalues, rows, cols) gives the same phase as diagnoseSpectrum', async () => {
  const eigenvalues = await esdEigenvalues(backend, plantLowRank(gaussianMatrix(300, 200, 3), [3, 4, 5], 3));
  const direct = phaseLabel(eigenvalues, 300, 200);
  const diagnostics = diagnoseSpectrum(eigenvalues, { rows: 300, cols: 200 });
  assert.equal(direct.phase, diagnostics.phase);
  assert.equal(direct.reason, diagnostics.phaseReason);
});

test('diagnoseMatrix reports shape, fits, MP, scale metrics and the randomized comparison as plain JSON', async () => {
  const w = plantLowRank(gaussianMatrix(120, 80, 8), [4], 8);
  const result = await diagnoseMatrix(backend, w, { rng: stream(2, 'shuffle'), goodnessOfFit: { bootstrapSets: 5, rng: stream(2, 'bootstrap') } });
  assert.deepEqual(result.shape, [120, 80]);
  assert.equal(result.numEigenvalues, 80);
  assert.ok(result.hill && result.mleKs && result.marchenkoPastur && result.scale && result.randomized && result.goodnessOfFit);
  assert.equal(result.marchenkoPastur.numSpikes, 1);
  assert.equal(result.randomized.hasCorrelationTrap, false); // shuffling dissolves the planted signal
  assert.equal(result.goodnessOfFit.comparisons.length, 3);
  assert.equal(result.goodnessOfFit.bootstrap.numSets, 5);
  assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
});

test('diagnoseSpectrum keeps going on degenerate spectra and rejects invalid ones', () => {
  const rankOne = diagnoseSpectrum([0, 0, 0, 5], { rows: 4, cols: 6 });
  assert.equal(rankOne.phase, 'rank_collapse');
  assert.equal(rankOne.hill, null);
  assert.match(rankOne.powerLawError!, /at least 2 positive/);
  const identical = diagnoseSpectrum([3, 3, 3, 3], { rows: 4, cols: 4 });
  assert.equal(identical.mleKs, null);
  assert.match(identical.powerLawError!, /equal/);
  const allZero = diagnoseSpectrum([0, 0, 0], { rows: 3, cols: 3 });
  assert.equal(allZero.phase, 'rank_collapse');
  assert.equal(allZero.marchenkoPastur, null);
  assert.throws(() => diagnoseSpectrum([1, 2, 3], { rows: 5, cols: 4 }), InputError);
  assert.throws(() => diagnoseSpectrum([1, Number.NaN], { rows: 2, cols: 2 }), InputError);
  assert.throws(() => diagnoseSpectrum([], { rows: 2, cols: 2 }), InputError);
});
