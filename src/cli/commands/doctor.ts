/**
 * `esdlab doctor`: what esdlab will compute with on this machine, and how to get what is missing.
 * Prints the CPU and its vector features, each backend (loads or why not), the native BLAS
 * (library, kernel and where the kernel came from), threads, and the optional parts.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { loadBackend, registeredBackends } from '../../linalg/node.js';
import { nativeAddonPath, nativeBlasStatus, readCpuFeatures, bestCoreFor } from '../../linalg/backends/native/index.js';

/** One section of the report: a title and its lines (key, value). */
interface DoctorSection {
  readonly title: string;
  readonly lines: readonly (readonly [string, string])[];
}

/** Registers `esdlab doctor [--json]`. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('show the backends, the BLAS library and kernel, threads, CPU features and optional parts on this machine')
    .option('--json', 'print the report as one JSON object')
    .action(async (flags: { readonly json?: boolean }) => {
      const sections = await doctorReport();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(Object.fromEntries(sections.map((s) => [s.title, Object.fromEntries(s.lines)])))}\n`);
        return;
      }
      for (const section of sections) {
        process.stdout.write(`${section.title}\n`);
        const width = Math.max(...section.lines.map(([key]) => key.length));
        for (const [key, value] of section.lines) process.stdout.write(`  ${key.padEnd(width)}  ${value}\n`);
      }
    });
}

/** Gathers the report; loads each backend once (and disposes it). */
async function doctorReport(): Promise<DoctorSection[]> {
  const features = readCpuFeatures();
  const cpu: [string, string][] = [
    ['arch', `${process.platform} ${process.arch}`],
    ['model', features?.model ?? 'unknown'],
    ['cores', String(availableParallelism())],
    ['features', features === null ? 'unknown (not Linux x86-64)' : features.flags.join(' ') || 'none of interest'],
  ];

  const backends: [string, string][] = [];
  for (const name of registeredBackends()) {
    try {
      const { backend } = await loadBackend(name);
      backends.push([name, `loads, ${backend.threads} thread(s)${backend.details ? `; ${backend.details}` : ''}`]);
      await backend.dispose?.();
    } catch (error) {
      backends.push([name, `unavailable: ${error instanceof Error ? error.message : String(error)}`]);
    }
  }
  try {
    const { backend, skipped } = await loadBackend('auto');
    backends.push(['auto picks', `${backend.name}${skipped.length > 0 ? ` (skipped ${skipped.map((s) => s.name).join(', ')})` : ''}`]);
    await backend.dispose?.();
  } catch (error) {
    backends.push(['auto picks', `nothing: ${error instanceof Error ? error.message : String(error)}`]);
  }
  if (process.env.ESDLAB_BACKEND) backends.push(['ESDLAB_BACKEND', process.env.ESDLAB_BACKEND]);

  const status = nativeBlasStatus();
  const blas: [string, string][] = status === null
    ? [['library', 'not loaded (see backends: native)']]
    : [
        ['library', status.config],
        ['kernel', status.coreDescription],
        ['best for this CPU', (features === null ? null : bestCoreFor(features)) ?? "OpenBLAS's own detection"],
        ['threads', `${status.maxThreads} (OpenBLAS's maximum here)${process.env.OPENBLAS_NUM_THREADS ? `; OPENBLAS_NUM_THREADS=${process.env.OPENBLAS_NUM_THREADS}` : ''}`],
        ...(process.env.OPENBLAS_L2_SIZE ? [['OPENBLAS_L2_SIZE', `${process.env.OPENBLAS_L2_SIZE} (set in the environment)`] as [string, string]] : []),
        ...(status.warning === null ? [] : [['warning', status.warning] as [string, string]]),
      ];

  const optional: [string, string][] = [
    ['native addon', existsSync(nativeAddonPath)
      ? `built (${nativeAddonPath})`
      : 'not built: apt-get install libopenblas-dev liblapacke-dev && npm run build:native (fastest backend)'],
    ['wasm kernels', existsSync(new URL('../../../build/wasm/esdlab-kernels.wasm', import.meta.url))
      ? 'built'
      : 'not built: npm run build (the default backend needs them)'],
  ];
  return [
    { title: 'cpu', lines: cpu },
    { title: 'backends', lines: backends },
    { title: 'native BLAS', lines: blas },
    { title: 'optional parts', lines: optional },
  ];
}
