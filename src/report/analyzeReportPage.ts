/**
 * The page of `esdlab analyze --report DIR`: the whole model at a glance. Pure: turns the analyze
 * JSON records (src/io/analyzeJson.ts keys) and each layer's log10 ESD histogram into a
 * {@link ReportPageInput}: a sortable per-layer table, alpha (Hill and MLE-KS) against depth colored
 * by layer type, the histogram of alphas, the phase of each layer, model-level summaries, each
 * layer's ESD with its power-law fit, xmin and MP bulk edge, and optionally a second checkpoint side
 * by side (--compare) and the allocated sparsities (--allocate-sparsity).
 */
import type { HistogramRow } from './histogram.js';
import type { ReportPageInput, ReportSection, ReportTable } from './reportPage.js';
import type { VegaLiteSpec } from './types.js';

/** One analyzed layer as the JSON record, plus its log10-eigenvalue histogram. */
export interface AnalyzeReportLayer {
  readonly record: Readonly<Record<string, unknown>>;
  readonly histogram?: readonly HistogramRow[];
}

/** Everything the page shows. */
export interface AnalyzeReportInput {
  readonly title: string;
  readonly layers: readonly AnalyzeReportLayer[];
  readonly summary: Readonly<Record<string, unknown>>;
  /** The second checkpoint of --compare, with its label, and the first's label. */
  readonly compare?: { readonly labelA: string; readonly labelB: string; readonly layersB: readonly AnalyzeReportLayer[] };
  readonly sparsity?: readonly { readonly name: string; readonly alpha: number; readonly sparsity: number }[];
  /** Most per-layer ESD figures drawn (the table lists every layer). Default 64. */
  readonly maxEsdFigures?: number;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** The layer type a name suggests, for coloring: attention, MLP, conv, embedding, norm, other. */
export function layerType(name: string): string {
  const n = name.toLowerCase();
  if (/(attn|attention|q_proj|k_proj|v_proj|o_proj|query|key|value|qkv|self_attn)/.test(n)) return 'attention';
  if (/(mlp|ffn|fc\d|fc_|dense|gate_proj|up_proj|down_proj|intermediate|feed_forward|linear)/.test(n)) return 'mlp / dense';
  if (/conv/.test(n)) return 'conv';
  if (/(embed|wte|wpe|tok_embeddings|lm_head|output\.weight)/.test(n)) return 'embedding / head';
  return 'other';
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function mean(values: (number | null)[]): number | null {
  const finite = values.filter((v): v is number => v !== null);
  return finite.length > 0 ? finite.reduce((a, b) => a + b, 0) / finite.length : null;
}

const TABLE_COLUMNS: [string, string][] = [
  ['name', 'layer'],
  ['shape', 'shape'],
  ['alpha_hill', 'α Hill'],
  ['alpha_mle_ks', 'α MLE-KS'],
  ['xmin_mle', 'xmin'],
  ['ks_d_mle', 'KS D'],
  ['num_spikes', 'spikes'],
  ['mp_bulk_max', 'MP edge'],
  ['stable_rank', 'stable rank'],
  ['log_norm', 'log_norm'],
  ['log10_spectral_norm', 'log10 λmax'],
  ['alpha_weighted', 'α weighted'],
  ['phase', 'phase'],
  ['correlation_trap', 'correlation trap'],
  ['error', 'error'],
];

function layerTable(layers: readonly AnalyzeReportLayer[]): ReportTable {
  const columns = TABLE_COLUMNS.filter(([key]) => key === 'name' || layers.some((l) => l.record[key] !== undefined && l.record[key] !== null));
  return {
    caption: 'Per-layer metrics (click a header to sort)',
    columns: columns.map(([, header]) => header),
    rows: layers.map((l) => columns.map(([key]) => (key === 'shape' ? (l.record.shape as number[]).join('×') : (l.record[key] as string | number | boolean | null | undefined)))),
    highlightRows: layers.flatMap((l, k) => (l.record.correlation_trap === true ? [k] : [])),
  };
}

function summaryTable(layers: readonly AnalyzeReportLayer[], summary: Readonly<Record<string, unknown>>): ReportTable {
  const column = (key: string) => layers.map((l) => num(l.record[key]));
  const traps = layers.filter((l) => l.record.correlation_trap === true).length;
  const hasRandomized = layers.some((l) => l.record.correlation_trap !== undefined);
  return {
    caption: 'Model-level summary (means over analyzed layers)',
    columns: ['metric', 'value'],
    rows: [
      ['layers analyzed', num(summary.num_analyzed)],
      ['layers failed', num(summary.num_failed)],
      ['tensors skipped', num(summary.num_skipped)],
      ['mean α Hill', mean(column('alpha_hill'))],
      ['median α Hill', num(summary.alpha_hill_median)],
      ['mean α MLE-KS', mean(column('alpha_mle_ks'))],
      ['mean α weighted (α log10 λmax)', mean(column('alpha_weighted'))],
      ['mean log_norm (log10 ‖W‖²_F)', mean(column('log_norm'))],
      ['mean log10 spectral norm (log10 λmax)', mean(column('log10_spectral_norm'))],
      ['mean log α-norm', mean(column('log_alpha_norm'))],
      ['mean stable rank', mean(column('stable_rank'))],
      ['layers with a correlation trap', hasRandomized ? traps : 'run with --randomize'],
      ['phases', Object.entries((summary.phases as Record<string, number>) ?? {}).map(([p, n]) => `${p}: ${n}`).join(', ')],
    ],
  };
}

function alphaRows(layers: readonly AnalyzeReportLayer[], checkpoint?: string) {
  return layers.flatMap((l, depth) =>
    (['alpha_hill', 'alpha_mle_ks'] as const).flatMap((key) => {
      const alpha = num(l.record[key]);
      if (alpha === null) return [];
      return [{ depth, layer: String(l.record.name), type: layerType(String(l.record.name)), fit: key === 'alpha_hill' ? 'Hill' : 'MLE-KS', alpha, phase: l.record.phase, ...(checkpoint ? { checkpoint } : {}) }];
    }),
  );
}

function alphaDepthSpec(layers: readonly AnalyzeReportLayer[]): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title: 'α against layer depth',
    width: 640,
    height: 260,
    data: { values: alphaRows(layers) },
    mark: { type: 'point', filled: true, size: 45 },
    encoding: {
      x: { field: 'depth', type: 'quantitative', title: 'layer index (file order)' },
      y: { field: 'alpha', type: 'quantitative', title: 'α', scale: { zero: false } },
      color: { field: 'type', type: 'nominal', title: 'layer type' },
      shape: { field: 'fit', type: 'nominal', title: 'fit' },
      tooltip: [{ field: 'layer' }, { field: 'fit' }, { field: 'alpha', format: '.3f' }, { field: 'phase' }],
    },
  };
}

