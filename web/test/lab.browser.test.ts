/**
 * The web lab in a real browser: Playwright (playwright-core, no browser download) drives Debian's
 * /usr/bin/chromium against the static build in dist/lab/, served by scripts/staticServer.mjs on a
 * free loopback port. A small config with run=1 must finish with the same metrics as
 * `esdlab run --backend wasm` (1e-4 relative), on both the cross-origin-isolated page (worker
 * threads) and a plain one (the single-thread build); the URL must round-trip the config; a bad
 * value must be refused inline with the CLI's message; and the screenshot must not be blank. Stop
 * and Resume must end with exactly an uninterrupted run's metrics, a pinned run must be a second
 * series of every metric view, and each view must export as a valid SVG and a non-blank PNG.
 * Without chromium the tests skip on a laptop and fail in CI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium as playwright, type BrowserContext, type Page } from 'playwright-core';
import { stringify } from 'yaml';
import { requireTool } from '../../src/testing/oracle.js';
import { startStaticServer } from '../../scripts/staticServer.mjs';
import { queryFromConfig, PRESETS, rawConfig, type FlatConfig } from '../src/labConfig.js';

const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The small preset with fewer steps: a few seconds in the page. */
const SMALL: FlatConfig = { ...PRESETS['small and fast']!, num_epochs: 6, probe_freq_steps: 3, seed: 7 };

let browser: BrowserContext | undefined;
let profile = '';
let isolated: Awaited<ReturnType<typeof startStaticServer>> | undefined;
let plain: Awaited<ReturnType<typeof startStaticServer>> | undefined;

