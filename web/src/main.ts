/**
 * The lab page: the config form (controls, presets, URL state, inline validation with the CLI's
 * messages), the training worker (Stop pauses it between two steps, Resume continues the same
 * run), the live views, progress, compare, export, and the automation API `window.esdlab` that
 * scripts and tests drive.
 */
import { stringify } from 'yaml';
import type { ProbeLike, RunMetricsDocument, ScalarExperimentConfig, StepMetricsLike } from '../../src/browser.js';
import { CONTROLS, DEFAULT_PRESET, PRESETS, configFromQuery, parseValue, queryFromConfig, validateConfig, type FlatConfig } from './labConfig.js';
import { importRunFiles } from './importRun.js';
import { drawAll, imageOf, nearest, VIEW_FILES, type ViewState } from './views.js';
import type { WorkerReply } from './workerProtocol.js';

/** What `window.esdlab.status()` returns; 'stopped': paused by Stop, Resume continues it (docs/lab.md). */
export type LabStatus = 'idle' | 'running' | 'stopped' | 'done' | 'diverged' | 'error';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let status: LabStatus = 'idle';
let lastError = '';
let resolved: ScalarExperimentConfig | null = null;
let metricsDocument: RunMetricsDocument | null = null;
let worker: Worker | null = null;
let totalSteps = 0;
/** Steps the current run has taken (as far as the page knows: progress is throttled while running). */
let currentStep = 0;
let backendText = '';
const state: ViewState = { steps: [], probes: [], shownIndex: 0, shape: { rows: 1, cols: 1 }, pinned: null };

function setStatus(next: LabStatus, text?: string): void {
  status = next;
  $('status').textContent = text ?? next;
  $('status').dataset['status'] = next;
  ($('run') as HTMLButtonElement).disabled = next === 'running';
  ($('stop') as HTMLButtonElement).disabled = next !== 'running';
  ($('resume') as HTMLButtonElement).disabled = next !== 'stopped';
  ($('pin') as HTMLButtonElement).disabled = !(next === 'done' || next === 'diverged');
}

function buildForm(): void {
  const presets = $<HTMLSelectElement>('preset');
  for (const name of Object.keys(PRESETS)) presets.add(new Option(name, name));
  presets.value = DEFAULT_PRESET;
  presets.addEventListener('change', () => {
    writeForm(PRESETS[presets.value]!);
    onFormChange();
  });
  const container = $('controls');
  for (const control of CONTROLS) {
    const label = document.createElement('label');
    label.textContent = control.label + ' ';
    let input: HTMLInputElement | HTMLSelectElement;
    if (control.kind === 'select') {
      input = document.createElement('select');
      for (const choice of control.choices!) input.add(new Option(choice, choice));
    } else if (control.kind === 'boolean') {
      input = document.createElement('input');
      input.type = 'checkbox';
    } else {
      input = document.createElement('input');
      input.type = 'text';
      input.inputMode = 'decimal';
    }
    input.id = `cfg-${control.key}`;
    input.name = control.key;
    if (control.kind === 'log') {
      const slider = document.createElement('input');
      slider.type = 'range';
      slider.id = 'lr-slider';
      slider.min = '-4';
      slider.max = '4';
      slider.step = '0.01';
      slider.addEventListener('input', () => {
        (input as HTMLInputElement).value = String(Number((10 ** Number(slider.value)).toPrecision(3)));
        onFormChange();
      });
      label.append(slider);
    }
    label.append(input);
    container.append(label);
  }
  $('config').addEventListener('input', (event) => {
    if ((event.target as HTMLElement).id !== 'lr-slider') onFormChange();
  });
  $('config').addEventListener('submit', (event) => {
    event.preventDefault();
    startRun();
  });
  $('stop').addEventListener('click', () => stopRun());
  $('resume').addEventListener('click', resumeRun);
  $('pin').addEventListener('click', pinRun);
  $('scrubber').addEventListener('input', () => {
    state.shownIndex = Number(($('scrubber') as HTMLInputElement).value);
    showProbe();
  });
  for (const id of ['import', 'import-files']) {
    $<HTMLInputElement>(id).addEventListener('change', (event) => void importRun([...((event.target as HTMLInputElement).files ?? [])]));
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-export]')) {
    button.addEventListener('click', () => void exportRun(button.dataset['export']!));
  }
  for (const [id, file] of Object.entries(VIEW_FILES)) {
    const tools = document.createElement('div');
    tools.className = 'view-tools';
    for (const format of ['svg', 'png'] as const) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `${file}.${format}`;
      button.dataset['viewExport'] = id;
      button.dataset['format'] = format;
      button.addEventListener('click', () => void exportView(id, format));
      tools.append(button);
    }
    $(id).before(tools);
  }
}

