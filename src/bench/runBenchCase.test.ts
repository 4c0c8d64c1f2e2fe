import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createJsBackend } from '../linalg/backends/js/index.js';
import { benchCases } from './benchCase.js';
import { runBenchCase } from './runBenchCase.js';

test('runBenchCase times every op on a backend and reports best, median, repeats and GFLOP/s', async () => {
  const backend = createJsBackend();
  const cases = benchCases({ m: 12, k: 5, n: 8 });
  assert.equal(new Set(cases.map((c) => c.op)).size, 8);
  for (const c of cases) {
    const record = await runBenchCase(backend, c, 3);
    assert.equal(record.backend, 'js');
    assert.equal(record.repeats, 3);
    assert.ok(record.ms >= 0 && record.medianMs >= record.ms, `${c.op}: best ${record.ms} <= median ${record.medianMs}`);
    assert.equal(record.gflops === null, !['gemm', 'gemm_into', 'syrk', 'cholesky_solve'].includes(c.op));
    assert.deepEqual({ ...c }, Object.fromEntries(Object.keys(c).map((key) => [key, record[key as keyof typeof record]])));
  }
});
