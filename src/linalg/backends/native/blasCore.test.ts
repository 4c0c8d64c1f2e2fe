import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { requireTool } from '../../../testing/oracle.js';
import { nativeAddonPath } from './binding.js';
import { bestCoreFor, chooseBlasCore, coreTier, cpuTier, describeBlasCore, parseCpuInfo, readCpuFeatures, slowCoreWarning } from './blasCore.js';

const zen5 = parseCpuInfo('processor\t: 0\nmodel name\t: AMD EPYC 9005\nflags\t\t: fpu sse sse2 pni ssse3 sse4_2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16\n\nprocessor\t: 1\n');
const haswell = parseCpuInfo('model name : Intel Core i7-4770\nflags : fpu sse2 sse4_2 avx avx2 fma\n');
const old = parseCpuInfo('model name : Intel Core 2\nflags : fpu sse2 ssse3\n');

test('parseCpuInfo reads the model and the relevant flags of the first processor', () => {
  assert.equal(zen5.model, 'AMD EPYC 9005');
  assert.deepEqual(zen5.flags, ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512dq', 'avx512_bf16']);
  assert.deepEqual(old.flags, []);
});

test('the best core follows the features, not the brand', () => {
  assert.equal(bestCoreFor(zen5), 'Cooperlake');
  assert.equal(bestCoreFor({ model: null, flags: zen5.flags.filter((f) => f !== 'avx512_bf16') }), 'SkylakeX');
  assert.equal(bestCoreFor({ model: null, flags: ['avx2', 'fma', 'avx512f'] }), 'Haswell', 'AVX-512F alone (no BW/VL/DQ) is not enough for SkylakeX');
  assert.equal(bestCoreFor(haswell), 'Haswell');
  assert.equal(bestCoreFor({ model: null, flags: ['avx2'] }), null, 'AVX2 without FMA');
  assert.equal(bestCoreFor(old), null);
});

test('chooseBlasCore sets an unset OPENBLAS_CORETYPE, respects a user value, and remembers its own choice', () => {
  const env: NodeJS.ProcessEnv = {};
  assert.deepEqual(chooseBlasCore(env, zen5), { requested: 'Cooperlake', source: 'esdlab', best: 'Cooperlake' });
  assert.equal(env.OPENBLAS_CORETYPE, 'Cooperlake');
  assert.equal(chooseBlasCore(env, zen5).source, 'esdlab', 'a second call (or a child process) still sees esdlab\'s choice');
  assert.deepEqual(chooseBlasCore({ OPENBLAS_CORETYPE: 'Haswell' }, zen5), { requested: 'Haswell', source: 'environment', best: 'Cooperlake' });
  const untouched: NodeJS.ProcessEnv = {};
  assert.equal(chooseBlasCore(untouched, old).source, 'library');
  assert.equal(untouched.OPENBLAS_CORETYPE, undefined, 'nothing is set where OpenBLAS\'s own detection is as good');
  assert.equal(chooseBlasCore({}, null).source, 'library');
});

test('a generic core on an AVX2/AVX-512 CPU gets one warning line; a fast one none', () => {
  const preset = chooseBlasCore({ OPENBLAS_CORETYPE: 'Prescott' }, zen5);
  const warning = slowCoreWarning('Prescott', preset, zen5);
  assert.match(warning ?? '', /generic Prescott kernel on a CPU with AVX-512.*OPENBLAS_CORETYPE=Cooperlake/);
  assert.ok(!warning!.includes('\n'));
  assert.equal(slowCoreWarning('Haswell', preset, zen5), null);
  assert.equal(slowCoreWarning('Prescott', preset, old), null, 'no AVX2: Prescott is what the CPU can do');
  assert.match(describeBlasCore('Haswell', chooseBlasCore({ OPENBLAS_CORETYPE: 'Haswell' }, zen5)), /set in the environment; this CPU supports Cooperlake/);
  assert.match(describeBlasCore('Prescott', chooseBlasCore({}, zen5)), /OpenBLAS did not take Cooperlake/);
  assert.equal(coreTier('Core2'), 0);
  assert.equal(coreTier('zen'), 2);
  assert.equal(coreTier('ARMV8'), null);
  assert.equal(cpuTier(zen5), 3);
});

/** The core OpenBLAS reports when the addon loads in a fresh process with `env`. */
function coreInChild(env: NodeJS.ProcessEnv): string {
  const script = "import { nativeBlasStatus } from './src/linalg/backends/native/index.ts'; process.stdout.write(JSON.stringify(nativeBlasStatus()));";
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env, timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  return (JSON.parse(child.stdout) as { core: string }).core;
}

test('on x86-64 with AVX2 the native backend does not run a generic kernel (preset environment and unset)', (t) => {
  const features = readCpuFeatures();
  if (features === null || cpuTier(features) < 2) {
    t.skip('not an x86-64 CPU with AVX2 + FMA');
    return;
  }
  if (!requireTool(t, existsSync(nativeAddonPath), `the native addon (${nativeAddonPath})`)) return;
  // as the environment has it (a workplace may preset OPENBLAS_CORETYPE, e.g. Haswell: fine)
  const asIs = coreInChild(process.env);
  assert.ok((coreTier(asIs) ?? 0) >= 2, `OpenBLAS runs ${asIs} on a CPU with ${features.flags.join(' ')}`);
  // unset: esdlab chooses from the features, and OpenBLAS takes it
  const { OPENBLAS_CORETYPE: _preset, ESDLAB_OPENBLAS_CORETYPE_CHOSEN: _marker, ...unset } = process.env;
  const chosen = coreInChild(unset);
  assert.equal(chosen.toLowerCase(), bestCoreFor(features)!.toLowerCase());
});
