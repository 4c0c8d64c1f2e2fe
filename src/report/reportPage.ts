/**
 * The report page as one self-contained HTML string: tables, and figures drawn live in the browser
 * from their Vega-Lite specs by the inlined vega and vega-lite bundles (works offline, from a file).
 * Pure: the library sources are passed in (see `reportHtml` for the Node version that reads them).
 */
import type { VegaLiteSpec } from './types.js';

/** A figure of a section: the spec's name (key in `specs`) and a caption. */
export interface ReportFigure {
  name: string;
  caption?: string;
}

/** A titled group of figures, with an optional paragraph. */
export interface ReportSection {
  heading: string;
  text?: string;
  figures: ReportFigure[];
}

/** A table; cells are shown as given (numbers with 4 significant digits, null as an empty cell). */
export interface ReportTable {
  caption?: string;
  columns: string[];
  rows: (string | number | boolean | null | undefined)[][];
  /** Rows to emphasize (e.g. the final step), by index. */
  highlightRows?: number[];
}

/** Everything on the page. */
export interface ReportPageInput {
  title: string;
  subtitle?: string;
  /** A warning shown in red under the title (e.g. "diverged at step 3"). */
  alert?: string;
  tables?: ReportTable[];
  sections: ReportSection[];
  specs: Record<string, VegaLiteSpec>;
  /** Folder of the pre-rendered plots relative to the page, for the SVG/PNG links (default `plots`; null: no links). */
  plotsDir?: string | null;
  /** Short notes at the bottom (method choices, caveats). */
  notes?: string[];
}

