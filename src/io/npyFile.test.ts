import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { findNumpyPython, requireTool, runPython } from '../testing/oracle.js';
import { withTempDir } from '../testing/tempDir.js';
import { readNpyFile, readNpyHeader, writeNpyFile } from './npyFile.js';

test('writeNpyFile then readNpyFile round-trips f32, f64 and f16, C and Fortran order, 1-D and 2-D', async () => {
  await withTempDir('npy', async (dir) => {
    const values = Array.from({ length: 12 }, (_, i) => (i - 5) / 4);
    for (const dtype of ['f2', 'f4', 'f8'] as const) {
      for (const isFortranOrder of [false, true]) {
        for (const shape of [[3, 4], [12]]) {
          const path = join(dir, `a-${dtype}-${isFortranOrder}-${shape.length}.npy`);
          await writeNpyFile(path, Float64Array.from(values), shape, { dtype, isFortranOrder });
          const back = await readNpyFile(path);
          assert.deepEqual(back.shape, shape);
          assert.deepEqual(Array.from(back.data), values, `${dtype} ${isFortranOrder} ${shape}`);
          assert.equal(back.data instanceof Float64Array, dtype === 'f8');
        }
      }
    }
  });
});

test('readNpyFile reads what numpy writes (f16, f32, f64, C and Fortran order, 1-D, 2-D, 3-D)', async (t) => {
  if (!requireTool(t, findNumpyPython() !== null, 'python3 with numpy')) return;
  await withTempDir('npy', async (dir) => {
    const expected = runPython<Record<string, { shape: number[]; values: number[] }>>(
      `
import json, sys, numpy as np
d = json.load(sys.stdin)
rng = np.random.default_rng(7)
out = {}
base = rng.standard_normal((5, 7))
cases = {
  'c32': base.astype(np.float32), 'c64': base, 'c16': base.astype(np.float16),
  'f32': np.asfortranarray(base.astype(np.float32)), 'f64': np.asfortranarray(base),
  'be64': base.astype('>f8'), 'v1d': base[0].astype(np.float32),
  't3d': np.asfortranarray(rng.standard_normal((2, 3, 4))),
}
for name, a in cases.items():
    np.save(d + '/' + name + '.npy', a)
    out[name] = {'shape': list(a.shape), 'values': [float(v) for v in np.ascontiguousarray(a).astype(np.float64).ravel()]}
print(json.dumps(out))
`,
      dir,
    );
    for (const [name, { shape, values }] of Object.entries(expected)) {
      const array = await readNpyFile(join(dir, `${name}.npy`));
      assert.deepEqual(array.shape, shape, name);
      assert.deepEqual(Array.from(array.data), values, name);
    }
  });
});

test('numpy reads the .npy files writeNpyFile writes', async (t) => {
  if (!requireTool(t, findNumpyPython() !== null, 'python3 with numpy')) return;
  await withTempDir('npy', async (dir) => {
    const values = Float64Array.from({ length: 6 }, (_, i) => i * 0.5 - 1);
    await writeNpyFile(join(dir, 'a64.npy'), values, [2, 3]);
    await writeNpyFile(join(dir, 'a32.npy'), Float32Array.from(values), [2, 3]);
    await writeNpyFile(join(dir, 'a16.npy'), values, [6], { dtype: 'f2' });
    await writeNpyFile(join(dir, 'aF.npy'), values, [2, 3], { isFortranOrder: true });
    const seen = runPython<Record<string, { dtype: string; shape: number[]; values: number[]; fortran: boolean }>>(
      `
import json, sys, numpy as np
d = json.load(sys.stdin)
out = {}
for name in ['a64', 'a32', 'a16', 'aF']:
    a = np.load(d + '/' + name + '.npy')
    out[name] = {'dtype': str(a.dtype), 'shape': list(a.shape), 'values': [float(v) for v in a.ravel()], 'fortran': bool(a.flags.f_contiguous and a.ndim > 1)}
print(json.dumps(out))
`,
      dir,
    );
    assert.equal(seen.a64!.dtype, 'float64');
    assert.equal(seen.a32!.dtype, 'float32');
    assert.equal(seen.a16!.dtype, 'float16');
    assert.equal(seen.aF!.fortran, true);
    for (const name of ['a64', 'a32', 'a16', 'aF']) assert.deepEqual(seen[name]!.values, Array.from(values), name);
    assert.deepEqual(seen.a64!.shape, [2, 3]);
  });
});

test('readNpyFile answers a missing, truncated or non-.npy file with an InputError naming the path', async () => {
  await withTempDir('npy', async (dir) => {
    const missing = join(dir, 'missing.npy');
    await assert.rejects(readNpyFile(missing), (e: unknown) => e instanceof InputError && e.message === `${missing} does not exist`);
    const path = join(dir, 'short.npy');
    await writeNpyFile(path, new Float32Array(100), [10, 10]);
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 3));
    await assert.rejects(readNpyFile(path), (e: unknown) => e instanceof InputError && e.message.includes('truncated') && e.message.includes(path));
    await writeFile(join(dir, 'text.npy'), 'hello');
    await assert.rejects(readNpyHeader(join(dir, 'text.npy')), /truncated|not a \.npy file/);
  });
});
