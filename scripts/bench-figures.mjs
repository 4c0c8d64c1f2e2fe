#!/usr/bin/env node
// What each figure of a run's report costs: trains configs/main.yml (native backend, else wasm),
// builds the report's specs, then draws every figure twice on this thread and prints the second
// (warm) round's SVG time (renderSvg) and PNG time (renderPng, resvg's rasterizing and encoding).
// Runs the built dist/ (npm run build):
//
//   node scripts/bench-figures.mjs [--config configs/main.yml]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const { values: opts } = parseArgs({ options: { config: { type: 'string', default: join(root, 'configs/main.yml') } } });
const { loadConfigFile } = await import(join(dist, 'io/loadConfig.js'));
const { requireScalarConfig } = await import(join(dist, 'experiments/scalarConfig.js'));
const { runExperiment } = await import(join(dist, 'experiments/runExperiment.js'));
const { loadBackend } = await import(join(dist, 'linalg/node.js'));
const report = await import(join(dist, 'report/index.js'));
const config = requireScalarConfig(loadConfigFile(opts.config, {}).config);
const { backend } = await loadBackend('auto');
const result = await runExperiment(backend, config, {});
await backend.dispose?.();
const data = {
  steps: result.steps, probes: result.probes, initialW: result.initialW, finalW: result.finalW, config: { ...config },
  status: result.status, divergedAtStep: result.divergedAtStep, seed: config.seed, backend: backend.name, timing: { ...result.timing },
};
let started = performance.now();
const specs = report.runPlotSpecs(data);
console.log(`runPlotSpecs ${(performance.now() - started).toFixed(0)} ms`);
console.log('| figure | SVG ms | PNG ms | SVG bytes | PNG bytes |');
console.log('|---|---|---|---|---|');
for (let round = 0; round < 2; round++) {
  for (const [name, spec] of Object.entries(specs)) {
    started = performance.now();
    const svg = await report.renderSvg(spec);
    const svgMs = performance.now() - started;
    started = performance.now();
    const png = report.renderPng(svg, { scale: 2 });
    const pngMs = performance.now() - started;
    if (round === 1) console.log(`| ${name} | ${svgMs.toFixed(0)} | ${pngMs.toFixed(0)} | ${svg.length} | ${png.length} |`);
  }
}