before(async () => {
  if (!hasChromium) return;
  const build = spawnSync(process.execPath, ['scripts/build-lab.mjs'], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  isolated = await startStaticServer('dist/lab', { isolated: true });
  plain = await startStaticServer('dist/lab', { isolated: false });
  profile = mkdtempSync(join(tmpdir(), 'esdlab-lab-chromium-'));
  // a fresh user-data-dir (Playwright passes it as --user-data-dir)
  browser = await playwright.launchPersistentContext(profile, { executablePath: CHROMIUM, args: LAUNCH_ARGS, headless: true, acceptDownloads: true, viewport: { width: 1400, height: 1600 } });
});

after(async () => {
  await browser?.close();
  await isolated?.close();
  await plain?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (cliRunDirectory) rmSync(join(cliRunDirectory, '..'), { recursive: true, force: true });
});

/** Opens the lab at `query` and collects page errors. */
async function open(base: string, query: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${base}?${query}`);
  return { page, errors };
}

async function waitForEnd(page: Page): Promise<string> {
  await page.waitForFunction(() => {
    const s = (window as unknown as { esdlab?: { status(): string } }).esdlab?.status();
    return s === 'done' || s === 'diverged' || s === 'error';
  }, undefined, { timeout: 240_000 });
  return page.evaluate(() => (window as unknown as { esdlab: { status(): string; error(): string } }).esdlab.status() + ' ' + (window as unknown as { esdlab: { error(): string } }).esdlab.error());
}

/** The run folder of `esdlab run --backend wasm` on SMALL (from the sources, through tsx), made once. */
let cliRunDirectory = '';
function cliRun(): string {
  if (cliRunDirectory) return cliRunDirectory;
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-lab-cli-'));
  writeFileSync(join(dir, 'config.yml'), stringify(rawConfig(SMALL)));
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', join(dir, 'config.yml'), '--backend', 'wasm', '--out', join(dir, 'run')], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(result.status, 0, result.stderr);
  cliRunDirectory = join(dir, 'run');
  return cliRunDirectory;
}

function cliMetrics(): { steps: Record<string, unknown>[] } {
  return JSON.parse(readFileSync(join(cliRun(), 'metrics.json'), 'utf8'));
}

/** Every numeric metric equal to 1e-4 relative (absolute below 1e-6), every string equal. */
function assertSameMetrics(lab: Record<string, unknown>[], cli: Record<string, unknown>[]): void {
  assert.equal(lab.length, cli.length);
  for (let i = 0; i < cli.length; i++) {
    for (const [key, expected] of Object.entries(cli[i]!)) {
      const actual = lab[i]![key];
      if (typeof expected === 'number' && typeof actual === 'number') {
        assert.ok(Math.abs(actual - expected) <= 1e-4 * Math.abs(expected) + 1e-6, `steps[${i}].${key}: lab ${actual}, cli ${expected}`);
      } else assert.deepEqual(actual, expected, `steps[${i}].${key}`);
    }
  }
}

test('the lab trains a run=1 link to done with the metrics of `esdlab run --backend wasm`, isolated (threads) and not (single-thread)', async (t) => {
  if (!requireTool(t, hasChromium, 'chromium (Debian package chromium)')) return;
  const cli = cliMetrics();
  for (const server of [isolated!, plain!]) {
    const { page, errors } = await open(server.url, queryFromConfig(SMALL, { run: '1' }));
    assert.equal(await waitForEnd(page), 'done ');
    const isIsolated = await page.evaluate(() => globalThis.crossOriginIsolated);
    assert.equal(isIsolated, server === isolated);
    const metrics = (await page.evaluate(() => (window as unknown as { esdlab: { metrics(): unknown } }).esdlab.metrics())) as { steps: Record<string, unknown>[]; backend: string; status: string };
    assert.equal(metrics.backend, 'wasm');
    assert.equal(metrics.status, 'done');
    assertSameMetrics(metrics.steps, cli.steps);
    assert.match((await page.textContent('#progress-text')) ?? '', /steps\/s, ETA/);
    assert.match((await page.textContent('#progress-text')) ?? '', isIsolated ? /cross-origin isolated/ : /single-thread build/);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('the URL holds the config: a link reproduces it, and editing the form rewrites the URL', async (t) => {
  if (!requireTool(t, hasChromium, 'chromium (Debian package chromium)')) return;
  const flat: FlatConfig = { ...SMALL, optimizer: 'sgd', lr: 250, seed: 3, lr_scheduler_cls: 'StepLR', 'lr_scheduler_kwargs.gamma': 0.5 };
  const { page } = await open(plain!.url, queryFromConfig(flat));
  const config = (await page.evaluate(() => (window as unknown as { esdlab: { config(): unknown } }).esdlab.config())) as Record<string, unknown>;
  assert.equal(config['optimizer'], 'sgd');
  assert.equal(config['lr'], 250);
  assert.equal(config['seed'], 3);
  assert.deepEqual(config['lr_scheduler_kwargs'], { step_size: 1, gamma: 0.5 });
  await page.fill('#cfg-lr', '0.5');
  const url = new URL(await page.evaluate(() => location.href));
  assert.equal(url.searchParams.get('lr'), '0.5');
  assert.equal(url.searchParams.get('optimizer'), 'sgd');
  const { page: again } = await open(plain!.url, url.search.slice(1));
  const reloaded = (await again.evaluate(() => (window as unknown as { esdlab: { config(): unknown } }).esdlab.config())) as Record<string, unknown>;
  assert.deepEqual(reloaded, { ...config, lr: 0.5 });
  await page.close();
  await again.close();
});

test('a bad value is refused inline with the CLI message, and Run does not start', async (t) => {
  if (!requireTool(t, hasChromium, 'chromium (Debian package chromium)')) return;
  const { page } = await open(plain!.url, queryFromConfig(SMALL));
  await page.fill('#cfg-momentum', '1.5');
  const message = (await page.textContent('#config-error')) ?? '';
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-lab-bad-'));
  writeFileSync(join(dir, 'config.yml'), stringify({ ...rawConfig(SMALL), momentum: 1.5 }));
  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', join(dir, 'config.yml'), '--out', join(dir, 'run')], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(cli.status, 2);
  assert.ok(message.length > 0 && cli.stderr.includes(message), `lab: ${message}; cli: ${cli.stderr}`);
  assert.match(message, /momentum/);
  assert.equal(await page.getAttribute('#cfg-momentum', 'class'), 'invalid');
  await page.click('#run');
  assert.equal(await page.evaluate(() => (window as unknown as { esdlab: { status(): string } }).esdlab.status()), 'idle');
  await page.close();
});

test('the finished views are drawn: a screenshot of the ESD view is not blank', async (t) => {
  if (!requireTool(t, hasChromium, 'chromium (Debian package chromium)')) return;
  const { page } = await open(isolated!.url, queryFromConfig(SMALL, { run: '1' }));
  assert.equal(await waitForEnd(page), 'done ');
  await page.waitForSelector('#view-esd svg .mark-rect path, #view-esd svg .mark-rect');
  for (const id of ['view-esd', 'view-alphas', 'view-loss']) assert.ok((await page.locator(`#${id} svg`).count()) === 1, `${id} holds an svg`);
  const shot = await page.locator('#live').screenshot({ path: process.env['ESDLAB_LAB_SCREENSHOT'] });
  // A PNG of a blank area compresses to almost nothing; count distinct colours in the raw bytes instead of trusting size only.
  assert.ok(shot.length > 20_000, `screenshot is only ${shot.length} bytes`);
  const colours = await page.evaluate(() => {
    const svg = document.querySelector('#view-esd svg')!;
    return new Set([...svg.querySelectorAll('path')].map((p) => getComputedStyle(p).fill + getComputedStyle(p).stroke)).size;
  });
  assert.ok(colours >= 3, `the ESD view uses ${colours} fill/stroke colours`);
  assert.match((await page.textContent('#phase')) ?? '', /phase at step \d+: \S+/);
  await page.close();
});

