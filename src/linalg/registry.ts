import { BackendUnavailableError, ConfigError } from '../errors.js';
import type { Backend } from './backend.js';

/** Options every backend factory understands. */
export interface BackendLoadOptions {
  /** Threads to compute on; default: the machine's cores (the backend may cap it). */
  readonly threads?: number;
}

/** How to make a backend. `load` throws BackendUnavailableError saying what failed and how to enable it. */
export interface BackendFactory {
  readonly name: string;
  /** Higher is tried first by 'auto'. */
  readonly priority: number;
  load(options: BackendLoadOptions): Promise<Backend>;
}

const factories = new Map<string, BackendFactory>();

/** Registers (or replaces) a backend factory under its name. */
export function registerBackend(factory: BackendFactory): void {
  factories.set(factory.name, factory);
}

/** Names of the registered backends, highest priority first. */
export function registeredBackends(): string[] {
  return [...factories.values()].sort((a, b) => b.priority - a.priority).map((f) => f.name);
}

/** Result of loadBackend: the backend, plus why higher-priority ones were skipped under 'auto'. */
export interface LoadedBackend {
  readonly backend: Backend;
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/**
 * Loads a backend by name, or with 'auto' the highest-priority one that loads. A named backend that
 * fails to load throws; 'auto' falls back and reports what it skipped and why.
 */
export async function loadBackend(name: string = 'auto', options: BackendLoadOptions = {}): Promise<LoadedBackend> {
  if (name !== 'auto') {
    const factory = factories.get(name);
    if (!factory) {
      throw new ConfigError(`unknown backend '${name}'; registered backends: ${['auto', ...registeredBackends()].join(', ')}`, 'backend');
    }
    return { backend: await factory.load(options), skipped: [] };
  }
  const skipped: { name: string; reason: string }[] = [];
  for (const candidate of registeredBackends()) {
    try {
      return { backend: await factories.get(candidate)!.load(options), skipped };
    } catch (error) {
      skipped.push({ name: candidate, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new BackendUnavailableError(
    `no backend loaded: ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ') || 'none is registered'}`,
  );
}
