import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Every module reachable from `entry` by static or dynamic relative imports, with the bare specifiers it imports. */
function importGraph(entry: string): { modules: string[]; bare: Map<string, string> } {
  const seen = new Set<string>();
  const bare = new Map<string, string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      const specifier = match[1]!;
      if (!specifier.startsWith('.')) {
        bare.set(specifier, file);
        continue;
      }
      const target = join(dirname(file), specifier).replace(/\.js$/, '.ts');
      assert.ok(existsSync(target), `${file} imports ${specifier}, which does not exist`);
      pending.push(target);
    }
  }
  return { modules: [...seen], bare };
}

test('the browser entry reaches no Node API, better-sqlite3 or resvg', () => {
  const { modules, bare } = importGraph('src/browser.ts');
  assert.ok(modules.length > 20, 'the walk follows the imports');
  const offending = [...bare].filter(([specifier]) => /^node:|^better-sqlite3$|^@resvg\//.test(specifier));
  assert.deepEqual(offending.map(([specifier, file]) => `${file} imports ${specifier}`), []);
});
