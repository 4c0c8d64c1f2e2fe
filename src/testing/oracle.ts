/**
 * Test helpers for external oracles (numpy/scipy, the native backend). On a developer's laptop a
 * missing oracle skips the test; in CI (CI=true) it fails it, so nothing is silently skipped there.
 */
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

let cachedPython: string | null | undefined;

/** A python3 that imports numpy and scipy, or null. Tries `python3` on PATH, then Debian's /usr/bin/python3. */
export function findNumpyPython(): string | null {
  if (cachedPython !== undefined) return cachedPython;
  cachedPython = null;
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(candidate, ['-c', 'import numpy, scipy'], { encoding: 'utf8' });
    if (r.status === 0) {
      cachedPython = candidate;
      break;
    }
  }
  return cachedPython;
}

/** True when running in CI, where missing tools are failures rather than skips. */
export function isCi(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/**
 * Skips the test (laptop) or fails it (CI) when `available` is false. Returns true when the test
 * should go on.
 */
export function requireTool(t: TestContext, available: boolean, what: string): boolean {
  if (available) return true;
  if (isCi()) throw new Error(`${what} is required in CI but missing; .ci/run must install it`);
  t.skip(`${what} is not available here`);
  return false;
}

/**
 * Runs a python snippet with numpy available; `input` is written to stdin as JSON, and the script
 * must print one JSON document. Returns the parsed output.
 */
export function runPython<T = unknown>(script: string, input: unknown = null): T {
  const python = findNumpyPython();
  if (!python) throw new Error('no python3 with numpy and scipy');
  const r = spawnSync(python, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
