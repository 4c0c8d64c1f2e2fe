/** Shared backend cases against numpy (skipped without numpy on a laptop, required in CI). */
import assert from 'node:assert/strict';
import { findNumpyPython, requireTool, runPython } from '../../testing/oracle.js';
import { symmetricEigenvalues } from '../eigen.js';
import { singularValues } from '../svd.js';
import type { SuiteContext } from './backendSuite.js';
import { fixtureRng, gaussian, maxAbs, maxAbsDiff, randomSymmetric } from './fixtures.js';

export function registerOracleCases(suite: SuiteContext): void {
  suite.test('symmetricEigenvalues matches numpy.linalg.eigvalsh on random matrices within 1e-12 of the largest', async (t) => {
    if (!requireTool(t, findNumpyPython() !== null, 'python3 with numpy')) return;
    const backend = await suite.backend();
    const matrices = [5, 64, 131].map((n) => randomSymmetric(fixtureRng('numpy-eig', n), n));
    const expected = runPython<number[][]>(
      'import json, sys, numpy as np\nms = json.load(sys.stdin)\nprint(json.dumps([np.linalg.eigvalsh(np.array(m["data"]).reshape(m["n"], m["n"])).tolist() for m in ms]))',
      matrices.map((m) => ({ n: m.rows, data: Array.from(m.data) })),
    );
    for (const [i, a] of matrices.entries()) {
      const values = await symmetricEigenvalues(backend, a);
      assert.ok(maxAbsDiff(values, expected[i]!) <= 1e-12 * maxAbs(expected[i]!), `n=${a.rows}`);
    }
  });

  suite.test('singularValues matches numpy.linalg.svd on random tall and wide matrices within 1e-12 of the largest', async (t) => {
    if (!requireTool(t, findNumpyPython() !== null, 'python3 with numpy')) return;
    const backend = await suite.backend();
    const matrices = [[7, 3], [120, 80], [60, 110]].map(([m, n]) => gaussian(fixtureRng('numpy-svd', m!), m!, n!));
    const expected = runPython<number[][]>(
      'import json, sys, numpy as np\nms = json.load(sys.stdin)\nprint(json.dumps([np.linalg.svd(np.array(m["data"]).reshape(m["rows"], m["cols"]), compute_uv=False).tolist() for m in ms]))',
      matrices.map((m) => ({ rows: m.rows, cols: m.cols, data: Array.from(m.data) })),
    );
    for (const [i, a] of matrices.entries()) {
      const values = await singularValues(backend, a);
      assert.ok(maxAbsDiff(values, expected[i]!) <= 1e-12 * expected[i]![0]!, `${a.rows}x${a.cols}`);
    }
  });
}
