/**
 * The package installs: `npm pack` (which builds through `prepare`) and then `npm ci` of the
 * tarball in an empty folder, offline from npm's cache (filled by the repository's own `npm ci`),
 * give a working `npx esdlab run`, `npx esdlab analyze` and `import ... from 'esdlab'` (Node and
 * browser entries). Slow (a build and a compile of better-sqlite3, minutes), so it runs in CI and
 * locally only with ESDLAB_TEST_PACKAGE=1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeNpyFile } from '../io/index.js';
import { stream } from '../random/index.js';
import { isCi } from '../testing/oracle.js';

const root = resolve('.');
/** What the build needs from the repository (native/build, dist/ and runs/ are outputs, not inputs). */
const BUILD_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'src', 'scripts', 'bin', 'configs', 'docs', 'native'];

function run(command: string, args: readonly string[], cwd: string, extraEnv: Record<string, string> = {}): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 8 * 60_000, env: { ...process.env, ...extraEnv } });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/**
 * A lock file for a project that depends on the tarball only: esdlab's runtime entries of the
 * repository's lock (their integrity lets `npm ci --offline` take every tarball from the cache).
 */
function consumerLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; dependencies: object; bin: object };
  const packages: Record<string, object> = {
    '': { name: 'consumer', dependencies: { esdlab: `file:${tarball}` } },
    'node_modules/esdlab': { version: manifest.version, resolved: `file:${tarball}`, hasInstallScript: true, dependencies: manifest.dependencies, bin: manifest.bin },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && !entry.dev) packages[path] = entry;
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

test('npm pack, then npm ci of the tarball in an empty folder, gives a working esdlab', { timeout: 15 * 60_000 }, async (t) => {
  if (!isCi() && process.env.ESDLAB_TEST_PACKAGE !== '1') {
    t.skip('slow (minutes): runs in CI, or with ESDLAB_TEST_PACKAGE=1');
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'esdlab-package-'));
  try {
    // Pack from a copy, so the build that `prepare` runs never touches this checkout's dist/.
    const source = join(work, 'source');
    for (const entry of BUILD_INPUTS) cpSync(join(root, entry), join(source, entry), { recursive: true, filter: (path) => !path.includes(join('native', 'build')) });
    symlinkSync(join(root, 'node_modules'), join(source, 'node_modules'), 'dir');
    run('npm', ['pack', '--silent', '--pack-destination', work], source);
    const tarball = readdirSync(work).find((name) => /^esdlab-.*\.tgz$/.test(name));
    assert.ok(tarball, 'npm pack wrote esdlab-<version>.tgz');

    const consumer = join(work, 'consumer');
    cpSync(join(work, tarball), join(consumer, tarball));
    const allowScripts = { esdlab: true, 'better-sqlite3': true };
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { esdlab: `file:${tarball}` }, allowScripts }));
    writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify(consumerLock(tarball)));
    run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], consumer);
    const installed = join(consumer, 'node_modules', 'esdlab');
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/browser.js', 'dist/browser.d.ts', 'dist/linalg/backends/wasm/esdlab-kernels.wasm', 'dist/linalg/backends/wasm/esdlab-kernels-single.wasm']) {
      assert.ok(existsSync(join(installed, file)), `the package ships ${file}`);
    }
    assert.ok(!readdirSync(join(installed, 'dist')).some((name) => name.endsWith('.test.js')), 'no compiled tests in the package');

    writeFileSync(join(consumer, 'tiny.yml'), 'n: 40\nn_test: 20\nh: 12\nd: 10\nnum_epochs: 2\nprobe_freq_steps: 1\nbackend: wasm\nout: tiny-run\n');
    const metrics = JSON.parse(run('npx', ['--offline', 'esdlab', 'run', 'tiny.yml', '--json'], consumer)) as { status: string; steps: unknown[] };
    assert.equal(metrics.status, 'done');
    assert.equal(metrics.steps.length, 3, 'probes at steps 0, 1 and 2');
    assert.ok(existsSync(join(consumer, 'tiny-run', 'report.html')));

    const rng = stream(0, 'package-test');
    const weights = Float32Array.from({ length: 30 * 20 }, () => rng.nextNormal());
    await writeNpyFile(join(consumer, 'w.npy'), weights, [30, 20]);
    const analysis = JSON.parse(run('npx', ['--offline', 'esdlab', 'analyze', 'w.npy', '--json'], consumer)) as { layers: { status: string; n_eigs: number }[] };
    assert.equal(analysis.layers[0]!.status, 'ok');
    assert.equal(analysis.layers[0]!.n_eigs, 20);

    const nodeScript = [
      "import { loadBackend, parseExperimentConfig, fitPowerLaw, readNpyFile } from 'esdlab';",
      "const { backend } = await loadBackend('js');",
      "const { data } = await readNpyFile('w.npy');",
      'console.log(JSON.stringify({ backend: backend.name, n: parseExperimentConfig({ n: 7 }).config.n, length: data.length, fit: typeof fitPowerLaw }));',
    ].join('\n');
    assert.deepEqual(JSON.parse(run(process.execPath, ['--input-type=module', '-e', nodeScript], consumer)), { backend: 'js', n: 7, length: 600, fit: 'function' });

    const browserScript = [
      "import * as esdlab from 'esdlab';",
      "const { backend } = await esdlab.loadBackend('auto');",
      "console.log(JSON.stringify({ backend: backend.name, io: 'readNpyFile' in esdlab, core: typeof esdlab.diagnoseSpectrum }));",
    ].join('\n');
    const browser = JSON.parse(run(process.execPath, ['--conditions=browser', '--input-type=module', '-e', browserScript], consumer));
    assert.deepEqual(browser, { backend: 'js', io: false, core: 'function' }, 'the browser entry is the core; under Node its wasm host cannot fetch a file: URL, so auto falls back to js');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
