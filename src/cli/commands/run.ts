/**
 * `esdlab run CONFIG`: trains one configuration and writes its run folder (config.resolved.yaml,
 * metrics.json, spectra/step-<k>.npy, plots/, report.html). Everything is validated (config, init
 * files, output folder, backend) before the first byte is written.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ExperimentConfig, RunExperimentOptions, RunMetricsDocument, ScalarExperimentConfig } from '../../experiments/index.js';
import { runMetricsOf } from '../../experiments/runMetrics.js';
import { requireScalarConfig } from '../../experiments/scalarConfig.js';
import { probedSteps, totalSteps } from '../../experiments/toTrainOptions.js';
import { loadConfigFile } from '../../io/loadConfig.js';
import { loadInitArrays } from '../../io/loadInitArrays.js';
import {
  checkRunDirectory,
  createRunDirectory,
  defaultRunDirectory,
  metricsJsonText,
  writeMetricsJson,
  writeResolvedConfig,
  writeSpectra,
} from '../../io/runOutput.js';
import { InputError } from '../../errors.js';
import { removeRunCheckpoint, writeRunCheckpoint } from '../../io/runCheckpoint.js';
import { checkResumeDirectory } from '../../io/runResume.js';
import { loadBackend } from '../../linalg/node.js';
import { startPlotWorker, stopPlotWorker } from '../../report/plotWorkerPool.js';
import type { RunReportData } from '../../report/index.js';
import { TrainingAbortedError, type TrainCheckpoint, type TrainResult } from '../../train/index.js';
import { createProgress } from '../progress.js';

/** Flags of `esdlab run`, as commander hands them over (strings). */
interface RunFlags {
  readonly out?: string;
  readonly seed?: string;
  readonly backend?: string;
  readonly precision?: string;
  readonly json?: boolean;
  readonly resume?: string;
}

/** Registers `esdlab run CONFIG [--out DIR] [--seed N] [--backend B] [--precision P] [--json] [--resume DIR]`. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('train one configuration and write its metrics, spectra, plots and report')
    .argument('<config>', 'YAML config file (see docs/configs.md; configs/main.yml is the paper\'s main experiment)')
    .option('--out <dir>', 'output folder (default: runs/<config name>-<hash of config and seed>)')
    .option('--seed <n>', 'seed of every random draw (overrides the config\'s seed)')
    .option('--backend <name>', 'auto, native, wasm or js (overrides the config and ESDLAB_BACKEND)')
    .option('--precision <p>', 'training precision, f32 or f64 (overrides the config)')
    .option('--json', 'print metrics.json on stdout and nothing else there')
    .option('--resume <dir>', 'continue the interrupted run in DIR from its checkpoint (checkpoint_every_steps); CONFIG must be the config it ran')
    .action(async (configPath: string, flags: RunFlags) => {
      await runCommand(configPath, flags);
    });
}

/** A flag's text as the config value it stands for: integers become numbers, the rest stays text. */
function flagValue(text: string | undefined): string | number | undefined {
  if (text === undefined) return undefined;
  return /^-?\d+$/.test(text.trim()) ? Number(text) : text;
}

