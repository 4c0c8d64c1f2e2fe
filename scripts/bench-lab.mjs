#!/usr/bin/env node
// The paper-size training step (n=2000, d=1000, h=1500, full-batch Adam, f32) in the web lab in
// Chromium against `esdlab run --backend wasm` in Node, side by side on this machine:
//   node --import tsx scripts/bench-lab.mjs [--epochs N]
// Both use the wasm backend with the default thread count (the page is cross-origin isolated).
// Prints each side's training-step time per step (metrics.json timing.steps_ms / steps) and the ratio.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { stringify } from 'yaml';
import { startStaticServer } from './staticServer.mjs';
import { PRESETS, queryFromConfig, rawConfig } from '../web/src/labConfig.ts';

const epochsIndex = process.argv.indexOf('--epochs');
const epochs = epochsIndex > 0 ? Number(process.argv[epochsIndex + 1]) : 4;
const flat = { ...PRESETS['main (Adam, lr = 1)'], num_epochs: epochs, probe_freq_steps: 1000 };

const build = spawnSync(process.execPath, ['scripts/build-lab.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const server = await startStaticServer('dist/lab', { isolated: true });
const profile = mkdtempSync(join(tmpdir(), 'esdlab-bench-chromium-'));
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args, headless: true });
let lab;
try {
  const page = await context.newPage();
  await page.goto(`${server.url}?${queryFromConfig(flat, { run: '1' })}`);
  await page.waitForFunction(() => ['done', 'diverged', 'error'].includes(window.esdlab?.status()), undefined, { timeout: 900_000 });
  lab = await page.evaluate(() => ({ metrics: window.esdlab.metrics(), progress: document.getElementById('progress-text').textContent }));
} finally {
  await context.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
const dir = mkdtempSync(join(tmpdir(), 'esdlab-bench-cli-'));
writeFileSync(join(dir, 'config.yml'), stringify(rawConfig(flat)));
const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', join(dir, 'config.yml'), '--backend', 'wasm', '--out', join(dir, 'run')], { encoding: 'utf8' });
if (cli.status !== 0) throw new Error(cli.stderr);
const node = JSON.parse(readFileSync(join(dir, 'run', 'metrics.json'), 'utf8'));
rmSync(dir, { recursive: true, force: true });
const perStep = (m) => m.timing.steps_ms / epochs;
console.log(`lab (${lab.progress})`);
console.log(`chromium: ${perStep(lab.metrics).toFixed(0)} ms/step; node: ${perStep(node).toFixed(0)} ms/step; ratio chromium/node ${(perStep(lab.metrics) / perStep(node)).toFixed(2)} (${epochs} full-batch Adam steps, n=2000 d=1000 h=1500 f32)`);
