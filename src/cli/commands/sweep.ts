/**
 * `esdlab sweep CONFIG`: runs every cell of a sweep config (the paper's bulk experiments) on a pool
 * of workers, storing each finished run in the results store, then writes the sweep report.
 * Running it again resumes: finished cells are skipped, unfinished ones rerun; --fresh starts over.
 * With --queue URL it coordinates a distributed sweep instead: the cells go to a BullMQ queue on
 * Redis, `esdlab worker` processes anywhere train them, and this process commits their results.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import type { SweepRecord } from '../../store/index.js';
import { ConfigError } from '../../errors.js';
import { loadConfigFile } from '../../io/loadConfig.js';
import { coordinateSweep, redactedUrl, ResultsStore, runSweep, type SweepProgress } from '../../store/index.js';
import { DEFAULT_STORE_PATH } from '../defaults.js';
import { createProgress } from '../progress.js';
import { rebuildSweepReport } from '../sweepReport.js';

interface SweepFlags {
  readonly workers?: string;
  readonly threads?: string;
  readonly store: string;
  readonly fresh?: boolean;
  readonly backend?: string;
  readonly seed?: string;
  readonly out?: string;
  readonly report: boolean;
  readonly json?: boolean;
  readonly queue?: string;
  readonly attempts?: string;
}

/** Registers `esdlab sweep CONFIG [--workers N] [--threads N] [--store PATH] [--fresh] [--backend B] [--out DIR]`. */
export function registerSweepCommand(program: Command): void {
  program
    .command('sweep')
    .description('run (or resume) every cell of a sweep config, store the runs, and write the sweep report')
    .argument('<config>', 'YAML sweep config (configs/bulk_lr.yml, configs/bulk_losses_vary_*.yml)')
    .option('--workers <n>', 'cells trained at once (default: one per core, at most one per cell)')
    .option('--threads <n>', 'compute threads per worker (default: cores / workers)')
    .option('--store <path>', 'results store (SQLite)', DEFAULT_STORE_PATH)
    .option('--fresh', 'start a new sweep even if this config was run before')
    .option('--backend <name>', 'auto, native, wasm or js (overrides the config and ESDLAB_BACKEND)')
    .option('--seed <n>', 'seed (overrides the config)')
    .option('--out <dir>', 'report folder (default: runs/<name>-sweep-<id>)')
    .option('--no-report', 'skip writing the report')
    .option('--json', 'print a JSON summary on stdout')
    .option('--queue <url>', 'coordinate a distributed sweep on this Redis (redis://[user:password@]HOST:PORT[/db]); start workers with esdlab worker')
    .option('--attempts <n>', 'with --queue: tries per cell before it is recorded as failed', '3')
    .action(async (configPath: string, flags: SweepFlags) => {
      await sweepCommand(configPath, flags);
    });
}

/** Parses a flag that must be a positive integer (ConfigError naming the flag otherwise). */
export function positiveIntegerFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`--${name} must be an integer >= 1, got '${text}'`, name);
  return value;
}

async function sweepCommand(configPath: string, flags: SweepFlags): Promise<void> {
  const say = (line: string) => process.stderr.write(`esdlab: ${line}\n`);
  const startedAt = performance.now();
  const seed = flags.seed === undefined ? undefined : Number(flags.seed);
  const loaded = loadConfigFile(configPath, { backend: flags.backend, seed: Number.isNaN(seed) ? flags.seed : seed });
  for (const notice of loaded.notices) say(`notice: ${notice}`);
  const workers = positiveIntegerFlag('workers', flags.workers);
  const threadsPerWorker = positiveIntegerFlag('threads', flags.threads);
  const config = loaded.config;
  const name = config.name ?? 'sweep';
  mkdirSync(dirname(flags.store), { recursive: true });
  const store = ResultsStore.open(flags.store);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const bar: { current: ReturnType<typeof createProgress> | null } = { current: null };
  try {
    const onProgress = (p: SweepProgress) => {
      bar.current ??= createProgress({ label: name, total: p.total, unit: 'runs' });
      bar.current.update(p.finished, describeRunning(p));
    };
    const backendName = config.backend ?? process.env.ESDLAB_BACKEND ?? 'auto';
    let result: { sweep: SweepRecord; isResumed: boolean; ranNow: number; backend: string; workers: number | readonly string[]; threadsPerWorker: number | null; enqueued?: number };
    if (flags.queue) {
      if (workers !== undefined || threadsPerWorker !== undefined) throw new ConfigError('--workers and --threads belong to esdlab worker when --queue is given', 'workers');
      const attempts = positiveIntegerFlag('attempts', flags.attempts);
      say(`coordinating on ${redactedUrl(flags.queue)}; start workers with: esdlab worker --queue URL`);
      const coordinated = await coordinateSweep({ store, config, name, queueUrl: flags.queue, isFresh: flags.fresh, attempts, signal: abort.signal, onProgress });
      result = { ...coordinated, backend: 'per worker', threadsPerWorker: null };
      say(`queue: ${coordinated.enqueued} cells enqueued now; results from ${coordinated.workers.length} workers: ${coordinated.workers.join(', ') || 'none'}`);
    } else {
      result = await runSweep({ store, config, name, backendName, workers, threadsPerWorker, isFresh: flags.fresh, signal: abort.signal, onProgress });
    }
    bar.current?.stop();
    const sweep = result.sweep;
    const poolText = typeof result.workers === 'number' ? `${result.workers} workers x ${result.threadsPerWorker} threads, ${result.backend} backend` : 'queue workers';
    say(
      `sweep ${sweep.id} '${sweep.name}' in ${flags.store}: ${result.isResumed ? 'resumed, ' : ''}${result.ranNow} runs trained now ` +
        `(${poolText}); ` +
        `${sweep.done} done, ${sweep.diverged} diverged, ${sweep.failed} failed, ${sweep.pending + sweep.running} left of ${sweep.cells}`,
    );
    if (abort.signal.aborted) {
      say('interrupted: finished runs are stored; run the same command again to resume');
      process.exitCode = 130;
      return;
    }
    let reportDir: string | null = null;
    if (flags.report) {
      reportDir = flags.out ?? join('runs', `${name}-sweep-${sweep.id}`);
      await rebuildSweepReport(store, sweep.id, reportDir);
      say(`report: ${join(reportDir, 'report.html')}`);
    }
    if (flags.json) {
      process.stdout.write(
        JSON.stringify({
          sweep_id: sweep.id,
          name: sweep.name,
          store: flags.store,
          cells: sweep.cells,
          done: sweep.done,
          diverged: sweep.diverged,
          failed: sweep.failed,
          ran_now: result.ranNow,
          resumed: result.isResumed,
          backend: result.backend,
          workers: result.workers,
          threads_per_worker: result.threadsPerWorker,
          ...(result.enqueued === undefined ? {} : { enqueued: result.enqueued }),
          report: reportDir,
          wall_ms: Math.round(performance.now() - startedAt),
        }) + '\n',
      );
    }
    if (sweep.failed > 0) process.exitCode = 1;
  } finally {
    bar.current?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    store.close();
  }
}

function describeRunning(progress: SweepProgress): string {
  const first = progress.running[0];
  if (!first) return '';
  const params = Object.entries(first.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const step = first.totalSteps > 0 ? ` step ${first.step}/${first.totalSteps}` : '';
  const where = first.worker ? ` on ${first.worker}` : '';
  const more = progress.running.length > 1 ? ` (+${progress.running.length - 1} more)` : '';
  const failed = progress.failed > 0 ? ` [${progress.failed} failed]` : '';
  return `${params} r${first.repeat}${step}${where}${more}${failed}`;
}
