/**
 * The seeded fuzz loop every checkpoint format's test shares: write a mutated or truncated copy of
 * a good file, list its tensors and load each; anything thrown must be a one-line InputError.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { InputError } from '../../errors.js';
import type { Generator } from '../../random/index.js';
import { listCheckpointTensors } from '../checkpointTensors.js';

/**
 * Runs `trials` rounds on `path`: each writes `mutate(good.slice(), rng)` there, then reads it.
 * `mutate` may return a new (e.g. shorter) array.
 */
export async function fuzzCheckpointFile(path: string, good: Uint8Array, rng: Generator, trials: number, mutate: (bytes: Uint8Array, rng: Generator) => Uint8Array): Promise<void> {
  for (let trial = 0; trial < trials; trial++) {
    await writeFile(path, mutate(good.slice(), rng));
    try {
      for await (const t of listCheckpointTensors(path)) {
        try {
          await t.load();
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          assert.ok(!error.message.includes('\n'), `trial ${trial}: ${error.message}`);
        }
      }
    } catch (error) {
      assert.ok(error instanceof InputError, `trial ${trial}: ${String(error)}`);
      assert.ok(!error.message.includes('\n'), `trial ${trial}: ${error.message}`);
    }
  }
}
