import { BackendUnavailableError } from '../../../errors.js';
import type { BackendFactory } from '../../registry.js';

/** Placeholder until the wasm backend lands. */
export const wasmBackendFactory: BackendFactory = {
  name: 'wasm',
  priority: 0,
  async load() {
    throw new BackendUnavailableError('the wasm backend is not built yet');
  },
};
