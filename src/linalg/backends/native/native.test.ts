/**
 * The shared linalg suite (src/linalg/testing/backendSuite.ts) against the native backend. Where
 * the addon is not built the suite is replaced by one test that skips on a laptop and fails in CI
 * (requireTool). Native-specific tests (queueing, the event loop, error messages) live in
 * nativeBackend.test.ts.
 */
import { test } from 'node:test';
import { describeBackendSuite } from '../../testing/backendSuite.js';
import { requireTool } from '../../../testing/oracle.js';
import { nativeBackendFactory } from './index.js';

const loadNative = () => nativeBackendFactory.load({ threads: 2 });
const loadError = await loadNative().then(
  async (backend) => {
    await backend.dispose?.();
    return null;
  },
  (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
);

if (loadError === null) {
  describeBackendSuite('native', loadNative);
} else {
  test('the native backend runs the shared suite (needs the built addon)', (t) => {
    requireTool(t, false, `the native addon (${loadError.message})`);
  });
}
