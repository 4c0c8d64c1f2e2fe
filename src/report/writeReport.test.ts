import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext, Script } from 'node:vm';
import { reportHtml } from './reportHtml.js';
import { runPlotSpecs } from './runPlotSpecs.js';
import { runReportPage } from './runReportPage.js';
import { syntheticBulkLossesSweep, syntheticRun } from './syntheticReportData.js';
import { writePlots, writeRunReport, writeSweepReport } from './writeReport.js';

/** The text of every <script> element of a page, with its type attribute. */
function scripts(html: string): { type: string; id: string; text: string }[] {
  const out: { type: string; id: string; text: string }[] = [];
  for (const match of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
    const attributes = match[1]!;
    out.push({ type: /type="([^"]+)"/.exec(attributes)?.[1] ?? '', id: /id="([^"]+)"/.exec(attributes)?.[1] ?? '', text: match[2]! });
  }
  return out;
}

test('reportHtml embeds every spec as JSON and inlines vega and vega-lite, so the page works offline', () => {
  const data = syntheticRun({ divergeAtStep: 7, hasOverlaps: true });
  const specs = runPlotSpecs(data);
  const html = reportHtml(runReportPage(data, specs));
  const found = scripts(html);
  for (const [name, spec] of Object.entries(specs)) {
    const script = found.find((s) => s.id === `spec-${name}`);
    assert.ok(script, name);
    assert.equal(script.type, 'application/json');
    assert.deepEqual(JSON.parse(script.text), JSON.parse(JSON.stringify(spec)), name);
    assert.match(html, new RegExp(`data-spec="${name}"`));
  }
  assert.ok(found.some((s) => s.text.includes('vegaLite=') || s.text.includes('.vegaLite')), 'vega-lite bundle inlined');
  assert.doesNotMatch(html, /<script[^>]+src=/, 'no external scripts');
  assert.match(html, /Diverged at step 7/);
  assert.match(html, /<caption>Configuration<\/caption>/);
  assert.match(html, /α Hill/);
  assert.match(html, /Fig\. 2-style/);
});

test('the inlined bundles define vega and vegaLite globals that compile and draw an embedded spec', async () => {
  const data = syntheticRun();
  const specs = runPlotSpecs(data);
  const html = reportHtml(runReportPage(data, specs));
  const found = scripts(html).filter((s) => s.type === '');
  const context: Record<string, unknown> = {
    console: { log() {}, warn() {}, error() {} },
    setTimeout,
    clearTimeout,
    queueMicrotask,
    structuredClone,
    URL,
  };
  context['globalThis'] = context;
  context['self'] = context;
  // The first two plain scripts are the libraries; the third is the page's DOM code (only parsed here).
  assert.equal(found.length, 3);
  assert.doesNotThrow(() => new Script(found[2]!.text));
  runInNewContext(found[0]!.text, context);
  runInNewContext(found[1]!.text, context);
  const spec = JSON.parse(scripts(html).find((s) => s.id === 'spec-loss')!.text);
  context['spec'] = spec;
  const svg = await runInNewContext(
    'new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" }).toSVG()',
    context,
  );
  assert.match(svg as string, /Train and test loss/);
});

test('writeRunReport(dir, data) writes plots/<name>.svg and .png for every figure and report.html', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-report-'));
  try {
    const data = syntheticRun({ hasOverlaps: true });
    const { files, plotsMs, failures } = await writeRunReport(dir, data);
    assert.deepEqual(failures, []);
    const names = Object.keys(runPlotSpecs(data));
    assert.equal(files.length, 2 * names.length + 1);
    for (const name of names) {
      assert.ok(statSync(join(dir, 'plots', `${name}.svg`)).size > 1000, name);
      assert.ok(statSync(join(dir, 'plots', `${name}.png`)).size > 1000, name);
    }
    assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /plots\/loss\.png/);
    assert.ok(plotsMs > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writePlots keeps going when one figure cannot be drawn and names it in failures', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-plots-'));
  try {
    const good = runPlotSpecs(syntheticRun())['loss']!;
    const { files, failures } = await writePlots(dir, { good, bad: { mark: 'no-such-mark', data: { values: [] } } });
    assert.equal(files.length, 2);
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.name, 'bad');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeSweepReport(dir, data) writes the sweep figures and a report with the cell table', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-sweep-report-'));
  try {
    const { files } = await writeSweepReport(dir, syntheticBulkLossesSweep());
    assert.ok(files.some((f) => f.endsWith(join('plots', 'losses.png'))));
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.match(html, /Cells: runs by status/);
    assert.match(html, /1 run\(s\) diverged and 1 failed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writePlots draws the same bytes with the plot worker as without it, each SVG numbering its ids from 1', async () => {
  const data = syntheticRun({ hasOverlaps: true });
  // three copies of every figure, so that both threads get some whatever the machine's load
  const specs = Object.fromEntries(Object.entries(runPlotSpecs(data)).flatMap(([name, spec]) => [1, 2, 3].map((copy) => [`${name}_${copy}`, spec])));
  const withWorker = mkdtempSync(join(tmpdir(), 'esdlab-plots-worker-'));
  const alone = mkdtempSync(join(tmpdir(), 'esdlab-plots-alone-'));
  const viaWorker: string[] = [];
  try {
    // a worker that counts what it delivers, to prove it drew some of the figures
    const { startModuleWorker } = await import('../store/moduleWorker.js');
    const started = startModuleWorker(new URL('./writeReport.ts', import.meta.url).href, 'plotWorker', null);
    started.on('message', (message: { index?: number }) => message.index !== undefined && viaWorker.push(Object.keys(specs)[message.index]!));
    await new Promise((resolve) => started.once('message', resolve)); // { ready }: loaded and warmed up
    const worker = await writePlots(withWorker, specs, { worker: () => started });
    const here = await writePlots(alone, specs, { worker: false });
    assert.deepEqual(worker.failures, []);
    assert.deepEqual(worker.files.map((f) => f.slice(withWorker.length)), here.files.map((f) => f.slice(alone.length)), 'the same files, in the specs order');
    for (const file of here.files) {
      const name = file.slice(alone.length);
      assert.ok(readFileSync(join(withWorker, name)).equals(readFileSync(file)), `${name}: the same bytes`);
      if (name.endsWith('.svg') && readFileSync(file, 'utf8').includes('clip-path')) assert.match(readFileSync(file, 'utf8'), /id="clip1"/, `${name} numbers its clips from 1`);
    }
    assert.ok(viaWorker.length > 0, 'the worker drew some figures');
    assert.ok(viaWorker.length < Object.keys(specs).length, 'this thread drew some figures');
  } finally {
    rmSync(withWorker, { recursive: true, force: true });
    rmSync(alone, { recursive: true, force: true });
  }
});

test('writePlots draws everything itself when the plot worker fails, and reports a bad figure without losing the others', async () => {
  const data = syntheticRun();
  const specs = { ...runPlotSpecs(data), broken: { mark: 'no-such-mark' } as never };
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-plots-broken-'));
  try {
    const { Worker } = await import('node:worker_threads');
    // a worker that dies at once, before claiming anything
    const { files, failures } = await writePlots(dir, specs, { worker: () => new Worker('process.exit(3)', { eval: true }) });
    assert.deepEqual(failures.map((f) => f.name), ['broken']);
    assert.equal(files.length, 2 * (Object.keys(specs).length - 1));
    for (const file of files) assert.ok(statSync(file).size > 0, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
