/**
 * The shared linalg suite on the single-thread build (esdlab-kernels-single.wasm over a plain,
 * non-shared memory, no workers): what a browser page that is not cross-origin isolated runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeBackendSuite } from '../../testing/backendSuite.js';
import { createWasmBackendFactory, wasmVariantFor } from './index.js';
import { nodeWasmHost } from './nodeHost.js';

const singleHost = { ...nodeWasmHost, canShareMemory: () => false };

test('a host that may not share memory gets the single-thread build, with no workers', async () => {
  assert.equal(wasmVariantFor(singleHost), 'single');
  assert.equal(wasmVariantFor(nodeWasmHost), 'shared');
  const backend = await createWasmBackendFactory(singleHost).load({ threads: 4 });
  assert.equal((backend as unknown as { threads: number }).threads, 1);
  // a non-shared memory detaches its views when it grows: no reservations, the calls copy
  assert.equal(await backend.reserve!(1024), null);
  await backend.dispose?.();
});

describeBackendSuite('wasm single-thread', () => createWasmBackendFactory(singleHost).load({}));
