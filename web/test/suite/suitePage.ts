/**
 * The shared backend suite (src/linalg/testing: the BLAS, factorization, spectral and
 * uninitialized-output cases; the numpy oracle cases need Python and stay in Node) on the browser
 * build of the wasm backend (src/browser.ts: fetch + Web Workers), inside the page. Results land
 * in `window.suiteResults` once `window.suiteDone` is true.
 */
import type { TestContext } from 'node:test';
import { createJsBackend, wasmBackendFactory, type Backend } from '../../../src/browser.js';
import type { SuiteContext } from '../../../src/linalg/testing/backendSuite.js';
import { registerBlasCases } from '../../../src/linalg/testing/blasCases.js';
import { registerFactorCases } from '../../../src/linalg/testing/factorCases.js';
import { registerSpectralCases } from '../../../src/linalg/testing/spectralCases.js';
import { registerUninitializedCases } from '../../../src/linalg/testing/uninitializedCases.js';

const cases: { name: string; fn: (t: TestContext) => Promise<void> | void }[] = [];
let loaded: Promise<Backend> | undefined;
const reference = createJsBackend();
const context: SuiteContext = {
  name: 'wasm (browser)',
  backend: () => (loaded ??= wasmBackendFactory.load({})),
  reference: () => reference,
  test: (name, fn) => cases.push({ name, fn }),
};
registerBlasCases(context);
registerFactorCases(context);
registerSpectralCases(context);
registerUninitializedCases(context);

const results: { name: string; ok: boolean; error?: string }[] = [];
const page = window as unknown as { suiteResults: typeof results; suiteDone: boolean; suiteThreads: number };
page.suiteResults = results;
for (const { name, fn } of cases) {
  try {
    await fn({} as TestContext);
    results.push({ name, ok: true });
  } catch (error) {
    results.push({ name, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
}
page.suiteThreads = ((await context.backend()) as unknown as { threads: number }).threads;
page.suiteDone = true;