function alphaHistogramSpec(layers: readonly AnalyzeReportLayer[]): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title: 'Histogram of α over layers',
    width: 640,
    height: 200,
    data: { values: alphaRows(layers) },
    mark: { type: 'bar', opacity: 0.7 },
    encoding: {
      x: { field: 'alpha', type: 'quantitative', bin: { maxbins: 30 }, title: 'α' },
      y: { aggregate: 'count', type: 'quantitative', title: 'layers', stack: null },
      color: { field: 'fit', type: 'nominal', title: 'fit' },
    },
  };
}

function phaseSpec(layers: readonly AnalyzeReportLayer[]): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title: 'Phase of each layer',
    width: 640,
    height: 160,
    data: { values: layers.flatMap((l, depth) => (l.record.phase ? [{ depth, layer: l.record.name, phase: l.record.phase, trap: l.record.correlation_trap === true ? 'correlation trap' : 'no trap flagged' }] : [])) },
    mark: { type: 'tick', thickness: 3 },
    encoding: {
      x: { field: 'depth', type: 'quantitative', title: 'layer index' },
      y: { field: 'phase', type: 'nominal', title: null, sort: ['random_like', 'bleeding_out', 'bulk_plus_spikes', 'bulk_decay', 'heavy_tailed', 'rank_collapse'] },
      color: { field: 'trap', type: 'nominal', title: null, scale: { domain: ['no trap flagged', 'correlation trap'], range: ['#4c78a8', '#e45756'] } },
      tooltip: [{ field: 'layer' }, { field: 'phase' }, { field: 'trap' }],
    },
  };
}

