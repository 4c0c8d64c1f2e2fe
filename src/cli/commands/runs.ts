import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { ResultsStore, exportSweepCsv, exportSweepJson, runSummaryJson, sweepSummaryJson } from '../../store/index.js';
import { DEFAULT_STORE_PATH } from '../defaults.js';
import { rebuildSweepReport } from '../sweepReport.js';

/** `esdlab runs ls|show|export|report`: read the results store. */
export function registerRunsCommand(program: Command): void {
  const runs = program.command('runs').description('list, show, export and report the runs in a results store');

  runs
    .command('ls')
    .description('list sweeps and runs with their status')
    .option('--store <path>', 'results store', DEFAULT_STORE_PATH)
    .option('--sweep <id>', 'only the runs of this sweep', parseId)
    .option('--json', 'print JSON')
    .action((options: { store: string; sweep?: number; json?: boolean }) => {
      withStore(options.store, (store) => {
        const sweeps = options.sweep === undefined ? store.listSweeps() : [store.getSweep(options.sweep)];
        const runList = store.listRuns(options.sweep);
        if (options.json) {
          writeJson({ sweeps: sweeps.map(sweepSummaryJson), runs: runList.map(runSummaryJson) });
          return;
        }
        printTable(
          ['sweep', 'name', 'cells', 'done', 'diverged', 'failed', 'pending', 'created'],
          sweeps.map((s) => [s.id, s.name, s.cells, s.done, s.diverged, s.failed, s.pending + s.running, s.createdAt]),
        );
        process.stdout.write('\n');
        printTable(
          ['run', 'sweep', 'status', 'repeat', 'params', 'finished', 'worker'],
          runList.map((r) => [r.id, r.sweepId, r.status, r.repeat, formatParams(r.params), r.finishedAt ?? '', r.worker ?? '']),
        );
      });
    });

  runs
    .command('show')
    .description('show a sweep (its runs) or, with --run, one run (its metrics per step)')
    .argument('<id>', 'sweep id (or run id with --run)', parseId)
    .option('--run', 'the id is a run id')
    .option('--store <path>', 'results store', DEFAULT_STORE_PATH)
    .option('--json', 'print JSON')
    .action((id: number, options: { store: string; run?: boolean; json?: boolean }) => {
      withStore(options.store, (store) => {
        if (options.run) {
          const run = store.getRun(id);
          const steps = store.runSteps(id);
          if (options.json) {
            writeJson({ ...runSummaryJson(run), steps });
            return;
          }
          process.stdout.write(`run ${run.id} of sweep ${run.sweepId}: ${run.status}, repeat ${run.repeat}, ${formatParams(run.params)}\n`);
          if (run.error) process.stdout.write(`error: ${run.error}\n`);
          const keys = ['step', 'lr', 'train_loss', 'test_loss', 'kta', 'alignment', 'alpha_hill', 'alpha_mle_ks', 'phase'];
          printTable(keys, steps.map((s) => keys.map((k) => s[k] as unknown)));
          return;
        }
        const sweep = store.getSweep(id);
        const runList = store.listRuns(id);
        if (options.json) {
          writeJson({ sweep: sweepSummaryJson(sweep), config: sweep.config, runs: runList.map(runSummaryJson) });
          return;
        }
        process.stdout.write(`sweep ${sweep.id} '${sweep.name}': ${sweep.done} done, ${sweep.diverged} diverged, ${sweep.failed} failed, ${sweep.pending + sweep.running} to run, of ${sweep.cells}\n`);
        printTable(
          ['run', 'status', 'repeat', 'params', 'started', 'finished'],
          runList.map((r) => [r.id, r.status, r.repeat, formatParams(r.params), r.startedAt ?? '', r.finishedAt ?? '']),
        );
      });
    });

  runs
    .command('export')
    .description('export a sweep: every run with its per-step metrics')
    .argument('<sweep-id>', 'sweep id', parseId)
    .option('--format <format>', 'csv or json', 'json')
    .option('--store <path>', 'results store', DEFAULT_STORE_PATH)
    .action((id: number, options: { store: string; format: string }) => {
      if (options.format !== 'csv' && options.format !== 'json') {
        throw new InputError(`--format must be csv or json, got '${options.format}'`);
      }
      withStore(options.store, (store) => {
        if (options.format === 'json') writeJson(exportSweepJson(store, id));
        else process.stdout.write(exportSweepCsv(store, id));
      });
    });

  runs
    .command('report')
    .description('rebuild a sweep report (report.html, plots) from the store alone')
    .argument('<sweep-id>', 'sweep id', parseId)
    .option('--out <dir>', 'output folder (default runs/sweep-<id>-report)')
    .option('--store <path>', 'results store', DEFAULT_STORE_PATH)
    .action(async (id: number, options: { store: string; out?: string }) => {
      const store = ResultsStore.open(options.store, { isReadonly: true });
      try {
        const dir = options.out ?? `runs/sweep-${id}-report`;
        const files = await rebuildSweepReport(store, id, dir);
        process.stderr.write(`esdlab: wrote ${files.length} files to ${dir} (open ${dir}/report.html)\n`);
      } finally {
        store.close();
      }
    });
}

function withStore(path: string, body: (store: ResultsStore) => void): void {
  const store = ResultsStore.open(path, { isReadonly: true });
  try {
    body(store);
  } finally {
    store.close();
  }
}

function parseId(value: string): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw new InputError(`an id must be a positive integer, got '${value}'`);
  return id;
}

function writeJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n');
}

function formatParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  return String(value);
}

/** Prints an aligned plain-text table on stdout. */
export function printTable(header: readonly string[], rows: readonly (readonly unknown[])[]): void {
  const cells = [header.map(String), ...rows.map((r) => r.map(formatCell))];
  const widths = header.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  for (const row of cells) process.stdout.write(row.map((c, j) => (c ?? '').padEnd(widths[j]!)).join('  ').trimEnd() + '\n');
}
