import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createProgress } from './progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  }) as unknown as NodeJS.WriteStream & { text: () => string };
  Object.assign(stream, { isTTY, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true, text: () => text });
  return stream;
}

test('createProgress draws nothing when the stream is not a terminal, but still logs lines', () => {
  const stream = fakeStream(false);
  const progress = createProgress({ label: 'main', total: 10, unit: 'steps', stream });
  progress.update(3, 'probes 1/2');
  progress.increment();
  progress.log('a notice');
  progress.stop();
  assert.equal(stream.text(), 'a notice\n');
});

test('createProgress draws steps, the detail text and the ETA on a terminal', () => {
  const stream = fakeStream(true);
  const progress = createProgress({ label: 'main', total: 10, unit: 'steps', stream });
  progress.update(4, 'probes 1/2');
  progress.stop();
  progress.stop();
  assert.match(stream.text(), /main \[.*\] 4\/10 steps \| probes 1\/2 \| ETA/);
});

test('createProgress off a terminal prints a plain line at most every lineIntervalMs, and the last one at the total', () => {
  const stream = fakeStream(false);
  let clock = 0;
  const progress = createProgress({ label: 'analyze', total: 4, unit: 'layers', stream, lineIntervalMs: 1000, now: () => clock, eta: () => `${4 - done}m` });
  let done = 0;
  clock = 400;
  progress.update((done = 1), 'a'); // too soon: nothing
  clock = 1500;
  progress.update((done = 2), 'b'); // printed
  clock = 1600;
  progress.update(2, 'c (started)'); // same count: nothing
  progress.update((done = 3), 'c'); // too soon
  clock = 1700;
  progress.update((done = 4), 'd'); // the total, after a printed line: printed
  progress.update(4, 'd');
  progress.stop();
  assert.equal(stream.text(), 'analyze: 2/4 layers | b | ETA 2m\nanalyze: 4/4 layers | d | ETA 0m\n');
});

test('createProgress off a terminal prints no line for a short run', () => {
  const stream = fakeStream(false);
  let clock = 0;
  const progress = createProgress({ label: 'analyze', total: 2, unit: 'layers', stream, lineIntervalMs: 1000, now: () => clock });
  clock = 10;
  progress.update(1);
  clock = 20;
  progress.update(2);
  progress.stop();
  assert.equal(stream.text(), '');
});

test('createProgress on a terminal shows the caller\'s ETA text', () => {
  const stream = fakeStream(true);
  const progress = createProgress({ label: 'analyze', total: 10, unit: 'layers', stream, eta: () => '1h 05m' });
  progress.update(4, 'model.layers.1.mlp.up_proj');
  progress.stop();
  assert.match(stream.text(), /analyze \[.*\] 4\/10 layers \| model\.layers\.1\.mlp\.up_proj \| ETA 1h 05m/);
});