function readForm(): FlatConfig {
  const flat: FlatConfig = {};
  for (const control of CONTROLS) {
    const input = $<HTMLInputElement>(`cfg-${control.key}`);
    flat[control.key] = control.kind === 'boolean' ? input.checked : parseValue(control, input.value);
  }
  return flat;
}

function writeForm(flat: FlatConfig): void {
  for (const control of CONTROLS) {
    const input = $<HTMLInputElement>(`cfg-${control.key}`);
    const value = flat[control.key];
    if (control.kind === 'boolean') input.checked = value === true;
    else input.value = value === null || value === undefined ? '' : String(value);
    if (control.kind === 'log' && typeof value === 'number' && value > 0) ($('lr-slider') as HTMLInputElement).value = String(Math.log10(value));
  }
}

/** Validates the form, shows the CLI's message next to the offending key, and writes the URL. */
function onFormChange(): boolean {
  const flat = readForm();
  history.replaceState(null, '', `?${queryFromConfig(flat)}`);
  for (const element of document.querySelectorAll('.invalid')) element.classList.remove('invalid');
  const validation = validateConfig(flat);
  if (!validation.ok) {
    $('config-error').textContent = validation.message;
    const key = validation.key === 'lr_scheduler_kwargs' ? 'lr_scheduler_kwargs.gamma' : validation.key;
    if (key) document.getElementById(`cfg-${key}`)?.classList.add('invalid');
    resolved = null;
    return false;
  }
  $('config-error').textContent = '';
  resolved = validation.config;
  return true;
}

function startRun(): void {
  if (!onFormChange() || resolved === null || status === 'running') return;
  const config = resolved;
  worker ??= createWorker();
  state.steps = [];
  state.probes = [];
  state.shownIndex = 0;
  state.shape = { rows: config.h, cols: config.d };
  metricsDocument = null;
  lastError = '';
  totalSteps = 0;
  currentStep = 0;
  setStatus('running', 'running: loading the wasm backend');
  worker.postMessage({ type: 'start', config });
}

/** Pauses the running run between two steps, now or once it has taken `afterStep` steps (the worker answers 'stopped'). */
function stopRun(afterStep?: number): void {
  if (status !== 'running') return;
  if (afterStep !== undefined && !(Number.isInteger(afterStep) && afterStep >= 0)) throw new TypeError(`esdlab.stop(afterStep): a step number >= 0, got ${afterStep}`);
  worker?.postMessage(afterStep === undefined ? { type: 'stop' } : { type: 'stop', afterStep });
}

/** Continues the stopped run from the step it stopped at, with its own config (form edits since apply to the next Run). */
function resumeRun(): void {
  if (status !== 'stopped' || !worker) return;
  lastError = '';
  setStatus('running', `running: resuming after step ${currentStep}`);
  worker.postMessage({ type: 'resume' });
}

function createWorker(): Worker {
  const created = new Worker(new URL('./trainWorker.ts', import.meta.url), { type: 'module', name: 'esdlab-train' });
  created.onmessage = (event: MessageEvent<WorkerReply>) => onWorkerMessage(event.data);
  created.onerror = (event) => {
    lastError = event.message;
    setStatus('error', `error: ${event.message}`);
  };
  return created;
}

