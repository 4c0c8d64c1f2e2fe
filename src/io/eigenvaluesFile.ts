/** Reading a precomputed eigenvalue list: a JSON array of numbers or a 1-D .npy file. */
import { InputError } from '../errors.js';
import { readJsonFile } from './fileErrors.js';
import { readNpyFile } from './npyFile.js';

/**
 * Reads eigenvalues from `path` (.npy: a 1-D float array; anything else: a JSON array of numbers),
 * checks they are finite and non-negative (tiny negative round-off down to -1e-12 * max is clamped
 * to 0), and returns them sorted ascending as a Float64Array.
 */
export async function readEigenvaluesFile(path: string): Promise<Float64Array> {
  let values: Float64Array;
  if (path.endsWith('.npy')) {
    const array = await readNpyFile(path, { as: 'f64' });
    if (array.shape.length !== 1) throw new InputError(`${path} has shape (${array.shape.join(', ')}); an eigenvalue file is 1-D`);
    values = Float64Array.from(array.data);
  } else {
    const parsed = await readJsonFile(path, 'an array of eigenvalues');
    if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'number')) {
      throw new InputError(`${path} must hold a JSON array of numbers (eigenvalues)`);
    }
    values = Float64Array.from(parsed as number[]);
  }
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new InputError(`${path} holds ${v} at index ${i}; eigenvalues must be finite`);
    max = Math.max(max, Math.abs(v));
  }
  for (let i = 0; i < values.length; i++) {
    if (values[i]! < 0) {
      if (values[i]! < -1e-12 * max) throw new InputError(`${path} holds the negative eigenvalue ${values[i]} at index ${i}; eigenvalues of W^T W are >= 0`);
      values[i] = 0;
    }
  }
  return values.sort();
}
