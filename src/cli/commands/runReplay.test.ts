/**
 * A PyTorch replay through the config's `init:` block: f32 tensors as the original code exports
 * them (generated here, seeded), trained by `esdlab run` in its default f32 and with the default
 * readout_features (reference), against the f64 numpy transcription of the original code. Done
 * when (issue 8): step 0 to 1e-4, step 10 within 2%, for the losses, KTA, alignment and Hill alpha.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { writeNpyFile } from '../../io/npyFile.js';
import { drawProblem } from '../../model/index.js';
import { stream } from '../../random/index.js';
import { findNumpyPython, requireTool, runPython } from '../../testing/oracle.js';
import { TRAIN_ORACLE } from '../../testing/trainOracle.js';
import { handleError } from '../handleError.js';
import { registerRunCommand } from './run.js';

const sizes = { numTrain: 160, numTest: 40, inputDim: 40, hiddenDim: 60, labelNoiseStd: 0.3 };
const KEYS = ['train_loss', 'test_loss', 'kta', 'alignment', 'alpha_hill'] as const;

for (const optimizer of ['adam', 'sgd'] as const) {
  test(`esdlab run replays ${optimizer} from init: tensors as the original code does (1e-4 at step 0, 2% at step 10)`, async (t) => {
    if (!requireTool(t, findNumpyPython() !== null, 'python3 with numpy')) return;
    const dir = mkdtempSync(join(tmpdir(), 'esdlab-replay-'));
    const drawn = drawProblem(sizes, { teacher: stream(4, 'teacher'), data: stream(4, 'data'), init: stream(4, 'init') });
    // the original code's tensors are f32: round every array once, and give the oracle the same values
    const f32 = (values: ArrayLike<number>) => Float32Array.from(values as ArrayLike<number>);
    const arrays = {
      X_train: [f32(drawn.xTrain.data), [160, 40]],
      y_train: [f32(drawn.yTrain), [160, 1]],
      X_probe: [f32(drawn.xProbe.data), [160, 40]],
      y_probe: [f32(drawn.yProbe), [160, 1]],
      X_test: [f32(drawn.xTest.data), [40, 40]],
      y_test: [f32(drawn.yTest), [40, 1]],
      teacher_beta: [f32(drawn.teacherBeta), [40, 1]],
      student_W: [f32(drawn.initialW.data), [60, 40]],
      student_a: [f32(drawn.initialA), [1, 60]],
    } as const;
    for (const [key, [data, shape]] of Object.entries(arrays)) await writeNpyFile(join(dir, `${key}.npy`), data, [...shape]);
    const lr = optimizer === 'adam' ? 1 : 200;
    const init = Object.keys(arrays).map((key) => `  ${key}: ${key}.npy`).join('\n');
    writeFileSync(
      join(dir, 'replay.yml'),
      `n: 160\nn_test: 40\nd: 40\nh: 60\noptimizer: ${optimizer}\nlr: ${lr}\nnum_epochs: 10\nprobe_freq_steps: 1\ninit:\n${init}\n`,
    );
    const program = new Command().exitOverride();
    registerRunCommand(program);
    const originalErr = process.stderr.write.bind(process.stderr);
    const originalOut = process.stdout.write.bind(process.stdout);
    let stderr = '';
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
    let code = 0;
    try {
      await program.parseAsync(['node', 'esdlab', 'run', join(dir, 'replay.yml'), '--out', join(dir, 'run'), '--backend', 'js']);
    } catch (error) {
      code = handleError(error);
    } finally {
      process.stderr.write = originalErr;
      process.stdout.write = originalOut;
    }
    assert.equal(code, 0, stderr);
    const metrics = JSON.parse(readFileSync(join(dir, 'run', 'metrics.json'), 'utf8')) as { config: { readout_features: string }; steps: Record<string, number>[] };
    assert.equal(metrics.config.readout_features, 'reference');
    const expected = runPython<Record<string, number>[]>(TRAIN_ORACLE, {
      options: { numTrain: 160, inputDim: 40, hiddenDim: 60, learningRate: lr, weightDecay: 0, momentum: 0, regLambda: 0.01, numEpochs: 10, optimizer, readoutFeatures: 'reference' },
      xTrain: [...arrays.X_train[0]],
      yTrain: [...arrays.y_train[0]],
      xProbe: [...arrays.X_probe[0]],
      yProbe: [...arrays.y_probe[0]],
      xTest: [...arrays.X_test[0]],
      yTest: [...arrays.y_test[0]],
      initialW: [...arrays.student_W[0]],
      initialA: [...arrays.student_a[0]],
      beta: [...arrays.teacher_beta[0]],
    });
    assert.equal(metrics.steps.length, 11);
    for (const [step, tolerance] of [[0, 1e-4], [10, 0.02]] as const) {
      for (const key of KEYS) {
        const got = metrics.steps[step]![key]!;
        const want = expected[step]![key]!;
        assert.ok(Math.abs(got - want) <= tolerance * Math.abs(want), `step ${step} ${key}: esdlab ${got}, oracle ${want} (tolerance ${tolerance})`);
      }
    }
  });
}
