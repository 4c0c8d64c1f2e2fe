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
