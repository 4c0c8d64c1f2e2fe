import { test } from 'node:test';
import assert from 'node:assert/strict';

test('the Node entry exports the public API', async () => {
  const api = await import('./index.js');
  for (const name of ['loadBackend', 'gemm', 'symmetricEigenvalues', 'fitPowerLaw', 'diagnoseSpectrum', 'parseExperimentConfig', 'runExperiment', 'readNpyFile', 'analyzeCheckpoint']) {
    assert.equal(typeof (api as Record<string, unknown>)[name], 'function', name);
  }
  const { backend } = await api.loadBackend('js');
  assert.equal(backend.name, 'js');
});
