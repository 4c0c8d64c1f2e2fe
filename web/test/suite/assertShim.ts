/**
 * The part of node:assert/strict that the shared backend cases use (ok, equal, deepEqual,
 * rejects), for running them in a browser page: Vite aliases node:assert/strict to this file in
 * the suite page's build only.
 */
class AssertionError extends Error {
  override name = 'AssertionError';
}

function fail(message: string | undefined, fallback: string): never {
  throw new AssertionError(message ?? fallback);
}

function ok(value: unknown, message?: string): asserts value {
  if (!value) fail(message, `expected a truthy value, got ${String(value)}`);
}

function equal(actual: unknown, expected: unknown, message?: string): void {
  if (!Object.is(actual, expected)) fail(message, `expected ${String(expected)}, got ${String(actual)}`);
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => isDeepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function deepEqual(actual: unknown, expected: unknown, message?: string): void {
  if (!isDeepEqual(actual, expected)) fail(message, `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

type Expectation = ((error: Error) => boolean) | (new (...args: never[]) => Error) | RegExp;

async function rejects(promise: Promise<unknown> | (() => Promise<unknown>), expected?: Expectation, message?: string): Promise<void> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (expected === undefined) return;
    const e = error as Error;
    const matches =
      expected instanceof RegExp ? expected.test(e.message)
      : expected.prototype instanceof Error || expected === Error ? e instanceof (expected as new () => Error)
      : (expected as (error: Error) => boolean)(e);
    if (!matches) fail(message, `the rejection did not match: ${e.name}: ${e.message}`);
    return;
  }
  fail(message, 'expected a rejection');
}

const assert = { ok, equal, deepEqual, rejects, strictEqual: equal, deepStrictEqual: deepEqual, AssertionError };
export default assert;
export { ok, equal, deepEqual, rejects, AssertionError };