function onWorkerMessage(message: WorkerReply): void {
  switch (message.type) {
    case 'backend':
      backendText = `${message.name}, ${message.threads} thread(s)${message.isolated ? ', cross-origin isolated' : ', single-thread build (page not cross-origin isolated)'}`;
      break;
    case 'start':
      totalSteps = message.totalSteps;
      ($('progress') as HTMLProgressElement).max = totalSteps;
      break;
    case 'step': {
      currentStep = message.step;
      ($('progress') as HTMLProgressElement).value = message.step;
      const rate = (message.step - message.firstStep) / (message.elapsedMs / 1000);
      const eta = rate > 0 ? (message.totalSteps - message.step) / rate : Infinity;
      $('progress-text').textContent = `step ${message.step} / ${message.totalSteps}, ${rate.toFixed(2)} steps/s, ETA ${Number.isFinite(eta) ? `${eta.toFixed(0)} s` : '?'} (${backendText})`;
      setStatus('running', `running: step ${message.step} / ${message.totalSteps}`);
      break;
    }
    case 'probe': {
      state.steps.push(message.metrics);
      const probe: ProbeLike = { step: message.step, eigenvalues: message.eigenvalues, singularValues: message.singularValues };
      if (message.overlaps) probe.overlaps = message.overlaps;
      const isFollowing = state.shownIndex >= state.probes.length - 1;
      state.probes.push(probe);
      const scrubber = $<HTMLInputElement>('scrubber');
      scrubber.max = String(state.probes.length - 1);
      scrubber.disabled = false;
      if (isFollowing) {
        state.shownIndex = state.probes.length - 1;
        scrubber.value = String(state.shownIndex);
      }
      scheduleDraw();
      break;
    }
    case 'stopped':
      currentStep = message.step;
      ($('progress') as HTMLProgressElement).value = message.step;
      setStatus('stopped', `stopped after step ${message.step} / ${totalSteps}: Resume continues from there, Run starts over`);
      break;
    case 'done':
      metricsDocument = message.metrics;
      currentStep = message.metrics.diverged_at_step ?? totalSteps;
      ($('progress') as HTMLProgressElement).value = totalSteps;
      setStatus(message.metrics.status === 'diverged' ? 'diverged' : 'done',
        message.metrics.status === 'diverged' ? `diverged at step ${message.metrics.diverged_at_step}: ${message.divergenceReason ?? ''}` : `done: ${message.metrics.steps.length} probes`);
      scheduleDraw();
      break;
    case 'error':
      lastError = message.message;
      setStatus('error', `error: ${message.message}`);
      break;
  }
}

let drawPending = false;
let drawRunning: Promise<void> = Promise.resolve();
function scheduleDraw(): void {
  if (drawPending) return;
  drawPending = true;
  drawRunning = drawRunning.then(async () => {
    drawPending = false;
    showProbe(false);
    await drawAll(state);
  });
}

function showProbe(redraw = true): void {
  const probe = state.probes[state.shownIndex];
  const metrics = probe ? state.steps.find((s) => s.step === probe.step) : undefined;
  $('scrubber-step').textContent = probe ? `step ${probe.step}` : '';
  const pinnedProbe = state.pinned && probe ? nearest(state.pinned.probes, probe.step) : undefined;
  const pinnedMetrics = pinnedProbe ? state.pinned!.steps.find((s) => s.step === pinnedProbe.step) : undefined;
  const pinnedText = pinnedMetrics?.phase ? `; pinned (${state.pinned!.label}) at step ${pinnedProbe!.step}: ${pinnedMetrics.phase}` : '';
  $('phase').textContent = metrics?.phase ? `phase at step ${probe!.step}: ${metrics.phase}${pinnedText}` : '';
  if (redraw) void drawAll(state);
}

