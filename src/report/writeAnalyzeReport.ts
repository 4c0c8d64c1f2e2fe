/**
 * Writes `report.html` of `esdlab analyze --report DIR`: the page of analyzeReportPage.ts, offline
 * (vega and vega-lite inlined), with a small script that sorts the per-layer table by a clicked
 * header (numbers numerically, text alphabetically; a second click reverses).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeReportPage, type AnalyzeReportInput } from './analyzeReportPage.js';
import { reportHtml } from './reportHtml.js';

/** Makes every table on the page sortable by clicking a column header. */
export const SORTABLE_TABLES_SCRIPT = `<script>
(function () {
  document.querySelectorAll('table').forEach(function (table) {
    var head = table.querySelector('thead tr') || table.querySelector('tr');
    var body = table.querySelector('tbody');
    if (!head || !body) return;
    Array.prototype.forEach.call(head.children, function (th, column) {
      th.style.cursor = 'pointer';
      th.title = 'sort by this column';
      th.addEventListener('click', function () {
        var ascending = th.getAttribute('data-sorted') !== 'asc';
        Array.prototype.forEach.call(head.children, function (other) { other.removeAttribute('data-sorted'); });
        th.setAttribute('data-sorted', ascending ? 'asc' : 'desc');
        var rows = Array.prototype.slice.call(body.querySelectorAll('tr'));
        function key(row) { var cell = row.children[column]; var text = cell ? cell.textContent.trim() : ''; var n = parseFloat(text); return isNaN(n) || !/^[-+0-9.eE]+$/.test(text) ? text : n; }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (typeof x === 'number' && typeof y === 'number') return ascending ? x - y : y - x;
          if (typeof x === 'number') return -1;
          if (typeof y === 'number') return 1;
          return ascending ? String(x).localeCompare(String(y)) : String(y).localeCompare(String(x));
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
</script>`;

/** The page's HTML: analyzeReportPage(input) with vega inlined and sortable tables. */
export function analyzeReportHtml(input: AnalyzeReportInput): string {
  const html = reportHtml(analyzeReportPage(input));
  const at = html.lastIndexOf('</body>');
  return at < 0 ? html + SORTABLE_TABLES_SCRIPT : `${html.slice(0, at)}${SORTABLE_TABLES_SCRIPT}\n${html.slice(at)}`;
}

/** Writes `dir/report.html` (creating dir) and returns its path. */
export async function writeAnalyzeReport(dir: string, input: AnalyzeReportInput): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'report.html');
  await writeFile(path, analyzeReportHtml(input));
  return path;
}
