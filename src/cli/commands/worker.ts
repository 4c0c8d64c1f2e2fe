/**
 * `esdlab worker --queue URL`: trains the cells of distributed sweeps (`esdlab sweep CONFIG --queue
 * URL`) until stopped. Start it on any number of machines. SIGTERM or Ctrl-C hands the cells in
 * progress back to the queue and exits.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { runQueueWorker } from '../../store/index.js';
import { positiveIntegerFlag } from './sweep.js';

interface WorkerFlags {
  readonly queue: string;
  readonly threads?: string;
  readonly backend?: string;
  readonly concurrency: string;
  readonly lockTimeout: string;
}

/** Registers `esdlab worker --queue URL [--threads N] [--backend B] [--concurrency C] [--lock-timeout S]`. */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('train cells of distributed sweeps from a Redis queue until stopped (SIGTERM/Ctrl-C hands the current cells back)')
    .requiredOption('--queue <url>', 'the sweep queue: redis://[user:password@]HOST:PORT[/db] or rediss://...')
    .option('--threads <n>', 'compute threads per cell (default: cores / concurrency)')
    .option('--backend <name>', 'auto, native, wasm or js (default: ESDLAB_BACKEND or auto)')
    .option('--concurrency <n>', 'cells trained at once', '1')
    .option('--lock-timeout <seconds>', 'a worker silent this long loses its cells to other workers', '30')
    .action(async (flags: WorkerFlags) => {
      const concurrency = positiveIntegerFlag('concurrency', flags.concurrency)!;
      const threads = positiveIntegerFlag('threads', flags.threads) ?? Math.max(1, Math.floor(availableParallelism() / concurrency));
      const lockSeconds = Number(flags.lockTimeout);
      if (!(lockSeconds >= 1)) throw new ConfigError(`--lock-timeout must be a number of seconds >= 1, got '${flags.lockTimeout}'`, 'lock-timeout');
      const say = (line: string) => process.stderr.write(`esdlab: ${line}\n`);
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const { finished } = await runQueueWorker({
          queueUrl: flags.queue,
          backendName: flags.backend ?? process.env.ESDLAB_BACKEND ?? 'auto',
          threads,
          concurrency,
          lockMs: lockSeconds * 1000,
          signal: abort.signal,
          onReady: (id) => say(`worker ${id} (concurrency ${concurrency}) waiting for cells; SIGTERM or Ctrl-C stops it`),
          onCell: (event) => {
            const params = Object.entries(event.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
            say(`${event.type} ${event.jobId}${params ? ` (${params})` : ''}${event.message ? `: ${event.message}` : ''}`);
          },
        });
        say(`worker stopped after ${finished} cells`);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
