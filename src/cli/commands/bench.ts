import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from '../../experiments/zodModule.js';
import { benchCases, benchOps, benchShapeFields, benchShapeLabel, runBenchCase, type BenchCase, type BenchRecord } from '../../bench/index.js';
import { ConfigError } from '../../errors.js';
import { loadBackend, registeredBackends, type Backend } from '../../linalg/node.js';
import { describeNativeBlas, nativeBlasStatus } from '../../linalg/backends/native/index.js';

const positiveInteger = z.coerce.number().int().positive();
const listOf = <T extends string>(allowed: readonly [T, ...T[]]) =>
  z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)).pipe(z.array(z.enum(allowed)).min(1));

const benchOptionsSchema = z.object({
  op: listOf(benchOps).optional(),
  m: positiveInteger.optional(),
  k: positiveInteger.optional(),
  n: positiveInteger.optional(),
  dtype: listOf(['f32', 'f64']).optional(),
  backend: z.string().optional(),
  threads: positiveInteger.optional(),
  repeats: positiveInteger.default(3),
  json: z.boolean().default(false),
  quick: z.boolean().default(false),
  cases: z.string().optional(),
  dryRun: z.boolean().default(false),
});

const dimension = z.number().int().nonnegative().optional();
const benchCaseSchema = z.strictObject({
  op: z.enum(benchOps),
  trans: z.enum(['NN', 'TN', 'NT', 'TT', 'N']).optional(),
  m: dimension,
  k: dimension,
  n: dimension,
  dtype: z.enum(['f32', 'f64']),
}).superRefine((c, context) => {
  for (const field of benchShapeFields[c.op]) {
    if (c[field] === undefined) context.addIssue({ code: 'custom', message: `${c.op} needs '${field}'`, path: [field] });
  }
});

/** `esdlab bench`: times the numeric core's ops on each backend (library: src/bench). */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('time GEMM, SYRK, eigen, SVD, Cholesky and Lanczos on each backend (one JSON line per case with --json)')
    .option('--op <ops>', `comma-separated ops: ${benchOps.join(', ')} (default: all)`)
    .option('--m <rows>', 'rows (gemm: of op(A); svdvals, top_singular_triplet: of A)')
    .option('--k <inner>', 'inner dimension (gemm, syrk) or right-hand sides (cholesky_solve)')
    .option('--n <cols>', 'columns (gemm: of op(B)), or the order of the square matrix')
    .option('--dtype <dtypes>', 'f32, f64 or f32,f64 (default: both for gemm/syrk, f64 for the decompositions)')
    .option('--backend <names>', "comma-separated backends, or 'all' (default: every one that loads except the js reference)")
    .option('--threads <count>', 'threads per backend (default: the machine\'s cores)')
    .option('--repeats <count>', 'timed repeats per case; the best and the median are reported', '3')
    .option('--json', 'print one JSON object per line')
    .option('--quick', 'skip the n=4096 eigenvalue case')
    .option('--cases <file>', "run exactly these cases, one JSON object a line ('-' for stdin; what --dry-run --json prints)")
    .option('--dry-run', 'print the cases without running them')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = benchOptionsSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const key = String(issue.path[0] ?? 'options');
        throw new ConfigError(`bench --${key}: ${issue.message} (got ${JSON.stringify(raw[key])})`, key);
      }
      const options = parsed.data;
      const cases = options.cases === undefined
        ? benchCases({ ops: options.op, dtypes: options.dtype, m: options.m, k: options.k, n: options.n, isQuick: options.quick })
        : readCases(options.cases);
      if (options.dryRun) {
        for (const c of cases) process.stdout.write(options.json ? `${JSON.stringify(c)}\n` : `${c.op}${c.trans ? ` ${c.trans}` : ''}, ${benchShapeLabel(c)}, ${c.dtype}\n`);
        return;
      }
      const names = backendNames(options.backend);
      const print = options.json ? (r: BenchRecord) => process.stdout.write(`${JSON.stringify(r)}\n`) : tablePrinter();
      if (!options.json) process.stderr.write(`native BLAS: ${describeNativeBlas() ?? 'not loaded'}\n`);
      const blasWarning = names.includes('native') ? nativeBlasStatus()?.warning : null;
      if (blasWarning) process.stderr.write(`esdlab bench: ${blasWarning}\n`);
      let measured = 0;
      for (const name of names) {
        let backend: Backend;
        try {
          backend = (await loadBackend(name, options.threads === undefined ? {} : { threads: options.threads })).backend;
        } catch (error) {
          if (options.backend !== undefined && options.backend !== 'all') throw error;
          process.stderr.write(`esdlab bench: skipping ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
          continue;
        }
        try {
          for (const c of cases) {
            print(await runBenchCase(backend, c, options.repeats));
            measured++;
          }
        } finally {
          await backend.dispose?.();
        }
      }
      if (measured === 0) throw new ConfigError(`bench: no backend loaded out of ${names.join(', ')}`, 'backend');
    });
}

/** Cases from a JSON-lines file or stdin ('-'), validated. */
function readCases(path: string): BenchCase[] {
  const text = readFileSync(path === '-' ? 0 : path, 'utf8');
  return text.split('\n').filter((line) => line.trim() !== '').map((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ConfigError(`bench --cases: line ${i + 1} of ${path} is not JSON`, 'cases');
    }
    const parsed = benchCaseSchema.safeParse(value);
    if (!parsed.success) throw new ConfigError(`bench --cases: line ${i + 1} of ${path}: ${parsed.error.issues[0]!.message} at ${parsed.error.issues[0]!.path.join('.') || 'the case'}`, 'cases');
    return parsed.data;
  });
}

function backendNames(option: string | undefined): string[] {
  const registered = registeredBackends();
  if (option === undefined) return registered.filter((name) => name !== 'js');
  if (option === 'all') return registered;
  const names = option.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!registered.includes(name)) {
      throw new ConfigError(`bench --backend: unknown backend '${name}'; registered: ${registered.join(', ')} (or all)`, 'backend');
    }
  }
  return names;
}

/** Prints records as rows of a fixed-width table, the header before the first. */
function tablePrinter(): (r: BenchRecord) => void {
  const widths = [22, 22, 6, 8, 8, 11, 11, 9];
  const row = (cells: string[]) => process.stdout.write(`${cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ')}\n`);
  let hasHeader = false;
  return (r) => {
    if (!hasHeader) {
      row(['op', 'shape', 'dtype', 'backend', 'threads', 'best ms', 'median ms', 'GFLOP/s']);
      hasHeader = true;
    }
    row([`${r.op}${r.trans ? ` ${r.trans}` : ''}`, benchShapeLabel(r), r.dtype, r.backend, String(r.threads), r.ms.toFixed(1), r.medianMs.toFixed(1), r.gflops === null ? '-' : r.gflops.toFixed(1)]);
  };
}