async function runCommand(configPath: string, flags: RunFlags): Promise<void> {
  const startedAt = performance.now();
  const say = (line: string) => process.stderr.write(`esdlab: ${line}\n`);

  // 1. validate everything; nothing is written before this block succeeds
  const loaded = loadConfigFile(configPath, {
    seed: flagValue(flags.seed),
    precision: flags.precision,
    backend: flags.backend,
  });
  for (const notice of loaded.notices) say(`notice: ${notice}`);
  const config = requireScalarConfig(loaded.config);
  const overrides = await loadInitArrays(config, loaded.directory);
  if (flags.resume !== undefined && flags.out !== undefined && resolve(flags.out) !== resolve(flags.resume)) {
    throw new InputError(`--out ${flags.out} and --resume ${flags.resume} name different folders; a resumed run stays in its folder`);
  }
  const outDirectory = flags.resume ?? flags.out ?? config.out ?? defaultRunDirectory(config);
  const resumed = flags.resume !== undefined ? checkResumeDirectory(outDirectory, config) : null;
  if (!resumed) checkRunDirectory(outDirectory, config);
  const requestedBackend = config.backend ?? process.env.ESDLAB_BACKEND ?? 'auto';
  // the engine loads only once the input is known to be good, so that errors come fast, and before
  // the first write, so that a failing load leaves nothing behind. The report's modules (vega and
  // resvg, ~100-170 ms of compiling on this thread) load once the training has started (its first
  // event, after the problem draw): from then on the main thread mostly waits for the backend's
  // workers. A failing load is reported after metrics.json is written.
  const { runExperiment } = await import('../../experiments/runExperiment.js');
  let reportModule: Promise<typeof import('../../report/index.js')> | null = null;
  const loadReport = () => (reportModule ??= import('../../report/index.js'));
  const { backend, skipped } = await loadBackend(requestedBackend || 'auto');

  try {
    const origin = config.backend !== null ? (flags.backend ? '--backend' : 'config') : process.env.ESDLAB_BACKEND ? 'ESDLAB_BACKEND' : 'auto';
    const skippedText = skipped.length > 0 ? `; skipped ${skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}` : '';
    say(`backend ${backend.name} (${origin}${skippedText})${backend.details ? `: ${backend.details}` : ''}`);
    if (backend.warning) say(backend.warning);

    if (resumed) {
      say(`resuming ${outDirectory} after step ${resumed.training.step}`);
      if (resumed.backend !== backend.name) {
        say(`notice: the checkpoint was written on backend ${resumed.backend}; continuing on ${backend.name} matches an uninterrupted run to rounding, not bit for bit`);
      }
    }

    // 2. write
    if (!resumed) {
      createRunDirectory(outDirectory);
      writeResolvedConfig(outDirectory, config);
    }
    const everySteps = config.checkpoint_every_steps;
    const checkpoint = everySteps === null ? undefined : {
      everySteps,
      save: (training: TrainCheckpoint) => writeRunCheckpoint(outDirectory, { backend: backend.name, training }),
    };
    // the plot worker loads vega and warms up during the problem draw, which leaves the second core idle
    startPlotWorker();
    let result: TrainResult;
    try {
      result = await trainWithProgress(
        config,
        (options) =>
          runExperiment(backend, config, {
            ...options,
            onEvent: (event) => {
              if (event.type === 'start') loadReport().catch(() => undefined); // awaited (and its error thrown) after the training
              options.onEvent?.(event);
            },
            ...(checkpoint ? { checkpoint } : {}),
            ...(resumed ? { resumeFrom: resumed.training } : {}),
          }),
        overrides,
      );
    } catch (error) {
      if (error instanceof TrainingAbortedError && error.hasCheckpoint) {
        say(`continue with: esdlab run ${configPath} --resume ${outDirectory}`);
      }
      throw error;
    }
    if (result.status === 'diverged') {
      say(`training diverged at step ${result.divergedAtStep}${result.divergenceReason ? ` (${result.divergenceReason})` : ''}; metrics up to then are kept`);
    }
    await writeSpectra(outDirectory, result.probes, [config.h, config.d]);

    const plotsStartedAt = performance.now();
    let reportError: unknown = null;
    try {
      const { writeRunReport } = await loadReport();
      const { failures } = await writeRunReport(resolve(outDirectory), reportData(config, backend.name, result), { title: config.name ?? undefined });
      for (const failure of failures) say(`warning: plot ${failure.name} could not be drawn: ${failure.message}`);
    } catch (error) {
      reportError = error;
    }
    const plotsMs = performance.now() - plotsStartedAt;

    const metrics = runMetricsOf(config, backend.name, result, { plots_ms: plotsMs, total_ms: performance.now() - startedAt });
    writeMetricsJson(outDirectory, metrics);
    // the results are written: the checkpoint has served its purpose
    removeRunCheckpoint(outDirectory);
    if (reportError !== null) throw reportError;

    if (flags.json) process.stdout.write(metricsJsonText(metrics));
    else printSummary(outDirectory, metrics);
  } finally {
    await stopPlotWorker(); // when no report took it (the run failed first)
    await backend.dispose?.();
  }
}

/** Trains with a progress bar on stderr (steps, probes, steps per second, ETA) when stderr is a terminal. */
async function trainWithProgress(
  config: ScalarExperimentConfig,
  run: (options: RunExperimentOptions) => Promise<TrainResult>,
  overrides: Awaited<ReturnType<typeof loadInitArrays>>,
): Promise<TrainResult> {
  let numProbes = probedSteps(config).length;
  let probesDone = 0;
  let firstStep = 0;
  let startedAt = performance.now();
  const progress = createProgress({ label: config.name ?? 'run', total: totalSteps(config), unit: 'steps' });
  const detail = (step: number) => {
    const seconds = (performance.now() - startedAt) / 1000;
    const rate = step > firstStep && seconds > 0 ? `${((step - firstStep) / seconds).toPrecision(3)} steps/s | ` : '';
    return `${rate}probes ${probesDone}/${numProbes}`;
  };
  // Ctrl-C stops training between two steps (TrainingAbortedError, a one-line message, exit 1)
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    return await run({
      signal: controller.signal,
      overrides,
      onEvent(event) {
        if (event.type === 'start') {
          numProbes = event.numProbes;
          firstStep = event.firstStep;
          probesDone = firstStep > 0 ? probedSteps(config).filter((step) => step <= firstStep).length : 0;
          startedAt = performance.now();
          progress.update(firstStep, detail(firstStep));
        } else if (event.type === 'step') progress.update(event.step, detail(event.step));
        else if (event.type === 'probe') {
          probesDone += 1;
          progress.update(event.step, detail(event.step));
        }
      },
    });
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    progress.stop();
  }
}

/** What the report draws of a run (src/report's RunReportData). */
function reportData(config: ExperimentConfig, backendName: string, result: TrainResult): RunReportData {
  return {
    steps: result.steps,
    probes: result.probes,
    initialW: result.initialW,
    finalW: result.finalW,
    config: { ...config },
    status: result.status,
    divergedAtStep: result.divergedAtStep,
    seed: config.seed,
    backend: backendName,
    timing: { ...result.timing },
  };
}

/** Prints where the run went and its headline numbers (stdout; --json prints metrics.json instead). */
function printSummary(directory: string, metrics: RunMetricsDocument): void {
  const last = metrics.steps[metrics.steps.length - 1] as Record<string, unknown> | undefined;
  const format = (value: unknown) => (typeof value === 'number' ? value.toPrecision(4) : 'n/a');
  const lines = [
    `run ${metrics.status}: ${directory}`,
    last
      ? `step ${String(last.step)}: train_loss ${format(last.train_loss)}, test_loss ${format(last.test_loss)}, alignment ${format(last.alignment)}, alpha_hill ${format(last.alpha_hill)}`
      : 'no probes recorded',
    `report: ${resolve(directory, 'report.html')}`,
    `timing: ${Object.entries(metrics.timing).map(([key, value]) => `${key} ${Math.round(value)}`).join(', ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
