/**
 * The native backend's factory: OpenBLAS/LAPACKE through a small Node-API addon, built by
 * `npm run build:native` (and, optionally, at install). Highest priority under 'auto' where it loads.
 */
import { availableParallelism } from 'node:os';
import { ConfigError } from '../../../errors.js';
import type { BackendFactory } from '../../registry.js';
import { loadNativeBinding } from './binding.js';
import { createNativeBackend } from './nativeBackend.js';

export { createNativeBackend } from './nativeBackend.js';
export { loadNativeBinding, nativeAddonPath, type NativeBinding } from './binding.js';

/**
 * Loads the native backend. `threads` (default: the machine's cores) is capped at the cores
 * OpenBLAS sees. Throws BackendUnavailableError when the addon is not built or OpenBLAS/LAPACKE
 * are missing, saying how to enable it.
 */
export const nativeBackendFactory: BackendFactory = {
  name: 'native',
  priority: 20,
  async load({ threads } = {}) {
    if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
      throw new ConfigError(`threads must be a positive integer, got ${threads}`, 'threads');
    }
    const binding = loadNativeBinding();
    const cores = Math.max(1, binding.blasInfo().maxThreads);
    return createNativeBackend(binding, Math.min(threads ?? availableParallelism(), cores));
  },
};

/** OpenBLAS's build string and core (e.g. for benchmark headers), or null when the addon does not load. */
export function describeNativeBlas(): string | null {
  try {
    const info = loadNativeBinding().blasInfo();
    return `${info.config} (core ${info.core})`;
  } catch {
    return null;
  }
}
