/**
 * The header of a NumPy .npy file (format versions 1.0, 2.0 and 3.0): magic, version, header
 * length, and a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }.
 * Reference: numpy/lib/format.py. Pure: works on bytes, no file access.
 */
import { InputError } from '../errors.js';

/** Element types esdlab reads and writes in .npy files: float16, float32, float64. */
export type NpyDtype = 'f2' | 'f4' | 'f8';

/** A parsed .npy header. */
export interface NpyHeader {
  /** Element type (byte order aside). */
  readonly dtype: NpyDtype;
  /** True when the data is little-endian ('<', or '|' which numpy never uses for floats). */
  readonly isLittleEndian: boolean;
  /** True when the data is stored column-major (Fortran order). */
  readonly isFortranOrder: boolean;
  /** The array's shape; [] for a 0-d scalar. */
  readonly shape: readonly number[];
  /** Byte offset of the first element: 10, 12 or 12 bytes of preamble plus the header (64-aligned). */
  readonly dataOffset: number;
  /** Bytes of element data: product(shape) * itemsize. */
  readonly dataSizeBytes: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Bytes of the element type. */
export function npyItemSize(dtype: NpyDtype): number {
  return dtype === 'f2' ? 2 : dtype === 'f4' ? 4 : 8;
}

/**
 * How many leading bytes {@link parseNpyHeader} needs: call with the first 12 bytes, read this many, parse.
 * Throws an InputError when the bytes are not a .npy preamble.
 */
export function npyHeaderSizeBytes(preamble: Uint8Array, what = 'the input'): number {
  if (preamble.length < 10) throw new InputError(`${what} is truncated: it has ${preamble.length} bytes, a .npy header needs at least 10`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (preamble[i] !== MAGIC[i]) throw new InputError(`${what} is not a .npy file: it does not start with the magic bytes \\x93NUMPY`);
  }
  const major = preamble[6]!;
  const view = new DataView(preamble.buffer, preamble.byteOffset, preamble.byteLength);
  if (major === 1) return 10 + view.getUint16(8, true);
  if (major === 2 || major === 3) {
    if (preamble.length < 12) throw new InputError(`${what} is truncated inside its .npy preamble`);
    return 12 + view.getUint32(8, true);
  }
  throw new InputError(`${what} has .npy format version ${major}.${preamble[7]}; esdlab reads versions 1.0, 2.0 and 3.0`);
}

/** Parses the header at the start of `bytes` (which must hold at least {@link npyHeaderSizeBytes} bytes). */
export function parseNpyHeader(bytes: Uint8Array, what = 'the input'): NpyHeader {
  const dataOffset = npyHeaderSizeBytes(bytes, what);
  if (bytes.length < dataOffset) {
    throw new InputError(`${what} is truncated: its header declares ${dataOffset} bytes, the file has ${bytes.length}`);
  }
  const preambleSize = bytes[6] === 1 ? 10 : 12;
  const text = new TextDecoder(bytes[6] === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(preambleSize, dataOffset));
  const dict = parsePythonDict(text, what);
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (typeof descr !== 'string') throw new InputError(`${what} has no 'descr' string in its header`);
  if (typeof fortran !== 'boolean') throw new InputError(`${what} has no 'fortran_order' boolean in its header`);
  if (!Array.isArray(shape)) throw new InputError(`${what} has no 'shape' tuple in its header`);
  const match = /^([<>|=])f([248])$/.exec(descr);
  if (!match) {
    throw new InputError(`${what} holds dtype '${descr}'; esdlab reads float16, float32 and float64 ('<f2', '<f4', '<f8', or big-endian '>')`);
  }
  const dtype = `f${match[2]}` as NpyDtype;
  // '=' means native order; numpy writes an explicit '<' or '>' for floats, so '=' is taken as little-endian
  const isLittleEndian = match[1] !== '>';
  let count = 1;
  for (const n of shape) count *= n;
  if (!Number.isSafeInteger(count * 8)) throw new InputError(`${what} declares shape (${shape.join(', ')}), too large to address`);
  return { dtype, isLittleEndian, isFortranOrder: fortran, shape, dataOffset, dataSizeBytes: count * npyItemSize(dtype) };
}

type PythonValue = string | boolean | number[];

/** Parses the restricted Python dict literal numpy writes: string keys; string, bool or int-tuple values. */
function parsePythonDict(text: string, what: string): Map<string, PythonValue> {
  let i = 0;
  const fail = (expected: string): never => {
    throw new InputError(`${what} has a malformed header: expected ${expected} at character ${i} of ${JSON.stringify(text.trim())}`);
  };
  const skip = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const expect = (c: string) => {
    skip();
    if (text[i] !== c) fail(`'${c}'`);
    i++;
  };
  const parseString = (): string => {
    skip();
    const quote = text[i];
    if (quote !== "'" && quote !== '"') return fail('a quoted string');
    const end = text.indexOf(quote, i + 1);
    if (end < 0) return fail('a closing quote');
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const parseValue = (): PythonValue => {
    skip();
    if (text[i] === "'" || text[i] === '"') return parseString();
    if (text.startsWith('True', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('False', i)) {
      i += 5;
      return false;
    }
    if (text[i] === '(' || text[i] === '[') {
      const close = text[i] === '(' ? ')' : ']';
      i++;
      const values: number[] = [];
      for (;;) {
        skip();
        if (text[i] === close) {
          i++;
          return values;
        }
        const m = /^(\d+)L?/.exec(text.slice(i, i + 24));
        if (!m) return fail('a non-negative integer dimension');
        values.push(Number(m[1]));
        i += m[0].length;
        skip();
        if (text[i] === ',') i++;
        else if (text[i] !== close) fail(`',' or '${close}'`);
      }
    }
    return fail('a string, True, False or a tuple');
  };
  const result = new Map<string, PythonValue>();
  expect('{');
  for (;;) {
    skip();
    if (text[i] === '}') break;
    const key = parseString();
    expect(':');
    result.set(key, parseValue());
    skip();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail("',' or '}'");
  }
  return result;
}

/** Formats the header numpy would write (version 1.0 when it fits, else 2.0), padded so data starts 64-aligned. */
export function encodeNpyHeader(dtype: NpyDtype, shape: readonly number[], isFortranOrder = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<${dtype}', 'fortran_order': ${isFortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  let preambleSize = 10;
  let total = Math.ceil((preambleSize + dict.length + 1) / 64) * 64;
  if (total - preambleSize > 0xffff) {
    preambleSize = 12;
    total = Math.ceil((preambleSize + dict.length + 1) / 64) * 64;
  }
  const headerText = dict + ' '.repeat(total - preambleSize - dict.length - 1) + '\n';
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = preambleSize === 10 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (preambleSize === 10) view.setUint16(8, headerText.length, true);
  else view.setUint32(8, headerText.length, true);
  for (let k = 0; k < headerText.length; k++) out[preambleSize + k] = headerText.charCodeAt(k);
  return out;
}
