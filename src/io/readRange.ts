/**
 * Reading an exact byte range of an open file into memory, in chunks (a single fs read is limited
 * to about 2 GiB), with a clear error when the file ends early.
 */
import type { FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.js';

const CHUNK_BYTES = 1 << 30;

/**
 * Reads bytes [position, position + target.length) of `handle` into `target`. Throws an
 * InputError naming `what` when the file ends before the range does.
 */
export async function readRangeInto(handle: FileHandle, position: number, target: Uint8Array, what: string): Promise<Uint8Array> {
  let done = 0;
  while (done < target.length) {
    const length = Math.min(CHUNK_BYTES, target.length - done);
    const { bytesRead } = await handle.read(target, done, length, position + done);
    if (bytesRead === 0) {
      throw new InputError(`${what} is truncated: needed bytes [${position}, ${position + target.length}), the file ends at ${position + done}`);
    }
    done += bytesRead;
  }
  return target;
}

/** Reads `length` bytes at `position` into a new (8-aligned) buffer. */
export async function readRange(handle: FileHandle, position: number, length: number, what: string): Promise<Uint8Array> {
  return readRangeInto(handle, position, new Uint8Array(length), what);
}
