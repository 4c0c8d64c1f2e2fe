/**
 * A small GGUF v3 writer for tests, written from ggml/docs/gguf.md: header, metadata (strings,
 * u32, f32 arrays), tensor infos (dims reversed: ne[0] is the row length), data aligned to 32.
 * Tensors are given as raw bytes already encoded in their ggml type.
 */
import { GGML_TYPES } from '../gguf.js';

/** One tensor to write: row-major shape, ggml type name and its encoded bytes. */
export interface GgufTensorInput {
  readonly name: string;
  readonly shape: readonly number[];
  readonly type: string;
  readonly data: Uint8Array;
}

/** Encodes a GGUF v3 file (alignment 32) with the given string metadata and tensors. */
export function encodeGguf(tensors: readonly GgufTensorInput[], metadata: Readonly<Record<string, string | number>> = {}): Uint8Array {
  const parts: number[] = [];
  const u32 = (n: number) => parts.push(...new Uint8Array(new Uint32Array([n]).buffer));
  const u64 = (n: number) => parts.push(...new Uint8Array(new BigUint64Array([BigInt(n)]).buffer));
  const string = (s: string) => {
    const bytes = new TextEncoder().encode(s);
    u64(bytes.length);
    parts.push(...bytes);
  };
  u32(0x46554747);
  u32(3);
  u64(tensors.length);
  u64(Object.keys(metadata).length + 1);
  string('tokenizer.ggml.scores'); // a numeric array, as real files have
  u32(9);
  u32(6);
  u64(3);
  parts.push(...new Uint8Array(new Float32Array([0.5, -1, 2]).buffer));
  for (const [key, value] of Object.entries(metadata)) {
    string(key);
    if (typeof value === 'string') {
      u32(8);
      string(value);
    } else {
      u32(4);
      u32(value);
    }
  }
  const typeIds = new Map(Object.entries(GGML_TYPES).map(([id, info]) => [info.name, Number(id)]));
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    string(t.name);
    u32(t.shape.length);
    for (const n of [...t.shape].reverse()) u64(n);
    u32(typeIds.get(t.type) ?? Number(t.type.replace('type ', '')));
    u64(offset);
    offsets.push(offset);
    offset = Math.ceil((offset + t.data.length) / 32) * 32;
  }
  const dataStart = Math.ceil(parts.length / 32) * 32;
  const out = new Uint8Array(dataStart + offset);
  out.set(parts);
  tensors.forEach((t, k) => out.set(t.data, dataStart + offsets[k]!));
  return out;
}

/** Q8_0 blocks for `values`: per 32 values, d = max|v| / 127 (f16 bits given) and q = round(v / d). */
export function encodeQ8_0(quantized: readonly number[], scaleHalfBits: readonly number[]): Uint8Array {
  const out = new Uint8Array((quantized.length / 32) * 34);
  const view = new DataView(out.buffer);
  for (let block = 0; block < quantized.length / 32; block++) {
    view.setUint16(block * 34, scaleHalfBits[block]!, true);
    for (let j = 0; j < 32; j++) view.setInt8(block * 34 + 2 + j, quantized[block * 32 + j]!);
  }
  return out;
}
