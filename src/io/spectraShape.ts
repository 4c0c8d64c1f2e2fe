/**
 * The shape sidecar of a run's spectra/ folder: `shape.json`, {"rows": h, "cols": d}, the shape of
 * the W every step-<k>.npy there is the ESD of. The .npy files stay plain 1-D float64 arrays (numpy
 * refuses extra header keys), and `esdlab analyze --eigs` reads the sidecar when --shape is not given.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';

/** The sidecar's file name inside spectra/. */
export const SPECTRA_SHAPE_FILE = 'shape.json';

/** Writes spectra/shape.json into `folder`. */
export function writeSpectraShape(folder: string, rows: number, cols: number): void {
  writeFileSync(join(folder, SPECTRA_SHAPE_FILE), `${JSON.stringify({ rows, cols })}\n`);
}

/**
 * The [rows, cols] in `folder`'s shape.json, or null when there is none. Throws InputError for a
 * sidecar that is not {"rows": integer >= 1, "cols": integer >= 1}.
 */
export function readSpectraShape(folder: string): [number, number] | null {
  const path = join(folder, SPECTRA_SHAPE_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const { rows, cols } = (value ?? {}) as { rows?: unknown; cols?: unknown };
  const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 1;
  if (!isCount(rows) || !isCount(cols)) throw new InputError(`${path} is not {"rows": integer >= 1, "cols": integer >= 1}; pass --shape RxC or fix the file`);
  return [rows, cols];
}