/** Shows a run folder written by `esdlab run` in the same views (its config fills the form). */
async function importRun(files: File[]): Promise<void> {
  if (status === 'running') return;
  try {
    const run = await importRunFiles(files);
    const config = run.metrics.config as unknown as ScalarExperimentConfig;
    state.steps = run.metrics.steps as unknown as StepMetricsLike[];
    state.probes = run.probes;
    state.shownIndex = Math.max(0, run.probes.length - 1);
    state.shape = { rows: config.h, cols: config.d };
    metricsDocument = run.metrics;
    resolved = config;
    const scrubber = $<HTMLInputElement>('scrubber');
    scrubber.max = String(state.shownIndex);
    scrubber.value = String(state.shownIndex);
    scrubber.disabled = run.probes.length === 0;
    setStatus(run.metrics.status === 'diverged' ? 'diverged' : 'done', `imported: ${run.metrics.steps.length} probes, ${run.probes.length} spectra`);
    scheduleDraw();
  } catch (error) {
    lastError = error instanceof Error ? error.message : String(error);
    setStatus('error', lastError);
  }
}

function pinRun(): void {
  if (!resolved) return;
  state.pinned = { label: `${resolved.optimizer} lr=${resolved.lr}`, steps: [...state.steps], probes: [...state.probes] };
  scheduleDraw();
}

/** Metric rows as CSV: one line per probed step, the scalar keys of metrics.json. */
function metricsCsv(steps: readonly object[]): string {
  const keys = [...new Set(steps.flatMap((s) => Object.keys(s)))];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' ? JSON.stringify(v) : String(v));
  return [keys.join(','), ...steps.map((s) => keys.map((k) => cell((s as unknown as Record<string, unknown>)[k])).join(','))].join('\n') + '\n';
}

async function exportRun(kind: string): Promise<void> {
  let text: string | null = null;
  let name = '';
  let type = 'text/plain';
  if (kind === 'yaml' && resolved) [text, name] = [stringify(resolved), 'config.yml'];
  else if (kind === 'metrics' && metricsDocument) [text, name, type] = [JSON.stringify(metricsDocument, null, 2), 'metrics.json', 'application/json'];
  else if (kind === 'csv') [text, name, type] = [metricsCsv(metricsDocument?.steps ?? state.steps), 'metrics.csv', 'text/csv'];
  if (text === null) return;
  download(URL.createObjectURL(new Blob([text], { type })), name);
}

/** Exports a drawn view as SVG (vega's toSVG) or PNG (toImageURL), named after the view. */
async function exportView(id: string, format: 'svg' | 'png'): Promise<void> {
  const image = await imageOf(id, format);
  if (image === null) return;
  const name = `${VIEW_FILES[id]}.${format}`;
  if (format === 'png') download(image, name);
  else download(URL.createObjectURL(new Blob([image], { type: 'image/svg+xml' })), name);
}

function download(href: string, name: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.click();
  // revoked later: revoking right after click() can cancel the download before it starts
  if (href.startsWith('blob:')) setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/** The automation API for scripts and tests. */
const api = {
  /** 'idle', 'running', 'stopped', 'done', 'diverged' or 'error'. */
  status: (): LabStatus => status,
  /** Steps taken by the current run (exact when stopped or finished) and its total. */
  progress: (): { step: number; totalSteps: number } => ({ step: currentStep, totalSteps }),
  /** The metrics.json document of the finished run (null before one finished). */
  metrics: (): RunMetricsDocument | null => metricsDocument,
  /** The resolved config (null while the form holds a bad value). */
  config: (): ScalarExperimentConfig | null => resolved,
  /** The last error message ('' if none). */
  error: (): string => lastError,
  /** Starts a run of the form's config (from step 0, also when a run is stopped). */
  run: (): void => startRun(),
  /** Stops (pauses) the running run between two steps, now or after step `afterStep`; status() becomes 'stopped'. */
  stop: (afterStep?: number): void => stopRun(afterStep),
  /** Continues the stopped run from where it stopped. */
  resume: (): void => resumeRun(),
};
(window as unknown as { esdlab: typeof api }).esdlab = api;

const shouldAutostart = new URLSearchParams(location.search).get('run') === '1';
buildForm();
writeForm(configFromQuery(location.search));
onFormChange();
setStatus('idle');
if (shouldAutostart) startRun();