test('a run folder written by `esdlab run` imports into the same views, and a pinned run is overlaid on the next', async (t) => {
  if (!requireTool(t, hasChromium, 'chromium (Debian package chromium)')) return;
  const dir = cliRun();
  const files = readdirSync(join(dir, 'spectra')).map((name) => join(dir, 'spectra', name));
  // step-<k>.npy are the spectra; other files of the folder (shape.json) are passed too and ignored
  const spectra = files.filter((path) => /step-\d+\.npy$/.test(path));
  assert.ok(spectra.length >= 2);
  const { page, errors } = await open(plain!.url, queryFromConfig(SMALL));
  await page.setInputFiles('#import-files', [join(dir, 'metrics.json'), ...files]);
  await page.waitForFunction(() => (window as unknown as { esdlab: { status(): string } }).esdlab.status() !== 'idle');
  assert.equal(await page.evaluate(() => (window as unknown as { esdlab: { status(): string } }).esdlab.status()), 'done');
  assert.deepEqual(await page.evaluate(() => (window as unknown as { esdlab: { metrics(): unknown } }).esdlab.metrics()), JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')));
  await page.waitForSelector('#view-esd svg');
  assert.match((await page.textContent('#status')) ?? '', new RegExp(`imported: \\d+ probes, ${spectra.length} spectra`));
  // compare: pin the imported run, train another lr, and every view holds the pinned run as a
  // second series: the ESD view its outline, the metric views a dashed line per metric
  await page.click('#pin');
  await page.fill('#cfg-lr', '0.1');
  await page.click('#run');
  assert.equal(await waitForEnd(page), 'done ');
  await page.waitForFunction(() => document.querySelector('#view-esd svg')?.textContent?.includes('pinned: adam lr=1'));
  // loss: train and test; metrics: KTA, sim and the two alphas; each once per run
  for (const [id, metrics] of [['view-loss', 2], ['view-alphas', 4]] as const) {
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('pinned: adam lr=1'), `#${id} svg`);
    const lines = await page.evaluate((sel) => [...document.querySelectorAll(`${sel} .mark-line path`)].map((p) => ({ dash: p.getAttribute('stroke-dasharray') ?? '', points: (p.getAttribute('d') ?? '').split(/[LM]/).length - 1 })), `#${id} svg`);
    const dashed = lines.filter((l) => l.dash !== '' && l.dash !== '1,0');
    assert.equal(lines.length, 2 * metrics, `${id}: ${JSON.stringify(lines)}`);
    assert.equal(dashed.length, metrics, `${id}: one dashed (pinned) line per metric: ${JSON.stringify(lines)}`);
    assert.ok(lines.every((l) => l.points >= 2), `${id}: every line has points`);
    const text = (await page.textContent(`#${id} svg`)) ?? '';
    assert.ok(text.includes('this run') && text.includes('pinned: adam lr=1'), `${id} legend names both runs`);
  }
  // the pinned run's losses are the imported run's, not this run's: the dashed train-loss line differs from the solid one
  const pinnedLoss = (JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as { steps: { train_loss: number }[] }).steps.map((s) => s.train_loss);
  const current = (await page.evaluate(() => (window as unknown as { esdlab: { metrics(): { steps: { train_loss: number }[] } } }).esdlab.metrics())).steps.map((s) => s.train_loss);
  assert.notDeepEqual(current, pinnedLoss);
  assert.match((await page.textContent('#phase')) ?? '', /; pinned \(adam lr=1\) at step \d+: \S+/);
  assert.deepEqual(errors, []);
  await page.close();
});

