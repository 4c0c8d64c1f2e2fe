/**
 * The native backend's factory: OpenBLAS/LAPACKE through a small Node-API addon, built by
 * `npm run build:native` (and, optionally, at install). Highest priority under 'auto' where it loads.
 */
import { availableParallelism } from 'node:os';
import { ConfigError } from '../../../errors.js';
import type { BackendFactory } from '../../registry.js';
import { blasCoreChoice, loadNativeBinding } from './binding.js';
import { describeBlasCore, readCpuFeatures, slowCoreWarning, type BlasCoreChoice } from './blasCore.js';
import { createNativeBackend } from './nativeBackend.js';

export { createNativeBackend } from './nativeBackend.js';
export { blasCoreChoice, loadNativeBinding, nativeAddonPath, type NativeBinding } from './binding.js';
export * from './blasCore.js';

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
    const status = nativeBlasStatus()!;
    return createNativeBackend(binding, Math.min(threads ?? availableParallelism(), cores), {
      details: `OpenBLAS ${status.config.split(' ')[1] ?? ''}, core ${status.coreDescription}`,
      ...(status.warning === null ? {} : { warning: status.warning }),
    });
  },
};

/** The native BLAS as it runs: build string, kernel, where the kernel came from, and a warning when it is a slow fallback. */
export interface NativeBlasStatus {
  /** openblas_get_config(), e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64". */
  readonly config: string;
  /** openblas_get_corename(), e.g. "Haswell". */
  readonly core: string;
  /** The core with its origin, e.g. "Haswell (OPENBLAS_CORETYPE=Haswell set in the environment; this CPU supports Cooperlake)". */
  readonly coreDescription: string;
  /** The threads OpenBLAS sees. */
  readonly maxThreads: number;
  readonly choice: BlasCoreChoice;
  /** One line when the core is a generic fallback on a CPU with AVX2/AVX-512, else null. */
  readonly warning: string | null;
}

/** The native BLAS's status (loading the addon if needed), or null when the addon does not load. */
export function nativeBlasStatus(): NativeBlasStatus | null {
  let info: ReturnType<ReturnType<typeof loadNativeBinding>['blasInfo']>;
  try {
    info = loadNativeBinding().blasInfo();
  } catch {
    return null;
  }
  const choice = blasCoreChoice()!;
  const features = readCpuFeatures();
  return {
    ...info,
    coreDescription: describeBlasCore(info.core, choice),
    choice,
    warning: slowCoreWarning(info.core, choice, features),
  };
}

/** OpenBLAS's build string and core (e.g. for benchmark headers), or null when the addon does not load. */
export function describeNativeBlas(): string | null {
  const status = nativeBlasStatus();
  return status === null ? null : `${status.config} (core ${status.coreDescription})`;
}
