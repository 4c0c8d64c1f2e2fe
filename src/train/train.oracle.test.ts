/**
 * The engine against an independent numpy transcription of the original PyTorch code (trainer.py,
 * tracker.py): Adam and GD steps, the ridge read-out, KTA with n x n matrices, sim(W, beta*) from a
 * full SVD, and the Hill alpha, for both read-out feature settings. Small sizes, f64. Needs python3 with numpy (skipped on a laptop
 * without it, failed in CI).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBackend } from '../linalg/node.js';
import { drawProblem } from '../model/index.js';
import { stream } from '../random/index.js';
import { findNumpyPython, requireTool, runPython } from '../testing/oracle.js';
import type { TrainOptions } from './options.js';
import { train } from './train.js';

const ORACLE = String.raw`
import json, sys
import numpy as np
p = json.load(sys.stdin)
o = p['options']
n, d, h = o['numTrain'], o['inputDim'], o['hiddenDim']
X = np.array(p['xTrain']).reshape(n, d); y = np.array(p['yTrain'])
Xp = np.array(p['xProbe']).reshape(n, d); yp = np.array(p['yProbe'])
Xt = np.array(p['xTest']).reshape(-1, d); yt = np.array(p['yTest'])
W = np.array(p['initialW']).reshape(h, d); a = np.array(p['initialA']); beta = np.array(p['beta'])
lr, wd, mu = o['learningRate'], o['weightDecay'], o['momentum']
def feats(W, X):
    # 'reference': the original code divides the hooked pre-activation by sqrt(d) twice
    pre = X @ W.T / d if o['readoutFeatures'] == 'reference' else X @ W.T / np.sqrt(d)
    return np.tanh(pre) / np.sqrt(h)
def probe(W):
    Z = feats(W, Xp)
    ahat = np.linalg.inv(Z.T @ Z + (o['regLambda'] / h) * n * np.eye(h)) @ Z.T @ yp
    train_loss = np.mean((Z @ ahat - yp) ** 2)
    test_loss = np.mean((feats(W, Xt) @ ahat - yt) ** 2)
    K = Z @ Z.T; Ky = np.outer(yp, yp)
    kta = np.sum(K * Ky) / (np.linalg.norm(K) * np.linalg.norm(Ky))
    U, S, Vh = np.linalg.svd(W, full_matrices=False)
    sim = abs(Vh[0] @ beta) / np.linalg.norm(Vh[0])
    eigs = np.sort(S ** 2); N = len(eigs); i = N // 2; nt = N - i
    alpha = 1 + nt / (np.sum(np.log(eigs[i:])) - nt * np.log(eigs[i]))
    return dict(train_loss=train_loss, test_loss=test_loss, kta=kta, alignment=sim, alpha_hill=alpha)
out = [probe(W)]
m = np.zeros_like(W); v = np.zeros_like(W); buf = None
for t in range(1, o['numEpochs'] + 1):
    A = np.tanh(X @ W.T / np.sqrt(d)); r = A @ a / np.sqrt(h) - y
    G = (2 / n) * ((np.outer(r, a) / np.sqrt(h)) * (1 - A ** 2)).T @ X / np.sqrt(d)
    g = G + wd * W
    if o['optimizer'] == 'adam':
        m = 0.9 * m + 0.1 * g; v = 0.999 * v + 0.001 * g * g
        W = W - lr * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    else:
        buf = g if buf is None else mu * buf + g
        W = W - lr * buf
    out.append(probe(W))
print(json.dumps(out))
`;

const base: TrainOptions = {
  numTrain: 30,
  numTest: 9,
  inputDim: 8,
  hiddenDim: 12,
  labelNoiseStd: 0.3,
  batchSize: 30,
  optimizer: 'adam',
  learningRate: 0.3,
  momentum: 0,
  weightDecay: 0.01,
  lrSchedule: null,
  regLambda: 0.01,
  shouldNormalizeWeights: false,
  numEpochs: 3,
  probeEverySteps: 1,
  probeSchedule: 'linear',
  readoutFeatures: 'reference',
  shouldProbeWeights: true,
  shouldProbeFeatures: true,
  shouldComputeOverlaps: false,
  isLastLayerFixed: true,
  precision: 'f64',
};

const variants: TrainOptions[] = [
  base,
  { ...base, optimizer: 'sgd', learningRate: 20, momentum: 0.5 },
  { ...base, readoutFeatures: 'paper' },
  { ...base, optimizer: 'sgd', learningRate: 20, momentum: 0.5, readoutFeatures: 'paper' },
];
for (const options of variants) {
  test(`train (${options.optimizer}, ${options.readoutFeatures} read-out) matches a numpy transcription of the original code at every probe`, async (t) => {
    if (!requireTool(t, findNumpyPython() !== null, 'python3 with numpy')) return;
    const { backend } = await loadBackend('js');
    const problem = drawProblem(options, { teacher: stream(9, 'teacher'), data: stream(9, 'data'), init: stream(9, 'init') });
    const result = await train(backend, options, problem);
    const expected = runPython<Record<string, number>[]>(ORACLE, {
      options,
      xTrain: [...problem.xTrain.data],
      yTrain: [...problem.yTrain],
      xProbe: [...problem.xProbe.data],
      yProbe: [...problem.yProbe],
      xTest: [...problem.xTest.data],
      yTest: [...problem.yTest],
      initialW: [...problem.initialW.data],
      initialA: [...problem.initialA],
      beta: [...problem.teacherBeta],
    });
    assert.equal(result.steps.length, expected.length);
    result.steps.forEach((metrics, k) => {
      for (const key of ['train_loss', 'test_loss', 'kta', 'alignment', 'alpha_hill'] as const) {
        const want = expected[k]![key]!;
        assert.ok(Math.abs(metrics[key] - want) <= 1e-8 * Math.max(1, Math.abs(want)), `step ${k} ${key}: ${metrics[key]} vs numpy ${want}`);
      }
    });
  });
}