/** Mini-batch Adam with overlaps (4 batches an epoch, 100 steps): long enough to stop twice mid-run. */
const LONG: FlatConfig = { ...SMALL, batch_size: 50, num_epochs: 25, probe_freq_steps: 7, plot_overlaps: true, seed: 11 };

type LabApi = { status(): string; progress(): { step: number; totalSteps: number }; stop(afterStep?: number): void; resume(): void; run(): void; metrics(): { steps: Record<string, unknown>[]; status: string } | null };

/** Waits until the run is no longer 'running'; its status and progress then. */
async function waitForPause(page: Page): Promise<{ status: string; step: number; totalSteps: number }> {
  await page.waitForFunction(() => (window as unknown as { esdlab: LabApi }).esdlab.status() !== 'running', undefined, { timeout: 240_000 });
  return page.evaluate(() => {
    const lab = (window as unknown as { esdlab: LabApi }).esdlab;
    return { status: lab.status(), ...lab.progress() };
  });
}

test('Stop pauses between two steps and Resume continues: a run stopped twice ends with exactly the metrics of an uninterrupted one', async (t) => {
  if (!requireTool(t, hasChromium, 'chromium (Debian package chromium)')) return;
  const { page, errors } = await open(isolated!.url, queryFromConfig(LONG, { run: '1' }));
  assert.equal(await waitForEnd(page), 'done ');
  const uninterrupted = (await page.evaluate(() => (window as unknown as { esdlab: LabApi }).esdlab.metrics()))!;
  assert.equal(uninterrupted.steps.length, 16); // steps 0, 7, ..., 98 and 100
  // stopped after step 37 (mid-epoch, between probes) and after step 71, through the API
  await page.evaluate(() => {
    const lab = (window as unknown as { esdlab: LabApi }).esdlab;
    lab.run();
    lab.stop(37);
  });
  const first = await waitForPause(page);
  assert.deepEqual(first, { status: 'stopped', step: 37, totalSteps: 100 });
  assert.match((await page.textContent('#status')) ?? '', /stopped after step 37 \/ 100/);
  assert.equal(await page.isEnabled('#resume'), true);
  assert.equal(await page.isEnabled('#stop'), false);
  assert.equal(await page.evaluate(() => (window as unknown as { esdlab: LabApi }).esdlab.metrics()), null);
  // the probes so far stay drawn while stopped: steps 0, 7, ..., 35
  assert.equal(await page.locator('#view-loss svg').count(), 1);
  assert.equal(await page.getAttribute('#scrubber', 'max'), '5');
  // resume and schedule the next stop in one go (the page may be busy drawing when a later call would come)
  await page.evaluate(() => {
    const lab = (window as unknown as { esdlab: LabApi }).esdlab;
    lab.resume();
    lab.stop(71);
  });
  assert.deepEqual(await waitForPause(page), { status: 'stopped', step: 71, totalSteps: 100 });
  await page.evaluate(() => (window as unknown as { esdlab: LabApi }).esdlab.resume());
  assert.equal(await waitForEnd(page), 'done ');
  const resumed = (await page.evaluate(() => (window as unknown as { esdlab: LabApi }).esdlab.metrics()))!;
  assert.equal(resumed.status, 'done');
  // bit for bit: the same JSON numbers (the wasm backend is deterministic for a fixed thread count)
  assert.deepEqual(resumed.steps, uninterrupted.steps);
  // continued, not started over: the page got each of the 16 probes once (a restart would resend steps 0 to 70)
  assert.equal(await page.getAttribute('#scrubber', 'max'), '15');

  // the Stop button: pauses wherever the run is when the worker sees it; Resume still ends the same
  // both clicks in one go: while a run draws its probes, the page may answer a later click only after the run
  await page.evaluate(() => {
    document.getElementById('run')!.click();
    document.getElementById('stop')!.click();
  });
  const clicked = await waitForPause(page);
  assert.equal(clicked.status, 'stopped', `the run ended (${clicked.status}) before Stop reached it`);
  assert.ok(clicked.step >= 0 && clicked.step < clicked.totalSteps, `stopped after step ${clicked.step}`);
  await page.click('#resume');
  assert.equal(await waitForEnd(page), 'done ');
  assert.deepEqual((await page.evaluate(() => (window as unknown as { esdlab: LabApi }).esdlab.metrics()))!.steps, uninterrupted.steps);
  assert.equal(await page.getAttribute('#scrubber', 'max'), '15');
  assert.deepEqual(errors, []);
  await page.close();
});

