/**
 * The module layering of docs/architecture.md, enforced: a module under src/ imports only modules
 * listed before it (and itself). Test-only files (*.test.ts, testing/) may also use src/testing.
 * And the browser builds stay browser-safe: the import graph reached from the browser entry points
 * (src/browser.ts, the web lab's modules) holds no Node built-in (Node's own builtinModules list,
 * with or without `node:`), no Node-only package, and no use of Node's globals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

export const LAYERS = ['errors', 'random', 'linalg', 'formats', 'bench', 'spectra', 'model', 'optim', 'train', 'experiments', 'io', 'store', 'report', 'browser', 'cli'];

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

/** Packages that run only in Node (native addons, terminal and CLI libraries, Node loaders). */
export const NODE_ONLY_PACKAGES = ['better-sqlite3', '@resvg/resvg-js', 'cli-progress', 'commander', 'tsx', 'typescript', 'assemblyscript', 'playwright-core', 'vite'];

/** The browser entry points: the library's browser entry and the lab's page and worker modules. */
function browserEntries(): string[] {
  const lab = existsSync('web/src') ? readdirSync('web/src').filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).map((n) => join('web/src', n)) : [];
  return ['src/browser.ts', ...lab];
}

/** Source text without comments (block and line), so that prose about Buffer is not a use of it. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Every module reachable from `entries` through static and dynamic imports and re-exports, with its bare imports. */
export function importGraph(entries: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const bare: string[] = [];
    graph.set(file, bare);
    const text = withoutComments(readFileSync(file, 'utf8'));
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const specifier = match[1]!;
      if (!specifier.startsWith('.')) {
        bare.push(specifier);
        continue;
      }
      const target = join(dirname(file), specifier);
      const candidates = [target.replace(/\.js$/, '.ts'), target, `${target}.ts`, join(target, 'index.ts')];
      const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
      if (found === undefined) throw new Error(`${file} imports ${specifier}, which resolves to no file`);
      if (/\.(ts|js|mjs)$/.test(found)) pending.push(found);
    }
  }
  return graph;
}

/** Why `specifier` (a bare import) cannot run in a browser, or null. */
function nodeOnlyReason(specifier: string): string | null {
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  if (specifier.startsWith('node:') || builtinModules.includes(name)) return 'a Node built-in';
  if (NODE_ONLY_PACKAGES.includes(name)) return 'a Node-only package';
  return null;
}

test('nothing reachable from a browser entry point imports Node built-ins or Node-only packages, or uses Node globals', () => {
  const graph = importGraph(browserEntries());
  assert.ok(graph.has('src/linalg/backends/wasm/index.ts'), 'the browser graph should reach the wasm backend');
  const violations: string[] = [];
  for (const [file, bare] of graph) {
    for (const specifier of bare) {
      const reason = nodeOnlyReason(specifier);
      if (reason) violations.push(`${file} imports ${specifier} (${reason})`);
    }
    const text = withoutComments(readFileSync(file, 'utf8'));
    for (const match of text.matchAll(/\b(Buffer|process|require|__dirname|__filename|setImmediate)\b(?=\s*[.(])/g)) {
      violations.push(`${file} uses Node's ${match[1]}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the browser-graph check catches a Node built-in, a Node-only package and a Node global', () => {
  assert.equal(nodeOnlyReason('fs'), 'a Node built-in');
  assert.equal(nodeOnlyReason('node:worker_threads'), 'a Node built-in');
  assert.equal(nodeOnlyReason('better-sqlite3'), 'a Node-only package');
  assert.equal(nodeOnlyReason('@resvg/resvg-js'), 'a Node-only package');
  assert.equal(nodeOnlyReason('zod'), null);
  // the Node entry of linalg is reached from the CLI and reaches the native addon and worker_threads
  const nodeGraph = importGraph(['src/linalg/node.ts']);
  const bare = [...nodeGraph.values()].flat();
  assert.ok(bare.some((s) => nodeOnlyReason(s) !== null), 'src/linalg/node.ts should reach Node APIs');
  assert.ok(!importGraph(['src/browser.ts']).has('src/linalg/backends/wasm/nodeHost.ts'));
});
