/**
 * `esdlab queue status|drain|clean --queue URL`: inspects and cleans a distributed sweep's queue.
 */
import type { Command } from 'commander';
import { cleanQueue, drainQueue, queueStatus } from '../../store/index.js';

/** Registers `esdlab queue status|drain|clean --queue URL`. */
export function registerQueueCommand(program: Command): void {
  const queue = program.command('queue').description('inspect and clean the queue of distributed sweeps');
  queue
    .command('status')
    .description('jobs by state, connected workers, coordinators and the cells running now')
    .requiredOption('--queue <url>', 'redis://[user:password@]HOST:PORT[/db]')
    .option('--json', 'print JSON')
    .action(async (flags: { queue: string; json?: boolean }) => {
      const status = await queueStatus(flags.queue);
      if (flags.json) {
        process.stdout.write(JSON.stringify(status) + '\n');
        return;
      }
      const c = status.counts;
      const lines = [
        `jobs: ${c.waiting} waiting, ${c.active} running, ${c.delayed} retrying, ${c.completed} completed (not yet collected), ${c.failed} failed (not yet collected)`,
        `workers (${status.workers.length}): ${status.workers.join(', ') || 'none'}`,
        `coordinators (${status.coordinators.length}): ${status.coordinators.map((h) => `'${h.sweepName}' pid ${h.pid} on ${h.host}`).join(', ') || 'none'}`,
        ...status.active.map((a) => `  running ${a.sweep} ${a.cellKey}${a.worker ? ` on ${a.worker}` : ''}${a.step !== null ? ` step ${a.step}/${a.totalSteps}` : ''}`),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
  queue
    .command('drain')
    .description('remove the waiting and retrying cells (running ones finish; a coordinator started again re-enqueues what is missing)')
    .requiredOption('--queue <url>', 'redis://[user:password@]HOST:PORT[/db]')
    .action(async (flags: { queue: string }) => {
      process.stdout.write(`removed ${await drainQueue(flags.queue)} waiting cells\n`);
    });
  queue
    .command('clean')
    .description('remove completed and failed jobs (refused while a coordinator runs, since it has not collected them)')
    .requiredOption('--queue <url>', 'redis://[user:password@]HOST:PORT[/db]')
    .option('--force', 'clean even while a coordinator runs (its uncollected results are lost)')
    .action(async (flags: { queue: string; force?: boolean }) => {
      process.stdout.write(`removed ${await cleanQueue(flags.queue, Boolean(flags.force))} finished jobs\n`);
    });
}
