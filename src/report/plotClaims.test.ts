import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { claimedFromFront, claimFigure, createClaims } from './plotClaims.js';

test('claims from both ends hand out every index exactly once, the front in order and the back in reverse', () => {
  const claims = createClaims(5);
  assert.deepEqual([claimFigure(claims, true), claimFigure(claims, false), claimFigure(claims, true), claimFigure(claims, false), claimFigure(claims, false)], [0, 4, 1, 3, 2]);
  assert.equal(claimFigure(claims, true), -1);
  assert.equal(claimFigure(claims, false), -1);
  assert.equal(claimedFromFront(claims), 2);
  assert.equal(claimFigure(createClaims(0), true), -1);
  assert.throws(() => createClaims(40000), /32768/);
});

test('two threads claiming at once from opposite ends take every index once between them', async () => {
  const count = 20000;
  const claims = createClaims(count);
  const source = `
    const { workerData, parentPort } = require('node:worker_threads');
    const words = workerData;
    const got = [];
    for (;;) {
      const old = Atomics.load(words, 0);
      const front = old & 0xffff, back = old >>> 16;
      if (front >= back) break;
      if (Atomics.compareExchange(words, 0, old, (back << 16) | (front + 1)) === old) got.push(front);
    }
    parentPort.postMessage(got);`;
  const worker = new Worker(source, { eval: true, workerData: claims });
  const fromWorker = new Promise<number[]>((resolve) => worker.once('message', resolve));
  const here: number[] = [];
  for (let index = claimFigure(claims, false); index !== -1; index = claimFigure(claims, false)) here.push(index);
  const there = await fromWorker;
  await worker.terminate();
  const all = [...here, ...there].sort((a, b) => a - b);
  assert.equal(all.length, count);
  assert.ok(all.every((index, i) => index === i), 'each index once');
});
