/**
 * The report pages in a real browser: headless Chromium loads report.html from a file (no network),
 * runs the inlined vega/vega-lite bundles and the page script, and dumps the resulting DOM. Every
 * figure must then hold a drawn <svg>, with no error text and no console message. Needs the Debian
 * package `chromium` (/usr/bin/chromium); without it the tests skip on a laptop and fail in CI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireTool } from '../testing/oracle.js';
import { reportHtml } from './reportHtml.js';
import { runPlotSpecs } from './runPlotSpecs.js';
import { runReportPage } from './runReportPage.js';
import { sweepReportPage } from './sweepReportPage.js';
import { sweepPlotSpecs } from './sweepSpecs.js';
import { syntheticBulkLossesSweep, syntheticBulkLrSweep, syntheticRun } from './syntheticReportData.js';

/** A Chromium binary that starts (`CHROMIUM` overrides the search), or null. */
function findChromium(): string | null {
  const candidates = [process.env['CHROMIUM'], '/usr/bin/chromium', 'chromium', 'chromium-browser'].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    const r = spawnSync(candidate, ['--version'], { encoding: 'utf8', timeout: 20_000 });
    if (r.status === 0 && /chrom/i.test(r.stdout)) return candidate;
  }
  return null;
}

const chromium = findChromium();

/** The DOM after the page's scripts ran, and the page's console messages. */
interface LoadedPage {
  dom: string;
  consoleMessages: string[];
}

/**
 * Loads `htmlPath` in headless Chromium and returns the DOM once the page is idle. The flags keep
 * a root, offline container quiet: no sandbox (root), no GPU, no network services, a fresh profile.
 * `--virtual-time-budget` lets the asynchronous vega rendering finish before the dump.
 */
function loadPage(browser: string, htmlPath: string): Promise<LoadedPage> {
  const profile = mkdtempSync(join(tmpdir(), 'esdlab-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--enable-logging=stderr',
    '--v=0',
    '--log-level=0',
    '--virtual-time-budget=10000',
    '--dump-dom',
    pathToFileURL(htmlPath).href,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(browser, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      if (code !== 0 || !stdout.includes('</html>')) {
        reject(new Error(`chromium exited with ${code}; stderr tail: ${stderr.slice(-2000)}`));
        return;
      }
      // Console output of the page is logged as `[...:INFO:CONSOLE:<line>] "message", source: <url> (<line>)`.
      const consoleMessages = stderr.split('\n').filter((line) => /:CONSOLE[:(\]]/.test(line));
      resolve({ dom: stdout, consoleMessages });
    });
  });
}

/** Each figure of a dumped page: its spec name and the HTML of its <figure>. */
function figuresOf(dom: string): { name: string; html: string }[] {
  return [...dom.matchAll(/<figure id="fig-([^"]+)">([\s\S]*?)<\/figure>/g)].map((m) => ({ name: m[1]!, html: m[2]! }));
}

/** Problems of one drawn figure: no SVG/canvas with marks, a leftover "Rendering…", or an error. */
function figureProblems(figure: { name: string; html: string }): string[] {
  const problems: string[] = [];
  const container = /<div class="vega" data-spec="[^"]+"[^>]*>([\s\S]*?)<figcaption>/.exec(figure.html)?.[1] ?? '';
  if (!/<svg[\s\S]*class="[^"]*mark-/.test(container) && !/<canvas/.test(container)) problems.push(`${figure.name}: no drawn <svg> or <canvas>`);
  if (/class="loading"/.test(container)) problems.push(`${figure.name}: still shows "Rendering…"`);
  const error = /<p class="error">([\s\S]*?)<\/p>/.exec(container);
  if (error) problems.push(`${figure.name}: ${error[1]}`);
  return problems;
}

