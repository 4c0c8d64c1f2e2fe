/**
 * The weights of an ONNX model: its graph's initializers, decoded with protobufjs from the schema
 * subset in onnxSchema.ts. A tensor's data is in raw_data (little-endian), in a typed field
 * (float_data, double_data; int32_data holding FLOAT16/BFLOAT16 bit patterns), or in an external
 * file (data_location EXTERNAL, external_data {location, offset, length}). Pure: no file access.
 */
import protobuf from 'protobufjs';
import { InputError } from '../errors.js';
import { bfloat16ToFloat32, halfToFloat32 } from './halfPrecision.js';
import { decodeFloatElements } from './floatElements.js';
import { ONNX_DATA_TYPES, ONNX_SCHEMA } from './onnxSchema.js';
import { printable } from './safetensors.js';

/** One initializer, its data not yet decoded. */
export interface OnnxInitializer {
  readonly name: string;
  readonly shape: readonly number[];
  /** The ONNX data type name ('FLOAT', 'FLOAT16', 'INT64', ...). */
  readonly dtype: string;
  readonly rawData?: Uint8Array;
  readonly floatData?: readonly number[];
  readonly doubleData?: readonly number[];
  readonly int32Data?: readonly number[];
  /** External data: a file next to the model, the byte offset and length (length undefined: to its end). */
  readonly external?: { readonly location: string; readonly offset: number; readonly length?: number };
}

/** ONNX data types esdlab decodes to floats. */
export const DECODABLE_ONNX_TYPES: readonly string[] = ['FLOAT', 'DOUBLE', 'FLOAT16', 'BFLOAT16'];

const ELEMENT_BYTES: Record<string, number> = { FLOAT: 4, DOUBLE: 8, FLOAT16: 2, BFLOAT16: 2, INT64: 8, INT32: 4, INT8: 1, UINT8: 1, INT16: 2, UINT16: 2, BOOL: 1 };

let modelType: protobuf.Type | undefined;

interface DecodedTensor {
  dims?: (number | { toNumber(): number })[];
  dataType?: number;
  name?: string;
  rawData?: Uint8Array;
  floatData?: number[];
  doubleData?: number[];
  int32Data?: number[];
  externalData?: { key?: string; value?: string }[];
  dataLocation?: number;
}

const toNumber = (n: number | { toNumber(): number }) => (typeof n === 'number' ? n : n.toNumber());

/** Decodes a .onnx file's bytes and lists its initializers. Throws an InputError for bytes that are not an ONNX model. */
export function decodeOnnxInitializers(bytes: Uint8Array, what: string): OnnxInitializer[] {
  modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace).lookupType('onnx.ModelProto');
  let model: { graph?: { initializer?: DecodedTensor[] } };
  try {
    model = modelType.decode(bytes) as unknown as typeof model;
  } catch (error) {
    throw new InputError(`${what} is not a valid ONNX protobuf (${printable(error instanceof Error ? error.message : String(error))})`);
  }
  if (!model.graph) throw new InputError(`${what} has no graph; it is not an ONNX model`);
  return (model.graph.initializer ?? []).map((t, k) => {
    const name = t.name ?? `initializer_${k}`;
    const shape = (t.dims ?? []).map(toNumber);
    const where = `${what}, initializer '${printable(name)}'`;
    if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new InputError(`${where} has dims [${shape.join(', ')}]; expected non-negative integers`);
    const dtype = ONNX_DATA_TYPES[t.dataType ?? 0] ?? `type ${t.dataType ?? 0}`;
    const base = { name, shape, dtype };
    if (t.dataLocation === 1) {
      const entries = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
      const location = entries.get('location');
      if (!location || location.includes('..') || location.startsWith('/')) throw new InputError(`${where} keeps its data externally but names no file next to the model ("location" ${JSON.stringify(location)})`);
      const offset = Number(entries.get('offset') ?? 0);
      const length = entries.has('length') ? Number(entries.get('length')) : undefined;
      if (!Number.isSafeInteger(offset) || offset < 0 || (length !== undefined && (!Number.isSafeInteger(length) || length < 0))) {
        throw new InputError(`${where} has external offset ${JSON.stringify(entries.get('offset'))} and length ${JSON.stringify(entries.get('length'))}; expected non-negative integers`);
      }
      return { ...base, external: { location, offset, ...(length !== undefined ? { length } : {}) } };
    }
    return {
      ...base,
      ...(t.rawData && t.rawData.length > 0 ? { rawData: t.rawData } : {}),
      ...(t.floatData?.length ? { floatData: t.floatData } : {}),
      ...(t.doubleData?.length ? { doubleData: t.doubleData } : {}),
      ...(t.int32Data?.length ? { int32Data: t.int32Data } : {}),
    };
  });
}

/** Bytes of an initializer's data in raw form (for checking an external range), or undefined for an unknown type. */
export function onnxRawSizeBytes(tensor: Pick<OnnxInitializer, 'shape' | 'dtype'>): number | undefined {
  const size = ELEMENT_BYTES[tensor.dtype];
  return size === undefined ? undefined : tensor.shape.reduce((a, b) => a * b, 1) * size;
}

/**
 * Decodes an initializer to f32 (DOUBLE to f64): from `raw` (raw_data or the external bytes) when
 * given, else from its typed field. Throws an InputError when the data's length disagrees with dims.
 */
export function decodeOnnxTensor(tensor: OnnxInitializer, raw?: Uint8Array): Float32Array | Float64Array {
  const count = tensor.shape.reduce((a, b) => a * b, 1);
  const where = `initializer '${printable(tensor.name)}'`;
  if (!DECODABLE_ONNX_TYPES.includes(tensor.dtype)) throw new InputError(`${where} has data type ${tensor.dtype}; esdlab analyzes ${DECODABLE_ONNX_TYPES.join(', ')}`);
  const bytes = raw ?? tensor.rawData;
  if (bytes) {
    const expected = onnxRawSizeBytes(tensor)!;
    if (bytes.length !== expected) throw new InputError(`${where} has ${bytes.length} bytes of data but dims [${tensor.shape.join(', ')}] of ${tensor.dtype} need ${expected}`);
    const type = tensor.dtype === 'FLOAT' ? 'f32' : tensor.dtype === 'DOUBLE' ? 'f64' : tensor.dtype === 'FLOAT16' ? 'f16' : 'bf16';
    return decodeFloatElements(bytes, type, count, { isLittleEndian: true });
  }
  const typed = tensor.dtype === 'FLOAT' ? tensor.floatData : tensor.dtype === 'DOUBLE' ? tensor.doubleData : tensor.int32Data;
  if ((typed?.length ?? 0) !== count) throw new InputError(`${where} holds ${typed?.length ?? 0} values but dims [${tensor.shape.join(', ')}] need ${count}`);
  if (tensor.dtype === 'FLOAT') return Float32Array.from(typed!);
  if (tensor.dtype === 'DOUBLE') return Float64Array.from(typed!);
  const bits = Uint16Array.from(typed!);
  return tensor.dtype === 'FLOAT16' ? halfToFloat32(bits) : bfloat16ToFloat32(bits);
}
