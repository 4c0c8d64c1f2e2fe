import assert from 'node:assert/strict';
import { gemm } from '../gemm.js';
import { syrk } from '../syrk.js';
import { allocate, setUninitializedAllocator, type DType } from '../matrix.js';
import type { SuiteContext } from './backendSuite.js';
import { fixtureRng, gaussian, maxAbsDiff, naiveGemm } from './fixtures.js';

/**
 * New GEMM and SYRK outputs are allocated without zero-filling where the platform allows it
 * (Node registers Buffer.allocUnsafeSlow in src/linalg/node.ts), so a backend must overwrite them
 * without reading them. Here the "uninitialized" memory is filled with NaN, the worst garbage.
 */
export function registerUninitializedCases(suite: SuiteContext): void {
  for (const dtype of ['f32', 'f64'] as const) {
    suite.test(`gemm and syrk overwrite an uninitialized (NaN-filled) output (${dtype})`, async () => {
      const backend = await suite.backend();
      const rng = fixtureRng('uninitialized');
      const a = gaussian(rng, 67, 45, dtype);
      const b = gaussian(rng, 45, 31, dtype);
      setUninitializedAllocator((length: number, type: DType) => allocate(length, type).fill(Number.NaN));
      try {
        const c = await gemm(backend, a, b);
        const gram = await syrk(backend, a, { trans: true });
        const tolerance = dtype === 'f32' ? 1e-4 : 1e-12;
        assert.ok(maxAbsDiff(c.data, naiveGemm(a, b, false, false, 1, 0)) < tolerance * 45);
        assert.ok(maxAbsDiff(gram.data, naiveGemm(a, a, true, false, 1, 0)) < tolerance * 67);
      } finally {
        setUninitializedAllocator(allocate);
      }
    });
  }
}
