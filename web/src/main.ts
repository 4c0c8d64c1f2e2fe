/**
 * The lab page: the config form (controls, presets, URL state, inline validation with the CLI's
 * messages), the training worker, the live views, progress, compare, export, and the automation
 * API `window.esdlab` that scripts and tests drive.
 */
import { stringify } from 'yaml';
import type { ProbeLike, RunMetricsDocument, ScalarExperimentConfig, StepMetricsLike } from '../../src/browser.js';
import { CONTROLS, DEFAULT_PRESET, PRESETS, configFromQuery, parseValue, queryFromConfig, validateConfig, type FlatConfig } from './labConfig.js';
import { importRunFiles } from './importRun.js';
import { drawAll, svgOf, type ViewState } from './views.js';
import type { WorkerReply } from './workerProtocol.js';

/** What `window.esdlab.status()` returns. */
export type LabStatus = 'idle' | 'running' | 'done' | 'diverged' | 'error';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let status: LabStatus = 'idle';
let lastError = '';
let resolved: ScalarExperimentConfig | null = null;
let metricsDocument: RunMetricsDocument | null = null;
let worker: Worker | null = null;
let totalSteps = 0;
let backendText = '';
const state: ViewState = { steps: [], probes: [], shownIndex: 0, shape: { rows: 1, cols: 1 }, pinned: null };

function setStatus(next: LabStatus, text?: string): void {
  status = next;
  $('status').textContent = text ?? next;
  $('status').dataset['status'] = next;
  ($('run') as HTMLButtonElement).disabled = next === 'running';
  ($('stop') as HTMLButtonElement).disabled = next !== 'running';
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
  $('stop').addEventListener('click', () => worker?.postMessage({ type: 'stop' }));
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
  setStatus('running', 'running: loading the wasm backend');
  worker.postMessage({ type: 'start', config });
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
      ($('progress') as HTMLProgressElement).value = message.step;
      const rate = message.step / (message.elapsedMs / 1000);
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
    case 'done':
      metricsDocument = message.metrics;
      ($('progress') as HTMLProgressElement).value = totalSteps;
      setStatus(message.metrics.status === 'diverged' ? 'diverged' : 'done',
        message.metrics.status === 'diverged' ? `diverged at step ${message.metrics.diverged_at_step}: ${message.divergenceReason ?? ''}` : `done: ${message.metrics.steps.length} probes`);
      scheduleDraw();
      break;
    case 'error':
      lastError = message.message;
      if (message.stopped) setStatus('idle', `stopped: ${message.message}`);
      else setStatus('error', `error: ${message.message}`);
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
  $('phase').textContent = metrics?.phase ? `phase at step ${probe!.step}: ${metrics.phase}` : '';
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
  else if (kind === 'svg') [text, name, type] = [await svgOf('view-esd'), 'esd.svg', 'image/svg+xml'];
  if (text === null) return;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** The automation API for scripts and tests. */
const api = {
  /** 'idle', 'running', 'done', 'diverged' or 'error'. */
  status: (): LabStatus => status,
  /** The metrics.json document of the finished run (null before one finished). */
  metrics: (): RunMetricsDocument | null => metricsDocument,
  /** The resolved config (null while the form holds a bad value). */
  config: (): ScalarExperimentConfig | null => resolved,
  /** The last error message ('' if none). */
  error: (): string => lastError,
  /** Starts a run of the form's config. */
  run: (): void => startRun(),
};
(window as unknown as { esdlab: typeof api }).esdlab = api;

const shouldAutostart = new URLSearchParams(location.search).get('run') === '1';
buildForm();
writeForm(configFromQuery(location.search));
onFormChange();
setStatus('idle');
if (shouldAutostart) startRun();
