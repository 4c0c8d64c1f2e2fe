import { BackendUnavailableError } from '../../../errors.js';
import type { BackendFactory } from '../../registry.js';

/** Placeholder until the js backend lands. */
export const jsBackendFactory: BackendFactory = {
  name: 'js',
  priority: 0,
  async load() {
    throw new BackendUnavailableError('the js backend is not built yet');
  },
};
