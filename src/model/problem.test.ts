import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../errors.js';
import { zeros } from '../linalg/index.js';
import { stream } from '../random/index.js';
import { drawProblem } from './problem.js';
import { drawTeacherDirection, teacherLabels } from './teacher.js';

const sizes = { numTrain: 6, numTest: 3, inputDim: 4, hiddenDim: 5, labelNoiseStd: 0.3 };
const streams = (seed: number) => ({ teacher: stream(seed, 'teacher'), data: stream(seed, 'data'), init: stream(seed, 'init') });

test('drawProblem draws every split, beta* and the init with the documented shapes and order', () => {
  const p = drawProblem(sizes, streams(0));
  assert.deepEqual([p.xTrain.rows, p.xTrain.cols, p.xProbe.rows, p.xTest.rows, p.initialW.rows, p.initialW.cols], [6, 4, 6, 3, 5, 4]);
  assert.deepEqual([p.yTrain.length, p.yProbe.length, p.yTest.length, p.teacherBeta.length, p.initialA.length], [6, 6, 3, 4, 5]);
  // Replay the documented order by hand.
  const beta = drawTeacherDirection(4, stream(0, 'teacher'));
  assert.deepEqual(p.teacherBeta, beta);
  const data = stream(0, 'data');
  const xTrain = data.fillNormal(new Float64Array(24));
  const noiseTrain = data.fillNormal(new Float64Array(6));
  const xProbe = data.fillNormal(new Float64Array(24));
  assert.deepEqual(p.xTrain.data, xTrain);
  assert.deepEqual(p.yTrain, teacherLabels({ rows: 6, cols: 4, data: xTrain }, beta, noiseTrain, 0.3));
  assert.deepEqual(p.xProbe.data, xProbe);
  const init = stream(0, 'init');
  assert.deepEqual(p.initialW.data, init.fillNormal(new Float64Array(20)));
  assert.deepEqual(p.initialA, init.fillNormal(new Float64Array(5)));
});

test('drawProblem is reproducible and seeds differ', () => {
  assert.deepEqual(drawProblem(sizes, streams(3)), drawProblem(sizes, streams(3)));
  assert.notDeepEqual(drawProblem(sizes, streams(3)).xTrain.data, drawProblem(sizes, streams(4)).xTrain.data);
});

test('drawProblem overrides replace one draw and leave the others unchanged', () => {
  const base = drawProblem(sizes, streams(0));
  const initialW = zeros(5, 4, 'f32');
  const replayed = drawProblem(sizes, streams(0), { initialW, xTrain: base.xProbe });
  assert.equal(replayed.initialW, initialW);
  assert.deepEqual(replayed.initialA, base.initialA);
  assert.deepEqual(replayed.xProbe.data, base.xProbe.data);
  assert.deepEqual(replayed.xTest.data, base.xTest.data);
  // Labels of overridden inputs follow the teacher with the seeded noise.
  assert.notDeepEqual(replayed.yTrain, base.yTrain);
  assert.deepEqual(replayed.yProbe, base.yProbe);
});

test('drawProblem rejects mis-shaped overrides naming the field, its shape and the expected one', () => {
  assert.throws(() => drawProblem(sizes, streams(0), { initialW: zeros(4, 5) }), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /initialW has shape 4x5, expected 5x4 \(h x d\)/);
    return true;
  });
  assert.throws(() => drawProblem(sizes, streams(0), { teacherBeta: new Float64Array(3) }), /teacherBeta has length 3, expected 4 \(d\)/);
  assert.throws(() => drawProblem(sizes, streams(0), { yTest: new Float64Array(6) }), /yTest has length 6, expected 3 \(n_test\)/);
});
