/**
 * Which OpenBLAS kernel ("core") the native backend runs, chosen from the CPU's features before
 * the library loads. OpenBLAS's DYNAMIC_ARCH picks a core from the CPU's family and model; a CPU
 * newer than the OpenBLAS build is unknown to it and gets its slowest SSE kernels (6x slower
 * GEMM). OpenBLAS reads `OPENBLAS_CORETYPE` with getenv when it initialises (when the addon is
 * loaded), so setting it in process.env before the first require of the addon takes effect.
 * A value set by the user (or the workplace) is respected; doctor and bench say so.
 */
import { readFileSync } from 'node:fs';

/** The CPU features that decide the kernel, read from /proc/cpuinfo's flags (Linux, x86-64). */
export interface CpuFeatures {
  /** lscpu's model name, or null where unknown. */
  readonly model: string | null;
  /** The flags esdlab looks at that the CPU has (avx2, fma, avx512f, avx512bw, ...). */
  readonly flags: readonly string[];
}

/** The flags that decide the kernel, in the order doctor lists them. */
export const relevantCpuFlags = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512dq', 'avx512_bf16', 'amx_tile'] as const;

/** Where the core in use came from. */
export type BlasCoreSource = 'environment' | 'esdlab' | 'library';

/** The decision made before the addon loads. */
export interface BlasCoreChoice {
  /** The value OPENBLAS_CORETYPE holds when OpenBLAS loads, or null (OpenBLAS detects itself). */
  readonly requested: string | null;
  /** environment: set before esdlab started; esdlab: chosen here from the features; library: unset. */
  readonly source: BlasCoreSource;
  /** The best core for this CPU from its features (null: not x86-64, or features unknown). */
  readonly best: string | null;
}

/**
 * OpenBLAS's x86-64 cores grouped by the widest vector kernels they use. A core in the first
 * group on a CPU with AVX2 is what "generic fallback" means here.
 */
const coreTiers: Readonly<Record<string, number>> = {
  ...Object.fromEntries(['Unknown', 'Katmai', 'Coppermine', 'Northwood', 'Prescott', 'Banias', 'Atom', 'Core2', 'Penryn',
    'Dunnington', 'Nehalem', 'Athlon', 'Opteron', 'Opteron_SSE3', 'Barcelona', 'Nano', 'Bobcat'].map((c) => [c.toLowerCase(), 0])),
  ...Object.fromEntries(['Sandybridge', 'Bulldozer', 'Piledriver', 'Steamroller'].map((c) => [c.toLowerCase(), 1])),
  ...Object.fromEntries(['Haswell', 'Zen', 'Excavator'].map((c) => [c.toLowerCase(), 2])),
  ...Object.fromEntries(['SkylakeX', 'Cooperlake', 'SapphireRapids'].map((c) => [c.toLowerCase(), 3])),
};

/** 0 SSE-only, 1 AVX, 2 AVX2+FMA, 3 AVX-512; null for a name esdlab does not know (e.g. not x86). */
export function coreTier(core: string): number | null {
  return coreTiers[core.toLowerCase()] ?? null;
}

/** The tier of kernels the CPU can run (same scale as coreTier). */
export function cpuTier(features: CpuFeatures): number {
  const has = (flag: string) => features.flags.includes(flag);
  if (['avx512f', 'avx512bw', 'avx512vl', 'avx512dq'].every(has)) return 3;
  if (has('avx2') && has('fma')) return 2;
  if (has('avx')) return 1;
  return 0;
}

/**
 * The best OpenBLAS core for these features, among those every OpenBLAS since 0.3.11 has:
 * Cooperlake (AVX-512 with BF16), SkylakeX (AVX-512 F/BW/VL/DQ), Haswell (AVX2 + FMA; the Zen
 * core runs the same kernels); null below that (OpenBLAS's own choice is then as good as any).
 */
export function bestCoreFor(features: CpuFeatures): string | null {
  const tier = cpuTier(features);
  if (tier === 3) return features.flags.includes('avx512_bf16') ? 'Cooperlake' : 'SkylakeX';
  if (tier === 2) return 'Haswell';
  return null;
}

/** Parses /proc/cpuinfo's text: the first processor's model name and the relevant flags. */
export function parseCpuInfo(text: string): CpuFeatures {
  const model = /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? null;
  const flagLine = /^flags\s*:\s*(.*)$/m.exec(text)?.[1] ?? '';
  const present = new Set(flagLine.trim().split(/\s+/));
  return { model, flags: relevantCpuFlags.filter((f) => present.has(f)) };
}

/** This machine's CPU features, or null where they cannot be read (not Linux, not x86-64). */
export function readCpuFeatures(): CpuFeatures | null {
  if (process.arch !== 'x64') return null;
  try {
    return parseCpuInfo(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return null;
  }
}

/** Marks, for child processes and later loads, that esdlab (not the user) set OPENBLAS_CORETYPE. */
const chosenMarker = 'ESDLAB_OPENBLAS_CORETYPE_CHOSEN';

/**
 * Decides OPENBLAS_CORETYPE for `env` and sets it there when it is unset and the CPU's features
 * call for a core. Idempotent: a value esdlab set earlier (in this process or a parent, marked in
 * the environment) still counts as esdlab's choice.
 */
export function chooseBlasCore(env: NodeJS.ProcessEnv = process.env, features: CpuFeatures | null = readCpuFeatures()): BlasCoreChoice {
  const best = features === null ? null : bestCoreFor(features);
  const current = env.OPENBLAS_CORETYPE?.trim() || null;
  if (current !== null) {
    return { requested: current, source: env[chosenMarker] === current ? 'esdlab' : 'environment', best };
  }
  if (best === null) return { requested: null, source: 'library', best };
  env.OPENBLAS_CORETYPE = best;
  env[chosenMarker] = best;
  return { requested: best, source: 'esdlab', best };
}

/**
 * One line when the core in use is below what the CPU supports and the gap matters (a generic
 * SSE core on a CPU with AVX2 or AVX-512), else null. Says how to fix it.
 */
export function slowCoreWarning(core: string, choice: BlasCoreChoice, features: CpuFeatures | null): string | null {
  const tier = coreTier(core);
  if (features === null || tier === null || tier > 0 || cpuTier(features) < 2) return null;
  const fix = choice.source === 'environment'
    ? `OPENBLAS_CORETYPE=${choice.requested} is set in the environment; unset it or set OPENBLAS_CORETYPE=${choice.best}`
    : `set OPENBLAS_CORETYPE=${choice.best} or install a newer OpenBLAS`;
  return `warning: OpenBLAS runs its generic ${core} kernel on a CPU with ${cpuTier(features) === 3 ? 'AVX-512' : 'AVX2'} (GEMM several times slower); ${fix}`;
}

/** How doctor, bench and the run log name the core: "Haswell (OPENBLAS_CORETYPE set in the environment; this CPU supports Cooperlake)". */
export function describeBlasCore(core: string, choice: BlasCoreChoice): string {
  const origin = choice.source === 'environment'
    ? `OPENBLAS_CORETYPE=${choice.requested} set in the environment`
    : choice.source === 'esdlab' ? 'chosen by esdlab from the CPU features' : "OpenBLAS's own detection";
  const mismatch = choice.requested !== null && choice.requested.toLowerCase() !== core.toLowerCase()
    ? `; OpenBLAS did not take ${choice.requested}` : '';
  const better = choice.best !== null && (coreTier(core) ?? 99) < (coreTier(choice.best) ?? 0)
    ? `; this CPU supports ${choice.best}` : '';
  return `${core} (${origin}${mismatch}${better})`;
}
