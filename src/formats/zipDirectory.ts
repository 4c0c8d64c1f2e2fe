/**
 * The central directory of a zip file (PKWARE APPNOTE.TXT sections 4.3.12 to 4.3.16, with the
 * zip64 records of 4.3.14-4.3.15 and the zip64 extra field of 4.5.3): which entries the file holds,
 * their sizes, compression methods and local-header offsets. `torch.save` writes every entry
 * stored (method 0), so an entry's bytes are read in place at an offset, streamed, never inflated.
 * Pure: parses byte ranges the io layer reads from the end of the file.
 */
import { InputError } from '../errors.js';
import { printable } from './safetensors.js';

/** One entry of the central directory. */
export interface ZipEntry {
  readonly name: string;
  /** 0 = stored; anything else is compressed. */
  readonly method: number;
  readonly compressedSizeBytes: number;
  readonly sizeBytes: number;
  /** Offset of the entry's local header. */
  readonly localHeaderOffset: number;
}

/** Where the central directory lies. */
export interface ZipDirectoryLocation {
  readonly offset: number;
  readonly sizeBytes: number;
  readonly numEntries: number;
  /** Offset of the zip64 end record when the file uses zip64 (its fields replace the 0xffff... ones). */
  readonly zip64EndOffset?: number;
}

/** Bytes to read from the end of a file to find the end record: 22 + a 65535-byte comment + the 20-byte zip64 locator. */
export const ZIP_TAIL_BYTES = 22 + 65535 + 20;

const END_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_END_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

const viewOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function safeNumber(value: bigint, what: string, field: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new InputError(`${what} has a zip ${field} of ${value}, too large to address`);
  return Number(value);
}

/**
 * Finds the end-of-central-directory record in `tail` (the last bytes of a file of
 * `fileSizeBytes`). When the file is zip64, the returned location has `zip64EndOffset` and the
 * caller reads 56 bytes there and passes them to {@link parseZip64End}.
 */
export function locateZipDirectory(tail: Uint8Array, fileSizeBytes: number, what: string): ZipDirectoryLocation {
  const view = viewOf(tail);
  const tailStart = fileSizeBytes - tail.length;
  for (let at = tail.length - 22; at >= 0; at--) {
    if (view.getUint32(at, true) !== END_SIGNATURE) continue;
    const numEntries = view.getUint16(at + 10, true);
    const sizeBytes = view.getUint32(at + 12, true);
    const offset = view.getUint32(at + 16, true);
    if (at >= 20 && view.getUint32(at - 20, true) === ZIP64_LOCATOR_SIGNATURE) {
      const zip64EndOffset = safeNumber(view.getBigUint64(at - 20 + 8, true), what, 'zip64 end offset');
      if (zip64EndOffset + 56 > tailStart + at - 20) throw new InputError(`${what} has a zip64 locator pointing past itself (corrupted zip)`);
      return { offset, sizeBytes, numEntries, zip64EndOffset };
    }
    if (offset + sizeBytes > tailStart + at) throw new InputError(`${what} has a zip central directory [${offset}, ${offset + sizeBytes}) that runs past its end record (truncated or corrupted)`);
    return { offset, sizeBytes, numEntries };
  }
  throw new InputError(`${what} has no zip end-of-central-directory record (truncated, or not a zip file)`);
}

/** Parses the 56-byte zip64 end record at `location.zip64EndOffset`. */
export function parseZip64End(record: Uint8Array, location: ZipDirectoryLocation, what: string): ZipDirectoryLocation {
  const view = viewOf(record);
  if (record.length < 56 || view.getUint32(0, true) !== ZIP64_END_SIGNATURE) throw new InputError(`${what} has a zip64 locator that points at no zip64 end record (corrupted zip)`);
  const numEntries = safeNumber(view.getBigUint64(32, true), what, 'entry count');
  const sizeBytes = safeNumber(view.getBigUint64(40, true), what, 'directory size');
  const offset = safeNumber(view.getBigUint64(48, true), what, 'directory offset');
  if (offset + sizeBytes > location.zip64EndOffset!) throw new InputError(`${what} has a zip central directory that runs past its zip64 end record (truncated or corrupted)`);
  return { offset, sizeBytes, numEntries };
}

/** Parses the central directory bytes into entries (checks every signature and length). */
export function parseZipDirectory(bytes: Uint8Array, location: ZipDirectoryLocation, what: string): ZipEntry[] {
  const view = viewOf(bytes);
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let at = 0;
  for (let k = 0; k < location.numEntries; k++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw new InputError(`${what} has a corrupted zip central directory (entry ${k} of ${location.numEntries} is missing or malformed)`);
    }
    const method = view.getUint16(at + 10, true);
    let compressedSizeBytes = view.getUint32(at + 20, true);
    let sizeBytes = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localHeaderOffset = view.getUint32(at + 42, true);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > bytes.length) throw new InputError(`${what} has a zip directory entry ${k} that runs past the directory (corrupted zip)`);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    // zip64 extra field (id 1): the 64-bit values of whichever fields hold 0xffffffff, in this order
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true);
      const length = view.getUint16(extra + 2, true);
      if (id === 1) {
        let field = extra + 4;
        const next = (label: string) => {
          if (field + 8 > extra + 4 + length) throw new InputError(`${what} has a short zip64 extra field in entry '${printable(name)}'`);
          const value = safeNumber(view.getBigUint64(field, true), what, label);
          field += 8;
          return value;
        };
        if (sizeBytes === 0xffffffff) sizeBytes = next('entry size');
        if (compressedSizeBytes === 0xffffffff) compressedSizeBytes = next('compressed size');
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = next('header offset');
      }
      extra += 4 + length;
    }
    if (localHeaderOffset + 30 + compressedSizeBytes > location.offset) {
      throw new InputError(`${what} has zip entry '${printable(name)}' of ${compressedSizeBytes} bytes at ${localHeaderOffset}, past the start of the directory (truncated or lying header)`);
    }
    entries.push({ name, method, compressedSizeBytes, sizeBytes, localHeaderOffset });
    at = end;
  }
  return entries;
}

/**
 * The offset of an entry's data, from the 30 bytes of its local header (the local name and extra
 * lengths can differ from the central directory's: torch pads the extra field to align the data).
 */
export function zipEntryDataOffset(localHeader: Uint8Array, entry: ZipEntry, what: string): number {
  const view = viewOf(localHeader);
  if (localHeader.length < 30 || view.getUint32(0, true) !== LOCAL_SIGNATURE) throw new InputError(`${what} has no zip local header for entry '${printable(entry.name)}' at ${entry.localHeaderOffset} (corrupted zip)`);
  return entry.localHeaderOffset + 30 + view.getUint16(26, true) + view.getUint16(28, true);
}

/** The four bytes every zip file starts with. */
export function isZipMagic(first4: Uint8Array): boolean {
  return first4.length >= 4 && viewOf(first4).getUint32(0, true) === LOCAL_SIGNATURE;
}