/** Writes each page into one temp folder and loads them all in Chromium (in parallel). */
async function loadPages(browser: string, pages: Record<string, string>): Promise<Record<string, LoadedPage>> {
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-browser-'));
  try {
    const names = Object.keys(pages);
    const loaded = await Promise.all(
      names.map((name) => {
        const path = join(dir, `${name}.html`);
        writeFileSync(path, pages[name]!);
        return loadPage(browser, path);
      }),
    );
    return Object.fromEntries(names.map((name, i) => [name, loaded[i]!]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('report.html of a run and of sweeps draws every figure in headless Chromium, without errors or console messages', async (t) => {
  if (!requireTool(t, chromium !== null, 'chromium (Debian package chromium)')) return;
  const run = syntheticRun({ hasOverlaps: true, divergeAtStep: 7 });
  const runSpecs = runPlotSpecs(run);
  const lrSweep = syntheticBulkLrSweep();
  const lossesSweep = syntheticBulkLossesSweep();
  const lrSpecs = sweepPlotSpecs(lrSweep);
  const lossesSpecs = sweepPlotSpecs(lossesSweep);
  const expected: Record<string, string[]> = { run: Object.keys(runSpecs), lr: Object.keys(lrSpecs), losses: Object.keys(lossesSpecs) };
  const loaded = await loadPages(chromium!, {
    run: reportHtml(runReportPage(run, runSpecs)),
    lr: reportHtml(sweepReportPage(lrSweep, lrSpecs)),
    losses: reportHtml(sweepReportPage(lossesSweep, lossesSpecs)),
  });
  for (const [page, { dom, consoleMessages }] of Object.entries(loaded)) {
    const figures = figuresOf(dom);
    assert.deepEqual(figures.map((f) => f.name).sort(), [...expected[page]!].sort(), `${page}: one figure per spec`);
    assert.deepEqual(figures.flatMap(figureProblems), [], `${page}: every figure drawn`);
    assert.deepEqual(consoleMessages, [], `${page}: console`);
  }
  assert.match(loaded['run']!.dom, /Diverged at step 7/);
  assert.match(loaded['lr']!.dom, /Cells: runs by status/);
});

test('in headless Chromium, a figure whose spec cannot be compiled shows an error while the others still draw', async (t) => {
  if (!requireTool(t, chromium !== null, 'chromium (Debian package chromium)')) return;
  const good = runPlotSpecs(syntheticRun())['loss']!;
  const html = reportHtml({
    title: 'one bad figure',
    sections: [{ heading: 'Figures', figures: [{ name: 'good' }, { name: 'bad' }] }],
    specs: { good, bad: { mark: 'no-such-mark', data: { values: [] } } },
  });
  const { dom } = (await loadPages(chromium!, { page: html }))['page']!;
  const problems = figuresOf(dom).flatMap(figureProblems);
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.ok(problems.every((p) => p.startsWith('bad: ')), problems.join('\n'));
  assert.ok(problems.some((p) => /Could not render bad/.test(p)), problems.join('\n'));
});

test('the analyze report.html draws every figure (alpha vs depth, histogram, phases, per-layer ESDs, comparison) in headless Chromium', async (t) => {
  if (!requireTool(t, chromium !== null, 'chromium (Debian package chromium)')) return;
  const { analyzeReportHtml } = await import('./writeAnalyzeReport.js');
  const { syntheticAnalyzeReportInput } = await import('./testing/analyzeReportInput.js');
  const input = syntheticAnalyzeReportInput();
  const { dom, consoleMessages } = (await loadPages(chromium!, { page: analyzeReportHtml(input) }))['page']!;
  const figures = figuresOf(dom);
  assert.deepEqual(figures.map((f) => f.name).sort(), ['alpha_depth', 'alpha_histogram', 'compare_alpha', 'esd_0', 'esd_1', 'esd_2', 'phases']);
  assert.deepEqual(figures.flatMap(figureProblems), []);
  assert.deepEqual(consoleMessages, []);
  assert.match(dom, /sort by this column/);
});