/** The browser bundles to inline: the UMD builds of vega and vega-lite. */
export interface BrowserLibraries {
  vega: string;
  vegaLite: string;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`, no line separators). */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** JavaScript source made safe inside a <script> element. */
function scriptSafeSource(source: string): string {
  return source.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
}

/** A table cell's text. */
export function formatCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
    if (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3) return value.toExponential(3);
    // toPrecision would switch to exponent notation from 1e4 on; show those as rounded integers.
    return Math.abs(value) >= 1e3 ? String(Math.round(value)) : value.toPrecision(4);
  }
  return String(value);
}

function tableHtml(table: ReportTable): string {
  // A key/value table without headers (all empty) gets no header row, rather than an empty grey bar.
  const hasHead = table.columns.some((c) => c !== '');
  const head = hasHead ? `<thead><tr>${table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>` : '';
  const body = table.rows
    .map((row, index) => {
      const cells = row.map((cell) => `<td${typeof cell === 'number' ? ' class="num"' : ''}>${escapeHtml(formatCell(cell))}</td>`).join('');
      return `<tr${table.highlightRows?.includes(index) ? ' class="highlight"' : ''}>${cells}</tr>`;
    })
    .join('\n');
  const caption = table.caption ? `<caption>${escapeHtml(table.caption)}</caption>` : '';
  return `<div class="table-wrap"><table>${caption}${head}<tbody>\n${body}\n</tbody></table></div>`;
}

function figureHtml(figure: ReportFigure, plotsDir: string | null): string {
  const id = escapeHtml(figure.name);
  const links =
    plotsDir === null
      ? ''
      : ` <a href="${escapeHtml(`${plotsDir}/${figure.name}.svg`)}">SVG</a> · <a href="${escapeHtml(`${plotsDir}/${figure.name}.png`)}">PNG</a> ·`;
  return `<figure id="fig-${id}">
<div class="vega" data-spec="${id}"><p class="loading">Rendering ${id}…</p></div>
<figcaption><span class="name">${id}</span> ${escapeHtml(figure.caption ?? '')}${links} <a href="#" class="show-spec" data-spec="${id}">spec</a></figcaption>
<pre class="spec" hidden></pre>
</figure>`;
}

const STYLE = `
body{font-family:"DejaVu Sans",system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1400px;padding:16px 24px;color:#222}
h1{margin:0 0 4px;font-size:24px}h2{margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px;font-size:19px}
.subtitle{color:#555;margin:0 0 8px}.alert{color:#fff;background:#c0392b;padding:6px 10px;border-radius:4px;display:inline-block;font-weight:bold}
.table-wrap{overflow-x:auto;margin:12px 0}table{border-collapse:collapse;font-size:13px}caption{text-align:left;font-weight:bold;padding:4px 0}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;white-space:nowrap}th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.highlight td{background:#fff6e0;font-weight:bold}
figure{margin:20px 0;padding:8px;border:1px solid #eee;border-radius:4px}.vega{overflow-x:auto}figcaption{font-size:13px;color:#444;margin-top:6px}
figcaption .name{font-family:monospace;background:#f4f4f4;padding:1px 4px}.loading{color:#999}.error{color:#c0392b}
pre.spec{max-height:320px;overflow:auto;background:#f8f8f8;font-size:11px;padding:8px}footer{margin-top:32px;font-size:12px;color:#666}
`;

// Runs in the browser: compile each spec with vega-lite and render it with vega into its <div>.
const RENDER_SCRIPT = `
(function () {
  function specOf(name) { return JSON.parse(document.getElementById('spec-' + name).textContent); }
  document.querySelectorAll('div.vega[data-spec]').forEach(function (el) {
    var name = el.getAttribute('data-spec');
    try {
      var compiled = vegaLite.compile(specOf(name)).spec;
      var view = new vega.View(vega.parse(compiled), { renderer: 'svg', container: el, hover: true });
      view.runAsync().then(function () { var p = el.querySelector('.loading'); if (p) p.remove(); })
        .catch(function (e) { el.innerHTML = '<p class="error">Could not render ' + name + ': ' + e.message + '</p>'; });
    } catch (e) {
      el.innerHTML = '<p class="error">Could not render ' + name + ': ' + e.message + '</p>';
    }
  });
  document.querySelectorAll('a.show-spec').forEach(function (a) {
    a.addEventListener('click', function (event) {
      event.preventDefault();
      var pre = a.closest('figure').querySelector('pre.spec');
      if (!pre.textContent) pre.textContent = JSON.stringify(specOf(a.getAttribute('data-spec')), null, 2);
      pre.hidden = !pre.hidden;
    });
  });
})();
`;

/**
 * The complete report page. Every spec of `specs` that a section names is embedded as JSON and
 * drawn live; specs not named by any section are appended in an "Other figures" section.
 */
export function reportPageHtml(input: ReportPageInput, libraries: BrowserLibraries): string {
  const plotsDir = input.plotsDir === undefined ? 'plots' : input.plotsDir;
  const named = new Set(input.sections.flatMap((s) => s.figures.map((f) => f.name)));
  const sections = input.sections
    .map((s) => ({ ...s, figures: s.figures.filter((f) => input.specs[f.name] !== undefined) }))
    .filter((s) => s.figures.length > 0);
  const others = Object.keys(input.specs).filter((name) => !named.has(name));
  if (others.length > 0) sections.push({ heading: 'Other figures', figures: others.map((name) => ({ name })) });
  const specScripts = Object.entries(input.specs)
    .map(([name, spec]) => `<script type="application/json" id="spec-${escapeHtml(name)}">${scriptSafeJson(spec)}</script>`)
    .join('\n');
  const sectionsHtml = sections
    .map(
      (s) =>
        `<section><h2>${escapeHtml(s.heading)}</h2>${s.text ? `<p>${escapeHtml(s.text)}</p>` : ''}\n${s.figures.map((f) => figureHtml(f, plotsDir)).join('\n')}</section>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(input.title)}</h1>
${input.subtitle ? `<p class="subtitle">${escapeHtml(input.subtitle)}</p>` : ''}
${input.alert ? `<p class="alert">${escapeHtml(input.alert)}</p>` : ''}
</header>
<noscript><p class="error">The figures are drawn with JavaScript; without it, open the files in ${escapeHtml(plotsDir ?? 'the plots folder')}.</p></noscript>
${(input.tables ?? []).map(tableHtml).join('\n')}
${sectionsHtml}
${input.notes && input.notes.length > 0 ? `<footer><ul>${input.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></footer>` : ''}
${specScripts}
<script>/* vega (BSD-3-Clause) */
${scriptSafeSource(libraries.vega)}</script>
<script>/* vega-lite (BSD-3-Clause) */
${scriptSafeSource(libraries.vegaLite)}</script>
<script>${RENDER_SCRIPT}</script>
</body>
</html>
`;
}