/** The views an overlaps run draws, by file name. */
const VIEWS = { 'view-esd': 'esd', 'view-alphas': 'metrics', 'view-loss': 'loss', 'view-overlaps': 'overlaps' } as const;

test('each view exports as a valid SVG and a non-blank PNG', async (t) => {
  if (!requireTool(t, hasChromium, 'chromium (Debian package chromium)')) return;
  const { page, errors } = await open(plain!.url, queryFromConfig({ ...SMALL, plot_overlaps: true }, { run: '1' }));
  assert.equal(await waitForEnd(page), 'done ');
  await page.waitForSelector('#view-overlaps svg');
  for (const [id, file] of Object.entries(VIEWS)) {
    for (const format of ['svg', 'png'] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-view-export="${id}"][data-format="${format}"]`)]);
      assert.equal(download.suggestedFilename(), `${file}.${format}`);
      const path = await download.path();
      assert.ok(statSync(path).size > 0, `${file}.${format} is empty`);
      const bytes = readFileSync(path);
      if (format === 'svg') {
        const text = bytes.toString('utf8');
        assert.match(text, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/, `${file}.svg starts with an <svg> element`);
        const parsed = await page.evaluate((source) => {
          const document = new DOMParser().parseFromString(source, 'image/svg+xml');
          return { error: document.querySelector('parsererror')?.textContent ?? '', root: document.documentElement.nodeName, paths: document.querySelectorAll('path').length };
        }, text);
        assert.deepEqual({ error: parsed.error, root: parsed.root }, { error: '', root: 'svg' }, `${file}.svg parses as SVG`);
        assert.ok(parsed.paths >= 3, `${file}.svg has ${parsed.paths} paths`);
      } else {
        assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file}.png has the PNG signature`);
        assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
        const [width, height] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
        assert.ok(width > 100 && height > 100, `${file}.png is ${width} x ${height}`);
        // decoded in the page: a blank image has one colour; a plot has axes, text and marks in several
        const pixels = await page.evaluate(async (base64) => {
          const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
          const bitmap = await createImageBitmap(new Blob([data], { type: 'image/png' }));
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const context = canvas.getContext('2d')!;
          context.drawImage(bitmap, 0, 0);
          const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
          const colours = new Set<number>();
          let nonWhite = 0;
          for (let i = 0; i < rgba.length; i += 4) {
            colours.add((rgba[i]! << 16) | (rgba[i + 1]! << 8) | rgba[i + 2]!);
            if (rgba[i]! < 240 || rgba[i + 1]! < 240 || rgba[i + 2]! < 240) nonWhite++;
          }
          return { width: bitmap.width, height: bitmap.height, colours: colours.size, nonWhite };
        }, bytes.toString('base64'));
        assert.deepEqual([pixels.width, pixels.height], [width, height]);
        assert.ok(pixels.colours >= 5, `${file}.png has ${pixels.colours} colours`);
        assert.ok(pixels.nonWhite > 0.01 * width * height, `${file}.png: ${pixels.nonWhite} of ${width * height} pixels are not white`);
      }
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the shared backend suite passes on the browser build of the wasm backend inside Chromium, with threads and single-threaded', async (t) => {
  if (!requireTool(t, hasChromium, 'chromium (Debian package chromium)')) return;
  const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/test/suite/vite.config.ts'], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  for (const isIsolated of [true, false]) {
    const server = await startStaticServer('dist/lab-suite', { isolated: isIsolated });
    try {
      const { page, errors } = await open(server.url, '');
      await page.waitForFunction(() => (window as unknown as { suiteDone?: boolean }).suiteDone === true, undefined, { timeout: 240_000 });
      const { results, threads, cores } = await page.evaluate(() => {
        const w = window as unknown as { suiteResults: { name: string; ok: boolean; error?: string }[]; suiteThreads: number };
        return { results: w.suiteResults, threads: w.suiteThreads, cores: navigator.hardwareConcurrency };
      });
      assert.ok(results.length >= 30, `only ${results.length} cases ran`);
      assert.deepEqual(results.filter((r) => !r.ok), []);
      // isolated: one worker per core (at most 8); not isolated: the single-thread build
      assert.equal(threads, isIsolated ? Math.max(1, Math.min(8, cores)) : 1);
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await server.close();
    }
  }
});
