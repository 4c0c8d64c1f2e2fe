/**
 * TensorFlow.js weights manifests (tfjs-core io/types.ts, WeightsManifestConfig): a model.json's
 * "weightsManifest" or a *-weights_manifest.json, an array of groups {paths, weights}; each group's
 * shard files, concatenated, hold its weights back to back in manifest order. Quantized weights
 * (quantization {dtype: uint8 | uint16, scale, min}) dequantize as value = q * scale + min;
 * float16 ones widen exactly. Conv filters are stored [kh, kw, in, out]; they are permuted here to
 * esdlab's (out, in, kh, kw) so they reshape like PyTorch's. Pure: no file access.
 */
import { InputError } from '../errors.js';
import { halfToFloat32 } from './halfPrecision.js';
import { printable } from './safetensors.js';

/** One weight of a manifest, placed in its group's concatenated shards. */
export interface TfjsWeight {
  readonly name: string;
  /** The shape as stored (a conv filter's is [kh, kw, in, out]). */
  readonly storedShape: readonly number[];
  /** The shape esdlab analyzes: conv filters permuted to [out, in, kh, kw]; others as stored. */
  readonly shape: readonly number[];
  /** The stored dtype: float32, int32, bool, or the quantized uint8, uint16, float16. */
  readonly dtype: string;
  readonly quantization?: { readonly dtype: string; readonly scale?: number; readonly min?: number };
  /** Index of the group; the byte range within the group's concatenated shards. */
  readonly group: number;
  readonly begin: number;
  readonly sizeBytes: number;
}

/** A parsed manifest: the shard paths of each group (relative to the manifest) and the weights. */
export interface TfjsManifest {
  readonly groups: readonly (readonly string[])[];
  readonly weights: readonly TfjsWeight[];
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Parses the JSON of a model.json (with "weightsManifest") or a weights manifest (the array itself). */
export function parseTfjsManifest(parsed: unknown, what: string): TfjsManifest {
  const manifest = Array.isArray(parsed) ? parsed : (parsed as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(manifest)) throw new InputError(`${what} has no "weightsManifest" array; it is not a TensorFlow.js model.json or weights manifest`);
  const groups: string[][] = [];
  const weights: TfjsWeight[] = [];
  manifest.forEach((group: unknown, g) => {
    const { paths, weights: list } = (group ?? {}) as { paths?: unknown; weights?: unknown };
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && !p.includes('..') && !p.startsWith('/')) || !Array.isArray(list)) {
      throw new InputError(`${what}: weightsManifest[${g}] needs "paths" (shard file names next to the manifest) and "weights" arrays`);
    }
    groups.push(paths as string[]);
    let offset = 0;
    for (const weight of list as unknown[]) {
      const { name, shape, dtype, quantization } = (weight ?? {}) as Record<string, unknown>;
      const where = `${what}, weight '${printable(String(name))}'`;
      if (typeof name !== 'string') throw new InputError(`${what}: a weight in weightsManifest[${g}] has no name`);
      if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new InputError(`${where} has shape ${JSON.stringify(shape)}; expected non-negative integers`);
      if (typeof dtype !== 'string') throw new InputError(`${where} has no dtype`);
      const q = quantization as { dtype?: unknown; scale?: unknown; min?: unknown } | undefined;
      const storedDtype = q ? String(q.dtype) : dtype;
      const size = BYTES[storedDtype];
      if (size === undefined) throw new InputError(`${where} has dtype ${JSON.stringify(storedDtype)}; TensorFlow.js weights are ${Object.keys(BYTES).join(', ')} (string weights are not supported)`);
      if (q && storedDtype !== 'float16' && (typeof q.scale !== 'number' || typeof q.min !== 'number' || !Number.isFinite(q.scale) || !Number.isFinite(q.min))) {
        throw new InputError(`${where} is ${storedDtype}-quantized without finite numbers "scale" and "min"`);
      }
      const count = (shape as number[]).reduce((a, b) => a * b, 1);
      const s = shape as number[];
      weights.push({
        name,
        storedShape: s,
        shape: s.length === 4 ? [s[3]!, s[2]!, s[0]!, s[1]!] : s,
        dtype: storedDtype,
        ...(q ? { quantization: { dtype: storedDtype, ...(typeof q.scale === 'number' ? { scale: q.scale } : {}), ...(typeof q.min === 'number' ? { min: q.min } : {}) } } : {}),
        group: g,
        begin: offset,
        sizeBytes: count * size,
      });
      offset += count * size;
    }
  });
  return { groups, weights };
}

/** True for weights esdlab decodes to floats (float32, and every quantized float). */
export function isTfjsFloat(weight: TfjsWeight): boolean {
  return weight.dtype === 'float32' || weight.quantization !== undefined;
}

/**
 * Decodes a weight's bytes into f32 values in esdlab's layout: dequantized (q * scale + min, or
 * float16 widened) and, for a 4-D conv filter, permuted from [kh, kw, in, out] to [out, in, kh, kw].
 */
export function decodeTfjsWeight(weight: TfjsWeight, bytes: Uint8Array, out: Float32Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = out.length;
  const values = weight.storedShape.length === 4 ? new Float32Array(count) : out;
  const { scale = 1, min = 0 } = weight.quantization ?? {};
  if (weight.dtype === 'float32') for (let k = 0; k < count; k++) values[k] = view.getFloat32(4 * k, true);
  else if (weight.dtype === 'uint8') for (let k = 0; k < count; k++) values[k] = view.getUint8(k) * scale + min;
  else if (weight.dtype === 'uint16') for (let k = 0; k < count; k++) values[k] = view.getUint16(2 * k, true) * scale + min;
  else if (weight.dtype === 'float16') {
    const halves = new Uint16Array(count);
    for (let k = 0; k < count; k++) halves[k] = view.getUint16(2 * k, true);
    halfToFloat32(halves, values);
  } else throw new InputError(`weight '${printable(weight.name)}' has dtype ${weight.dtype}; esdlab analyzes float32 and quantized (uint8, uint16, float16) weights`);
  if (weight.storedShape.length !== 4) return out;
  const [kh, kw, inChannels, outChannels] = weight.storedShape as [number, number, number, number];
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let c = 0; c < inChannels; c++)
        for (let o = 0; o < outChannels; o++) out[((o * inChannels + c) * kh + i) * kw + j] = values[((i * kw + j) * inChannels + c) * outChannels + o]!;
  return out;
}
