/**
 * The checkpoint file of a run folder, checkpoint.json: the engine's TrainCheckpoint (weights,
 * optimizer moments, batch-stream generator and position, the probes so far) plus the backend
 * that wrote it. Written atomically (a temporary file, fsync, rename), so that a run killed at any
 * moment leaves either the previous checkpoint or the new one, never a torn file. Typed arrays are
 * stored as base64 of their bytes and numbers exactly (NaN, infinities and -0 tagged), so a
 * restored training continues bit for bit.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { TrainCheckpoint } from '../train/index.js';

/** The checkpoint's file name inside the run folder. */
export const CHECKPOINT_FILE = 'checkpoint.json';
const FORMAT = 'esdlab-checkpoint';
const VERSION = 1;

/** What checkpoint.json holds. */
export interface RunCheckpoint {
  /** The backend the checkpointed steps ran on (a resume elsewhere matches only to rounding). */
  readonly backend: string;
  readonly training: TrainCheckpoint;
}

/** Writes `checkpoint` as directory/checkpoint.json, atomically. */
export function writeRunCheckpoint(directory: string, checkpoint: RunCheckpoint): void {
  const text = JSON.stringify({ format: FORMAT, version: VERSION, backend: checkpoint.backend, training: encode(checkpoint.training) });
  const path = join(directory, CHECKPOINT_FILE);
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  const directoryFd = openSync(directory, 'r');
  try {
    fsyncSync(directoryFd);
  } finally {
    closeSync(directoryFd);
  }
}

/**
 * Reads directory/checkpoint.json, or null when the folder has none. Throws InputError (one line,
 * naming the file) for a file that is not an esdlab checkpoint of this version.
 */
export function readRunCheckpoint(directory: string): RunCheckpoint | null {
  const path = join(directory, CHECKPOINT_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  let parsed: { format?: unknown; version?: unknown; backend?: unknown; training?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (error) {
    throw new InputError(`${path} is not readable JSON (${(error as Error).message}); it is not an esdlab checkpoint`);
  }
  if (parsed?.format !== FORMAT || typeof parsed.backend !== 'string' || typeof parsed.training !== 'object') {
    throw new InputError(`${path} is not an esdlab checkpoint`);
  }
  if (parsed.version !== VERSION) throw new InputError(`${path} is checkpoint version ${String(parsed.version)}; this esdlab reads version ${VERSION}`);
  return { backend: parsed.backend, training: decode(parsed.training) as TrainCheckpoint };
}

/** Removes directory/checkpoint.json (once the run's results are written). */
export function removeRunCheckpoint(directory: string): void {
  rmSync(join(directory, CHECKPOINT_FILE), { force: true });
  rmSync(join(directory, `${CHECKPOINT_FILE}.tmp`), { force: true });
}

const ARRAY_TAGS = { f32: Float32Array, f64: Float64Array, u32: Uint32Array } as const;
type ArrayTag = keyof typeof ARRAY_TAGS;

function encode(value: unknown): unknown {
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return { $num: '-0' };
    return Number.isFinite(value) ? value : { $num: String(value) };
  }
  if (ArrayBuffer.isView(value)) {
    const tag = (Object.keys(ARRAY_TAGS) as ArrayTag[]).find((key) => value instanceof ARRAY_TAGS[key]);
    if (!tag) throw new InputError(`cannot checkpoint a ${value.constructor.name}`);
    return { [`$${tag}`]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = encode(item);
    return out;
  }
  return value;
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1) {
    const only = keys[0]!;
    if (only === '$num') return Number(record.$num);
    const tag = only.slice(1) as ArrayTag;
    if (only.startsWith('$') && tag in ARRAY_TAGS) {
      const bytes = Buffer.from(String(record[only]), 'base64');
      const Type = ARRAY_TAGS[tag];
      const copy = new Uint8Array(bytes.byteLength);
      copy.set(bytes);
      return new Type(copy.buffer, 0, bytes.byteLength / Type.BYTES_PER_ELEMENT);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) out[key] = decode(item);
  return out;
}
