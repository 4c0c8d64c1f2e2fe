import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findNumpyPython, requireTool, runPython } from '../testing/oracle.js';
import { chiSquareOneSurvival, erfc, logErfc, logUpperIncompleteGamma, upperIncompleteGamma } from './specialFunctions.js';

function assertRelative(actual: number, expected: number, tolerance: number, what: string): void {
  const error = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(error <= tolerance, `${what}: got ${actual}, expected ${expected} (relative error ${error})`);
}

test('erfc matches known values and its symmetry erfc(-z) = 2 - erfc(z)', () => {
  // Abramowitz & Stegun table 7.1 / closed forms.
  assert.equal(erfc(0), 1);
  assertRelative(erfc(0.5), 0.4795001221869535, 1e-14, 'erfc(0.5)');
  assertRelative(erfc(1), 0.15729920705028513, 1e-14, 'erfc(1)');
  assertRelative(erfc(2), 0.004677734981047266, 1e-13, 'erfc(2)');
  assertRelative(erfc(3), 2.209049699858544e-5, 1e-13, 'erfc(3)');
  assertRelative(erfc(10), 2.088487583762545e-45, 1e-13, 'erfc(10)');
  for (const z of [0.1, 0.7, 1.9, 2.1, 4]) assertRelative(erfc(-z), 2 - erfc(z), 1e-15, `erfc(-${z})`);
  assert.equal(erfc(30), 0);
  assert.equal(erfc(-30), 2);
  assert.ok(Number.isNaN(erfc(Number.NaN)));
});

test('logErfc stays finite where erfc underflows (asymptotic -z^2 - ln(z sqrt(pi)) - 1/(2z^2) + 5/(8z^4))', () => {
  for (const z of [30, 100, 1e4]) {
    const asymptotic = -z * z - Math.log(z * Math.sqrt(Math.PI)) - 1 / (2 * z * z) + 5 / (8 * z ** 4);
    assertRelative(logErfc(z), asymptotic, 1e-11, `logErfc(${z})`);
  }
  assertRelative(logErfc(1), Math.log(erfc(1)), 1e-15, 'logErfc(1)');
});

test('chiSquareOneSurvival is the chi-square(1) tail: 3.841 gives 0.05, 6.635 gives 0.01', () => {
  assertRelative(chiSquareOneSurvival(3.841458820694124), 0.05, 1e-12, 'chi2 95%');
  assertRelative(chiSquareOneSurvival(6.634896601021214), 0.01, 1e-12, 'chi2 99%');
  assert.equal(chiSquareOneSurvival(0), 1);
});

test('upperIncompleteGamma matches its closed forms for s = 1, 2, 1/2, 0, -1/2', () => {
  for (const x of [1e-6, 0.01, 0.3, 1, 2.5, 10, 40]) {
    assertRelative(upperIncompleteGamma(1, x), Math.exp(-x), 1e-13, `Gamma(1, ${x})`);
    assertRelative(upperIncompleteGamma(2, x), (x + 1) * Math.exp(-x), 1e-13, `Gamma(2, ${x})`);
    const half = Math.sqrt(Math.PI) * erfc(Math.sqrt(x));
    assertRelative(upperIncompleteGamma(0.5, x), half, 1e-12, `Gamma(1/2, ${x})`);
    // Gamma(s, x) = (Gamma(s + 1, x) - x^s e^-x) / s at s = -1/2.
    assertRelative(upperIncompleteGamma(-0.5, x), (half - Math.exp(-x) / Math.sqrt(x)) / -0.5, 1e-12, `Gamma(-1/2, ${x})`);
  }
  // E1(x) = Gamma(0, x): A&S table 5.1.
  assertRelative(upperIncompleteGamma(0, 1), 0.21938393439552029, 1e-13, 'E1(1)');
  assertRelative(upperIncompleteGamma(0, 0.1), 1.8229239584193906, 1e-13, 'E1(0.1)');
});

test('upperIncompleteGamma satisfies Gamma(s, x) = (Gamma(s+1, x) - x^s e^-x) / s for negative orders', () => {
  // The downward direction, well conditioned for s < 0 (no cancellation).
  for (const s of [-3.7, -1.2, -0.999, -0.3]) {
    for (const x of [1e-4, 0.05, 1, 7]) {
      const left = upperIncompleteGamma(s, x);
      const right = (upperIncompleteGamma(s + 1, x) - x ** s * Math.exp(-x)) / s;
      assertRelative(left, right, 1e-12, `recurrence at s=${s}, x=${x}`);
    }
  }
  assert.ok(Number.isFinite(logUpperIncompleteGamma(-50, 1e-8)));
});

test('upperIncompleteGamma agrees with mpmath.gammainc for any real order', (t) => {
  if (!requireTool(t, findNumpyPython() !== null, 'python3 with numpy/scipy')) return;
  const cases = [
    [-2.5, 0.001],
    [-1.5, 0.2],
    [-0.999999, 1e-8],
    [-1e-7, 3],
    [1e-8, 1e-6],
    [0.3, 100],
    [3.3, 0.5],
    [30, 10],
    [-6, 25],
  ];
  const expected = runPython<number[]>(
    `import sys, json
try:
    import mpmath
except ImportError:
    import scipy.integrate as si, numpy as np
    print(json.dumps([si.quad(lambda t: t**(s-1)*np.exp(-t), x, np.inf, epsabs=0, epsrel=1e-13, limit=500)[0] for s, x in json.load(sys.stdin)])); sys.exit()
mpmath.mp.dps = 30
print(json.dumps([float(mpmath.gammainc(s, x)) for s, x in json.load(sys.stdin)]))`,
    cases,
  );
  cases.forEach(([s, x], i) => assertRelative(upperIncompleteGamma(s!, x!), expected[i]!, 1e-11, `Gamma(${s}, ${x})`));
});

test('erfc agrees with scipy.special.erfc on a grid', (t) => {
  if (!requireTool(t, findNumpyPython() !== null, 'python3 with numpy/scipy')) return;
  const grid = Array.from({ length: 81 }, (_, i) => -6 + i * 0.2 + 0.013);
  const expected = runPython<number[]>(
    'import sys, json\nfrom scipy.special import erfc\nprint(json.dumps([float(erfc(z)) for z in json.load(sys.stdin)]))',
    grid,
  );
  grid.forEach((z, i) => assertRelative(erfc(z), expected[i]!, 1e-13, `erfc(${z})`));
});
