import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/** Runs `esdlab doctor ARGS` through tsx with `env`. */
function doctor(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'doctor', ...args], { encoding: 'utf8', env, timeout: 120_000 });
}

test('esdlab doctor --json reports the CPU, every backend, the BLAS kernel and the optional parts', () => {
  const r = doctor(['--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Record<string, Record<string, string>>;
  assert.deepEqual(Object.keys(report), ['cpu', 'backends', 'native BLAS', 'optional parts']);
  assert.match(report.cpu!.arch!, new RegExp(process.arch));
  for (const name of ['native', 'wasm', 'js']) assert.match(report.backends![name]!, /^(loads|unavailable)/);
  assert.match(report.backends!.js!, /^loads/);
  if (report.backends!.native!.startsWith('loads')) {
    assert.match(report['native BLAS']!.library!, /OpenBLAS/);
    assert.match(report['native BLAS']!.kernel!, /\((OPENBLAS_CORETYPE=.* set in the environment|chosen by esdlab|OpenBLAS's own detection)/);
  } else {
    assert.match(report['optional parts']!['native addon']!, /apt-get install libopenblas-dev liblapacke-dev/);
  }
});

test('esdlab doctor says when OPENBLAS_CORETYPE comes from the environment, and warns on a generic kernel', (t) => {
  const r = doctor([], { ...process.env, OPENBLAS_CORETYPE: 'Prescott' });
  assert.equal(r.status, 0, r.stderr);
  if (!/native +loads/.test(r.stdout)) {
    t.skip('the native backend does not load here');
    return;
  }
  assert.match(r.stdout, /kernel +Prescott \(OPENBLAS_CORETYPE=Prescott set in the environment/);
  const hasAvx2 = /features .*avx2/.test(r.stdout) && /features .*fma/.test(r.stdout);
  if (hasAvx2) assert.match(r.stdout, /warning +OpenBLAS runs its generic Prescott kernel/);
});
