/**
 * The one test suite every backend runs (as tfjs's describeWithFlags): each backend's test file
 * calls describeBackendSuite with a loader, plus a skip map (test name -> reason) that keeps any
 * gap visible. The cases live in blasCases.ts, factorCases.ts, spectralCases.ts and oracleCases.ts;
 * they go through the public ops (so shapes, dtypes and edge cases are exercised the way callers
 * see them) and compare against naive loops, closed forms, the pure-TS js backend and numpy.
 */
import { after, describe, test, type TestContext } from 'node:test';
import type { Backend } from '../backend.js';
import { createJsBackend } from '../backends/js/index.js';
import { registerBlasCases } from './blasCases.js';
import { registerFactorCases } from './factorCases.js';
import { registerOracleCases } from './oracleCases.js';
import { registerSpectralCases } from './spectralCases.js';
import { registerUninitializedCases } from './uninitializedCases.js';

/** What a case file needs: the backend under test, the js reference, and a skip-aware `test`. */
export interface SuiteContext {
  readonly name: string;
  backend(): Promise<Backend>;
  /** The pure-TS js backend, the reference other backends are compared against. */
  reference(): Backend;
  test(name: string, fn: (t: TestContext) => Promise<void> | void): void;
}

/**
 * Registers the shared linalg tests for one backend under `describe('backend <name>')`. `load` is
 * called once, lazily; the backend is disposed after the suite. `skip` maps a test name to the
 * reason it is skipped for this backend.
 */
export function describeBackendSuite(name: string, load: () => Promise<Backend>, skip: Record<string, string> = {}): void {
  let loaded: Promise<Backend> | undefined;
  const reference = createJsBackend();
  const used = new Set<string>();
  const context: SuiteContext = {
    name,
    backend: () => (loaded ??= load()),
    reference: () => reference,
    test(testName, fn) {
      used.add(testName);
      const reason = skip[testName];
      if (reason !== undefined) test(testName, { skip: reason }, () => {});
      else test(testName, fn);
    },
  };
  describe(`backend ${name}`, () => {
    after(async () => {
      if (loaded) await (await loaded).dispose?.();
    });
    registerBlasCases(context);
    registerFactorCases(context);
    registerSpectralCases(context);
    registerOracleCases(context);
    registerUninitializedCases(context);
    test('the skip list names only tests that exist', () => {
      const unknown = Object.keys(skip).filter((key) => !used.has(key));
      if (unknown.length > 0) throw new Error(`skip list of backend ${name} names unknown tests: ${unknown.join('; ')}`);
    });
  });
}