/**
 * A layer's ESD: the density of log10 λ, the MP bulk edge and xmin as rules, and the fitted power
 * law drawn on the tail. If λ ≥ xmin holds a fraction f of the eigenvalues with density
 * (α-1)/xmin (λ/xmin)^-α, then log10 λ has density f (α-1) ln10 (λ/xmin)^(1-α) there.
 */
export function layerEsdSpec(layer: AnalyzeReportLayer): VegaLiteSpec | null {
  const rows = layer.histogram;
  if (!rows || rows.length === 0) return null;
  const r = layer.record;
  const values: Record<string, unknown>[] = rows.map((row) => ({ kind: 'bin', ...row }));
  const alpha = num(r.alpha_mle_ks);
  const xmin = num(r.xmin_mle);
  const numTail = num(r.n_tail_mle);
  const numEigs = num(r.n_eigs);
  if (alpha !== null && xmin !== null && xmin > 0 && numTail !== null && numEigs) {
    const start = Math.log10(xmin);
    const end = rows[rows.length - 1]!.binEnd;
    for (let k = 0; k <= 40; k++) {
      const x = start + ((end - start) * k) / 40;
      values.push({ kind: 'fit', x, fit: (numTail / numEigs) * (alpha - 1) * Math.LN10 * Math.pow(10, (x - start) * (1 - alpha)) });
    }
  }
  for (const [kind, value] of [['MP bulk edge', num(r.mp_bulk_max)], ['xmin (MLE-KS)', xmin]] as const) {
    if (value !== null && value > 0) values.push({ kind: 'marker', label: kind, marker: Math.log10(value) });
  }
  return {
    $schema: SCHEMA,
    title: { text: `ESD of ${String(r.name)}`, subtitle: `α Hill ${fmt(r.alpha_hill)}, α MLE-KS ${fmt(alpha)}, phase ${String(r.phase ?? '-')}` },
    width: 300,
    height: 170,
    data: { values },
    layer: [
      { transform: [{ filter: "datum.kind === 'bin'" }], mark: { type: 'rect', color: '#4c78a8', opacity: 0.8 }, encoding: { x: { field: 'binStart', type: 'quantitative', title: 'log10 λ' }, x2: { field: 'binEnd' }, y: { field: 'density', type: 'quantitative', title: 'density' } } },
      { transform: [{ filter: "datum.kind === 'fit'" }], mark: { type: 'line', color: '#f58518', strokeWidth: 2 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'fit', type: 'quantitative' } } },
      {
        transform: [{ filter: "datum.kind === 'marker'" }],
        mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { x: { field: 'marker', type: 'quantitative' }, color: { field: 'label', type: 'nominal', title: null, scale: { domain: ['MP bulk edge', 'xmin (MLE-KS)'], range: ['#e45756', '#54a24b'] }, legend: { orient: 'bottom' } } },
      },
    ],
  };
}

function fmt(v: unknown): string {
  const n = num(v);
  return n === null ? '-' : n.toFixed(3);
}

