/** Shared backend cases against numpy (skipped without numpy on a laptop, required in CI). */
import assert from 'node:assert/strict';
import { findNumpyPython, requireTool, runPython } from '../../testing/oracle.js';
import { choleskyFactor, solvePositiveDefinite } from '../cholesky.js';
import { symmetricEigenvalues } from '../eigen.js';
import { singularValues } from '../svd.js';
import type { SuiteContext } from './backendSuite.js';
import { fixtureRng, gaussian, maxAbs, maxAbsDiff, randomPositiveDefinite, randomSymmetric } from './fixtures.js';

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

  suite.test('choleskyFactor matches numpy.linalg.cholesky and solvePositiveDefinite scipy.linalg.cho_solve within 1e-13 relative', async (t) => {
    if (!requireTool(t, findNumpyPython() !== null, 'python3 with numpy')) return;
    const backend = await suite.backend();
    const systems = [1, 63, 65, 130].map((n, index) => ({ a: randomPositiveDefinite(n, 'f64', 60 + index), b: gaussian(fixtureRng('numpy-chol', n), n, 3) }));
    const expected = runPython<{ l: number[][]; x: number[][] }[]>(
      'import json, sys, numpy as np, scipy.linalg as sl\n' +
        'out = []\n' +
        'for s in json.load(sys.stdin):\n' +
        '    a = np.array(s["a"]).reshape(s["n"], s["n"]); b = np.array(s["b"]).reshape(s["n"], 3)\n' +
        '    out.append({"l": np.linalg.cholesky(a).tolist(), "x": sl.cho_solve(sl.cho_factor(a, lower=True), b).tolist()})\n' +
        'print(json.dumps(out))',
      systems.map(({ a, b }) => ({ n: a.rows, a: Array.from(a.data), b: Array.from(b.data) })),
    );
    for (const [i, { a, b }] of systems.entries()) {
      const l = (await choleskyFactor(backend, a)).data;
      const x = (await solvePositiveDefinite(backend, a, b)).data;
      const expectedL = expected[i]!.l.flat();
      const expectedX = expected[i]!.x.flat();
      // LAPACK's blocking and summation order differ from ours: rounding only (cond(A) is at most about 100)
      assert.ok(maxAbsDiff(l, expectedL) <= 1e-13 * maxAbs(expectedL), `n=${a.rows}: L differs by ${maxAbsDiff(l, expectedL)}`);
      assert.ok(maxAbsDiff(x, expectedX) <= 1e-13 * maxAbs(expectedX), `n=${a.rows}: X differs by ${maxAbsDiff(x, expectedX)}`);
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
