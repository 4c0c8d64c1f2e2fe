/**
 * The module layering of docs/architecture.md, enforced: a module under src/ imports only modules
 * listed before it (and itself). Test-only files (*.test.ts, testing/) may also use src/testing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const LAYERS = ['errors', 'random', 'linalg', 'formats', 'bench', 'spectra', 'model', 'optim', 'train', 'experiments', 'browser', 'io', 'store', 'report', 'cli', 'index'];

/** Node built-ins that only the Node-facing layers (and linalg's native/wasm backends) may import. */
const NODE_ONLY = /^node:(fs|child_process|worker_threads|os|path|crypto|url|module)/;
const NODE_LAYERS = new Set(['io', 'store', 'report', 'cli', 'bench']);

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'assembly') walk(path, out);
    } else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const layerOf = (file: string) => relative('src', file).split(sep)[0]!.replace(/(\.test)?\.ts$/, '');

test('every src module imports only the modules listed before it', () => {
  const violations: string[] = [];
  for (const file of walk('src')) {
    const layer = layerOf(file);
    const isTestCode = file.endsWith('.test.ts') || file.includes(`${sep}testing${sep}`) || layer === 'testing';
    if (layer === 'testing' || layer === 'architecture') continue;
    const rank = LAYERS.indexOf(layer);
    assert.ok(rank >= 0, `${file} is in an unlisted module '${layer}'; add it to docs/architecture.md and LAYERS`);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      const specifier = match[1]!;
      if (specifier.startsWith('.')) {
        const target = relative('src', join(file, '..', specifier)).split(sep)[0]!.replace(/\.js$/, '');
        if (target === 'testing' && isTestCode) continue;
        const targetRank = LAYERS.indexOf(target);
        if (targetRank < 0 || targetRank > rank) violations.push(`${file} imports ${specifier} (${target} is not below ${layer})`);
      } else if (NODE_ONLY.test(specifier) && !isTestCode && !NODE_LAYERS.has(layer)) {
        const isNodeBackend = /linalg[/\\](backends[/\\](native|wasm)|node\.ts)/.test(file);
        if (!isNodeBackend) violations.push(`${file} imports ${specifier}; only io, store, report, cli, bench and linalg's Node backends touch Node APIs`);
      }
    }
  }
  assert.deepEqual(violations, []);
});
