/**
 * The shared linalg suite (src/linalg/testing/backendSuite.ts) against the wasm backend, with two
 * worker threads so that multi-task batches run even on a one-core machine. Pool-specific tests
 * (concurrent calls, disposal) live in wasmBackend.test.ts.
 */
import { describeBackendSuite } from '../../testing/backendSuite.js';
import { wasmBackendFactory } from './nodeHost.js';

describeBackendSuite('wasm', () => wasmBackendFactory.load({ threads: 2 }));