function compareParts(input: AnalyzeReportInput): { table: ReportTable; spec: VegaLiteSpec } | null {
  if (!input.compare) return null;
  const { labelA, labelB, layersB } = input.compare;
  const byName = new Map(layersB.map((l) => [String(l.record.name), l]));
  const rows = input.layers.map((a) => {
    const b = byName.get(String(a.record.name));
    const alphaA = num(a.record.alpha_hill);
    const alphaB = b ? num(b.record.alpha_hill) : null;
    return [String(a.record.name), alphaA, alphaB, alphaA !== null && alphaB !== null ? alphaB - alphaA : null, num(a.record.alpha_mle_ks), b ? num(b.record.alpha_mle_ks) : null, String(a.record.phase ?? '-'), b ? String(b.record.phase ?? '-') : 'missing'];
  });
  return {
    table: { caption: `Per-layer comparison: ${labelA} (A) and ${labelB} (B)`, columns: ['layer', 'α Hill A', 'α Hill B', 'Δ α Hill', 'α MLE-KS A', 'α MLE-KS B', 'phase A', 'phase B'], rows },
    spec: {
      $schema: SCHEMA,
      title: `α Hill against depth: ${labelA} and ${labelB}`,
      width: 640,
      height: 240,
      data: { values: [...alphaRows(input.layers, labelA), ...alphaRows(layersB, labelB)].filter((r) => r.fit === 'Hill') },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'depth', type: 'quantitative', title: 'layer index' },
        y: { field: 'alpha', type: 'quantitative', title: 'α Hill', scale: { zero: false } },
        color: { field: 'checkpoint', type: 'nominal', title: null },
        tooltip: [{ field: 'layer' }, { field: 'checkpoint' }, { field: 'alpha', format: '.3f' }],
      },
    },
  };
}

/** The analyze report page. */
export function analyzeReportPage(input: AnalyzeReportInput): ReportPageInput {
  const specs: Record<string, VegaLiteSpec> = {
    alpha_depth: alphaDepthSpec(input.layers),
    alpha_histogram: alphaHistogramSpec(input.layers),
    phases: phaseSpec(input.layers),
  };
  const sections: ReportSection[] = [
    { heading: 'α across the model', text: 'Hill (xmin at the median eigenvalue) and MLE-KS (xmin by the KS distance) tail exponents of each layer’s ESD. α below 2 is very heavy-tailed, 2-4 is the well-trained range of HT-SR, above 6 is bulk-like.', figures: [{ name: 'alpha_depth' }, { name: 'alpha_histogram' }] },
    { heading: 'Phases', text: 'The phase label of each layer (docs/spectra.md); red marks a correlation trap (a spike in the ESD of the shuffled W, with --randomize).', figures: [{ name: 'phases' }] },
  ];
  const tables: ReportTable[] = [summaryTable(input.layers, input.summary)];
  const compare = compareParts(input);
  if (compare) {
    specs.compare_alpha = compare.spec;
    sections.push({ heading: 'Comparison', figures: [{ name: 'compare_alpha' }] });
    tables.push(compare.table);
  }
  if (input.sparsity) {
    tables.push({ caption: 'Allocated sparsity (AlphaPruning, Lu et al., NeurIPS 2024)', columns: ['layer', 'α Hill', 'sparsity'], rows: input.sparsity.map((s) => [s.name, s.alpha, s.sparsity]) });
  }
  tables.push(layerTable(input.layers));
  const esdFigures = input.layers.slice(0, input.maxEsdFigures ?? 64).flatMap((layer, k) => {
    const spec = layerEsdSpec(layer);
    if (!spec) return [];
    specs[`esd_${k}`] = spec;
    return [{ name: `esd_${k}` }];
  });
  if (esdFigures.length > 0) sections.push({ heading: 'Each layer’s ESD', text: 'Density of log10 λ with the fitted power law on its tail (orange), xmin and the Marchenko-Pastur bulk edge.', figures: esdFigures });
  return {
    title: input.title,
    subtitle: `${input.layers.length} layers`,
    tables,
    sections,
    specs,
    plotsDir: null,
    notes: ['Metrics are those of esdlab analyze --json (docs/analyze.md); log_norm is WeightWatcher’s log10 ‖W‖²_F.'],
  };
}
