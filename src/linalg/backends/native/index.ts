import { BackendUnavailableError } from '../../../errors.js';
import type { BackendFactory } from '../../registry.js';

/** Placeholder until the native backend lands. */
export const nativeBackendFactory: BackendFactory = {
  name: 'native',
  priority: 0,
  async load() {
    throw new BackendUnavailableError('the native backend is not built yet');
  },
};
