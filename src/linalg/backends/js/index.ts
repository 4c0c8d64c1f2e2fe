/**
 * The `js` backend: the pure-TypeScript reference. It always loads, runs on the calling thread
 * (its async methods complete synchronously inside the promise), and provides only the three
 * BLAS kernels; linalg runs its TypeScript algorithms (src/linalg/algorithms) for Cholesky, eigen
 * and SVD on top of them. Slow (a few GFLOP/s) but simple: the oracle the other backends are
 * compared against in the shared suite.
 */
import type { Backend } from '../../backend.js';
import type { BackendFactory } from '../../registry.js';
import { gemmStrided, scaleStrided } from './gemmKernel.js';
import { gemvKernel } from './gemvKernel.js';
import { syrkKernel } from './syrkKernel.js';

/** Creates a js backend (stateless; cheap). */
export function createJsBackend(): Backend {
  return {
    name: 'js',
    threads: 1,
    async gemm(a, b, c, { transA = false, transB = false, alpha = 1, beta = 0 }) {
      const k = transA ? a.rows : a.cols;
      const cOperand = { data: c.data, offset: 0, stride: c.cols };
      scaleStrided(c.rows, c.cols, beta, cOperand);
      gemmStrided(c.rows, c.cols, k, alpha, { data: a.data, offset: 0, stride: a.cols }, transA, { data: b.data, offset: 0, stride: b.cols }, transB, cOperand);
    },
    async syrk(a, c, { trans = false, alpha = 1, beta = 0 }) {
      syrkKernel(a, c, trans, alpha, beta);
    },
    async gemv(a, x, y, { trans = false, alpha = 1, beta = 0 }) {
      gemvKernel(a, x, y, trans, alpha, beta);
    },
  };
}

/** Factory for the js backend: name 'js', priority 0 (last resort under 'auto'), one thread. */
export const jsBackendFactory: BackendFactory = {
  name: 'js',
  priority: 0,
  async load() {
    return createJsBackend();
  },
};
