/**
 * The js backend's GEMM: C += alpha * op(A) * op(B) on strided row-major operands, in plain
 * TypeScript. Goto-style blocking: a KC x NC block of op(B) and an MC x KC block of op(A) are
 * packed into contiguous Float64Array panels (NR columns, resp. MR rows, interleaved by k, padded
 * with zeros to whole panels), then an MR x NR register tile runs down the shared k dimension.
 * Packing also handles the transposes and f32 operands, so one micro-kernel serves every case.
 */
import type { FloatArray } from '../../matrix.js';

const MR = 4;
const NR = 4;
const MC = 64;
const KC = 256;
const NC = 1024;

let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NC);

/** A strided operand: element (i, j) is data[offset + i * stride + j]. */
export interface StridedOperand {
  readonly data: FloatArray;
  readonly offset: number;
  readonly stride: number;
}

/**
 * C[i][j] += alpha * sum_p op(A)[i][p] * op(B)[p][j] for i < m, j < n, p < k, where op(A) is
 * A (m x k) or, with transA, the transpose of a stored k x m A; likewise for B (k x n). C must not
 * alias A or B.
 */
export function gemmStrided(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: StridedOperand,
  transA: boolean,
  b: StridedOperand,
  transB: boolean,
  c: StridedOperand,
): void {
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return;
  if (packB.length < KC * NC) packB = new Float64Array(KC * NC);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanelsB(b, transB, pc, jc, kc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanelsA(a, transA, ic, pc, mc, kc, alpha);
        macroKernel(mc, nc, kc, c, ic, jc);
      }
    }
  }
}

/** Packs op(B)[pc:pc+kc, jc:jc+nc] into panels of NR columns: packB[panel*kc*NR + p*NR + j]. */
function packPanelsB(b: StridedOperand, transB: boolean, pc: number, jc: number, kc: number, nc: number): void {
  const { data, offset, stride } = b;
  const out = packB;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const width = Math.min(NR, nc - j0);
    const base = (j0 / NR) * kc * NR;
    for (let p = 0; p < kc; p++) {
      const o = base + p * NR;
      for (let j = 0; j < NR; j++) {
        if (j < width) {
          out[o + j] = transB ? data[offset + (jc + j0 + j) * stride + pc + p]! : data[offset + (pc + p) * stride + jc + j0 + j]!;
        } else out[o + j] = 0;
      }
    }
  }
}

/** Packs alpha * op(A)[ic:ic+mc, pc:pc+kc] into panels of MR rows: packA[panel*kc*MR + p*MR + i]. */
function packPanelsA(a: StridedOperand, transA: boolean, ic: number, pc: number, mc: number, kc: number, alpha: number): void {
  const { data, offset, stride } = a;
  const out = packA;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const height = Math.min(MR, mc - i0);
    const base = (i0 / MR) * kc * MR;
    for (let i = 0; i < MR; i++) {
      if (i < height) {
        const row = ic + i0 + i;
        if (transA) {
          for (let p = 0; p < kc; p++) out[base + p * MR + i] = alpha * data[offset + (pc + p) * stride + row]!;
        } else {
          const start = offset + row * stride + pc;
          for (let p = 0; p < kc; p++) out[base + p * MR + i] = alpha * data[start + p]!;
        }
      } else {
        for (let p = 0; p < kc; p++) out[base + p * MR + i] = 0;
      }
    }
  }
}

/** Runs the MR x NR micro-kernel over every tile of the packed blocks and adds into C. */
function macroKernel(mc: number, nc: number, kc: number, c: StridedOperand, ic: number, jc: number): void {
  const pa = packA;
  const pb = packB;
  const cd = c.data;
  const ldc = c.stride;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const bBase = (j0 / NR) * kc * NR;
    const width = Math.min(NR, nc - j0);
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const aBase = (i0 / MR) * kc * MR;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let ap = aBase;
      let bp = bBase;
      for (let p = 0; p < kc; p++) {
        const b0 = pb[bp]!, b1 = pb[bp + 1]!, b2 = pb[bp + 2]!, b3 = pb[bp + 3]!;
        let x = pa[ap]!;
        c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
        x = pa[ap + 1]!;
        c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
        x = pa[ap + 2]!;
        c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
        x = pa[ap + 3]!;
        c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
        ap += MR;
        bp += NR;
      }
      const height = Math.min(MR, mc - i0);
      const base = c.offset + (ic + i0) * ldc + jc + j0;
      if (height === MR && width === NR) {
        let o = base;
        cd[o] += c00; cd[o + 1] += c01; cd[o + 2] += c02; cd[o + 3] += c03;
        o += ldc;
        cd[o] += c10; cd[o + 1] += c11; cd[o + 2] += c12; cd[o + 3] += c13;
        o += ldc;
        cd[o] += c20; cd[o + 1] += c21; cd[o + 2] += c22; cd[o + 3] += c23;
        o += ldc;
        cd[o] += c30; cd[o + 1] += c31; cd[o + 2] += c32; cd[o + 3] += c33;
      } else {
        const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let i = 0; i < height; i++) for (let j = 0; j < width; j++) cd[base + i * ldc + j] += tile[i * NR + j]!;
      }
    }
  }
}

/** C = beta * C on an m x n strided block; beta = 0 overwrites (so NaN in C does not survive, as in BLAS). */
export function scaleStrided(m: number, n: number, beta: number, c: StridedOperand): void {
  if (beta === 1) return;
  const { data, offset, stride } = c;
  for (let i = 0; i < m; i++) {
    const start = offset + i * stride;
    if (beta === 0) data.fill(0, start, start + n);
    else for (let j = start; j < start + n; j++) data[j] *= beta;
  }
}
