/**
 * The content of a run's report page: config and summary tables, figure sections with captions.
 * Pure: turns {@link RunReportData} and its specs into a {@link ReportPageInput}.
 */
import type { ReportPageInput, ReportTable } from './reportPage.js';
import { divergenceStep, RUN_PLOT_CAPTIONS } from './runPlotSpecs.js';
import type { RunReportData, StepMetricsLike, VegaLiteSpec } from './types.js';

/** Flattens a nested config into dotted keys with display values. */
export function configRows(config: object, prefix = ''): [string, string][] {
  const rows: [string, string][] = [];
  for (const [key, value] of Object.entries(config)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) rows.push(...configRows(value as object, name));
    else rows.push([name, Array.isArray(value) ? JSON.stringify(value) : String(value)]);
  }
  return rows;
}

/** The config as a two-column table. */
export function configTable(config: object, caption = 'Configuration'): ReportTable {
  return { caption, columns: ['key', 'value'], rows: configRows(config) };
}

/** Columns of the per-step summary: metrics.json key and header. */
const SUMMARY_COLUMNS: [keyof StepMetricsLike, string][] = [
  ['step', 'step'],
  ['lr', 'lr'],
  ['train_loss', 'train loss'],
  ['test_loss', 'test loss'],
  ['kta', 'KTA'],
  ['alignment', 'sim(W, β*)'],
  ['alpha_hill', 'α Hill'],
  ['alpha_mle_ks', 'α MLE-KS'],
  ['ks_d_hill', 'KS D Hill'],
  ['ks_d_mle', 'KS D MLE'],
  ['xmin_mle', 'xmin MLE'],
  ['spectral_norm', 'λmax'],
  ['frobenius_sq', '‖W‖²_F'],
  ['stable_rank', 'stable rank'],
  ['alphahat_hill', 'α̂ Hill'],
  ['num_spikes', 'spikes'],
  ['mp_bulk_max', 'MP edge'],
  ['mp_soft_rank', 'MP soft rank'],
  ['phase', 'phase'],
];

/** The metrics at every probed step, final step highlighted; columns nobody filled are left out. */
export function summaryTable(steps: readonly StepMetricsLike[], caption = 'Metrics at each probed step'): ReportTable {
  const sorted = [...steps].sort((a, b) => a.step - b.step);
  const columns = SUMMARY_COLUMNS.filter(([key]) => key === 'step' || sorted.some((s) => s[key] !== undefined));
  const rows = sorted.map((s) =>
    columns.map(([key]) => {
      const value = s[key];
      return typeof value === 'number' && !Number.isFinite(value) ? 'NaN' : (value ?? null);
    }),
  );
  return { caption, columns: columns.map(([, header]) => header), rows, highlightRows: rows.length > 0 ? [rows.length - 1] : [] };
}

/** Sections of a run page in reading order (names that have no spec are skipped by the page). */
const RUN_SECTIONS: { heading: string; text?: string; names: string[] }[] = [
  { heading: 'Training', names: ['loss', 'metrics'] },
  {
    heading: 'Spectrum of WᵀW',
    text: 'Eigenvalues λ of WᵀW (squared singular values of W, unnormalized).',
    names: ['esd_initial_final', 'esd_per_probe', 'esd_linear', 'singular_values'],
  },
  { heading: 'Alignment with the teacher', names: ['alignment_profile'] },
  { heading: 'Weights and update geometry', names: ['weights', 'overlaps', 'update_singular_values'] },
];

/** The one sentence next to the loss plot that says which read-out features the losses and KTA use. */
export function readoutSentence(config: Record<string, unknown>): string {
  return config['readout_features'] === 'paper'
    ? 'Losses and KTA use the read-out features of the paper\'s formula, tanh(XWᵀ/√d)/√h (readout_features: paper).'
    : 'Losses and KTA use the read-out features of the original code, tanh(XWᵀ/d)/√h, which reproduce the paper\'s plots (readout_features: reference; docs/training.md).';
}

/**
 * The run's page content for `reportHtml`. `name` (e.g. the config's name) titles the page as
 * "esdlab run: <name>"; it defaults to the config's `name` key.
 */
export function runReportPage(data: RunReportData, specs: Record<string, VegaLiteSpec>, name?: string): ReportPageInput {
  const config = (data.config ?? {}) as Record<string, unknown>;
  const diverged = divergenceStep(data);
  const final = [...data.steps].sort((a, b) => a.step - b.step).pop();
  const runRows: [string, string | number | null][] = [['status', data.status ?? (diverged === null ? 'done' : 'diverged')]];
  if (diverged !== null) runRows.push(['diverged at step', diverged]);
  if (final?.phase) runRows.push(['final phase', final.phase]);
  if (data.seed !== undefined) runRows.push(['seed', data.seed]);
  if (data.backend !== undefined) runRows.push(['backend', data.backend]);
  for (const [key, value] of Object.entries(data.timing ?? {})) if (typeof value === 'number') runRows.push([`timing: ${key}`, value]);
  const describe = [config['optimizer'], config['lr'] !== undefined ? `lr=${config['lr']}` : undefined]
    .concat(config['h'] !== undefined ? [`h=${config['h']}, d=${config['d']}, n=${config['n']}`] : [])
    .filter((x) => x !== undefined)
    .join(', ');
  return {
    title: (name ?? config['name']) ? `esdlab run: ${String(name ?? config['name'])}` : 'esdlab run',
    subtitle: `Two-layer student on a single-index teacher${describe ? ` (${describe})` : ''}; ${data.steps.length} probed step(s), ${data.probes.length} spectra.`,
    ...(diverged !== null ? { alert: `Diverged at step ${diverged}: a loss or weight became NaN/Inf; the metrics stop there.` } : {}),
    tables: [{ caption: 'Run', columns: ['', ''], rows: runRows }, summaryTable(data.steps), configTable(config)],
    sections: RUN_SECTIONS.map((s) => ({
      heading: s.heading,
      ...(s.heading === 'Training' ? { text: readoutSentence(config) } : s.text ? { text: s.text } : {}),
      figures: s.names.map((name) => ({ name, caption: RUN_PLOT_CAPTIONS[name] ?? '' })),
    })),
    specs,
    notes: [
      'Histograms are binned in esdlab (TypeScript); the figures receive bin counts, never raw eigenvalues or weights.',
      'The Marchenko-Pastur curve is fitted at step 0 (s² matched on the bulk median, spikes excluded; src/spectra).',
      'Figures are Vega-Lite specs drawn live by the inlined vega and vega-lite; the same specs rendered in Node are in plots/.',
    ],
  };
}
