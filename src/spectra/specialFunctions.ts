/**
 * The special functions the goodness-of-fit tests need, in f64, without tables of magic
 * coefficients: erfc from its power series and continued fraction, and the upper incomplete
 * gamma function for any real order by quadrature of a log-concave integral. Accuracy ~1e-14
 * relative (checked against scipy/mpmath in the tests).
 */

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * The scaled complementary error function erfcx(z) = exp(z^2) erfc(z), for z >= 0. Below 2 it uses
 * the all-positive series erf(z) = (2/sqrt(pi)) exp(-z^2) sum_n 2^n z^(2n+1) / (1*3*...*(2n+1)) (no
 * cancellation); from 2 on, the Laplace continued fraction erfc(z) = exp(-z^2)/sqrt(pi) *
 * 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), evaluated by the modified Lentz method.
 */
function erfcxNonNegative(z: number): number {
  if (z < 2) {
    const zz = z * z;
    let term = z;
    let sum = z;
    for (let n = 1; n < 200; n++) {
      term *= (2 * zz) / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    const erf = (2 / SQRT_PI) * Math.exp(-zz) * sum;
    return Math.exp(zz) * (1 - erf);
  }
  // f = z + a1/(z + a2/(z + ...)), a_k = k/2.
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = z + a * d;
    d = d === 0 ? tiny : d;
    c = z + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / (SQRT_PI * f);
}

/** The complementary error function erfc(z) = 1 - erf(z), for any real z (NaN gives NaN). */
export function erfc(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z >= 0) {
    if (z > 27.3) return 0; // below the smallest subnormal
    return erfcxNonNegative(z) * Math.exp(-z * z);
  }
  if (z < -6) return 2;
  return 2 - erfcxNonNegative(-z) * Math.exp(-z * z);
}

/** ln erfc(z), accurate far into the right tail (z up to ~1e150) where erfc itself underflows. */
export function logErfc(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z >= 0) return Math.log(erfcxNonNegative(z)) - z * z;
  return Math.log(erfc(z));
}

/** Survival function of the chi-square distribution with one degree of freedom: P(X > x) = erfc(sqrt(x/2)). */
export function chiSquareOneSurvival(x: number): number {
  return x <= 0 ? 1 : erfc(Math.sqrt(x / 2));
}

// 16-point Gauss-Legendre nodes and weights on [-1, 1], by Newton's method on P_16 (computed once).
const GAUSS_ORDER = 16;
const gaussNodes = new Float64Array(GAUSS_ORDER);
const gaussWeights = new Float64Array(GAUSS_ORDER);
for (let i = 0; i < GAUSS_ORDER / 2; i++) {
  let z = Math.cos((Math.PI * (i + 0.75)) / (GAUSS_ORDER + 0.5));
  let derivative = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    let p1 = 1;
    let p2 = 0;
    for (let j = 1; j <= GAUSS_ORDER; j++) {
      const p3 = p2;
      p2 = p1;
      p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
    }
    derivative = (GAUSS_ORDER * (z * p1 - p2)) / (z * z - 1);
    const step = p1 / derivative;
    z -= step;
    if (Math.abs(step) < 1e-16) break;
  }
  gaussNodes[i] = -z;
  gaussNodes[GAUSS_ORDER - 1 - i] = z;
  const weight = 2 / ((1 - z * z) * derivative * derivative);
  gaussWeights[i] = weight;
  gaussWeights[GAUSS_ORDER - 1 - i] = weight;
}

/**
 * ln of I(s, x) = integral_0^inf exp(s u - x e^u) du, x > 0, any real s (so that
 * Gamma(s, x) = x^s I(s, x), by t = x e^u). The exponent g(u) = s u - x e^u is concave, with its
 * maximum at u* = max(0, ln(s/x)); the integral is taken by 16-point Gauss-Legendre panels over the
 * range where g is within 50 of its maximum (e^-50 ~ 2e-22 of the peak is left out), with panels
 * narrow enough for the steepest curvature x e^u in that range.
 */
export function logIncompleteGammaIntegral(s: number, x: number): number {
  if (!(x > 0) || !Number.isFinite(s) || !Number.isFinite(x)) return Number.NaN;
  const exponent = (u: number): number => s * u - x * Math.exp(u);
  const peakU = s > x ? Math.log(s / x) : 0;
  const peak = exponent(peakU);
  const drop = 50;
  // Right end: g falls at least linearly past the peak, so step outward geometrically.
  let step = 1;
  let upper = peakU + step;
  while (exponent(upper) > peak - drop) {
    step *= 2;
    upper = peakU + step;
  }
  let lower = 0;
  if (peakU > 0) {
    step = 1;
    lower = Math.max(0, peakU - step);
    while (lower > 0 && exponent(lower) > peak - drop) {
      step *= 2;
      lower = Math.max(0, peakU - step);
    }
  }
  // Tighten the ends by bisection so that no panels are wasted on negligible mass.
  upper = bisectDrop(exponent, peakU, upper, peak - drop);
  if (lower > 0) lower = bisectDrop(exponent, peakU, lower, peak - drop);
  const curvature = x * Math.exp(upper) + Math.abs(s) / 16;
  const width = Math.min(0.5, 1 / Math.sqrt(1 + curvature));
  const panels = Math.max(1, Math.ceil((upper - lower) / width));
  const h = (upper - lower) / panels;
  let sum = 0;
  for (let p = 0; p < panels; p++) {
    const center = lower + (p + 0.5) * h;
    for (let k = 0; k < GAUSS_ORDER; k++) {
      sum += gaussWeights[k]! * Math.exp(exponent(center + 0.5 * h * gaussNodes[k]!) - peak);
    }
  }
  return peak + Math.log(0.5 * h * sum);
}

/** The point between `inside` (g above level) and `outside` (g at or below level) where g crosses level, to ~1e-3. */
function bisectDrop(g: (u: number) => number, inside: number, outside: number, level: number): number {
  let a = inside;
  let b = outside;
  for (let i = 0; i < 40 && Math.abs(b - a) > 1e-3; i++) {
    const m = 0.5 * (a + b);
    if (g(m) > level) a = m;
    else b = m;
  }
  return b;
}

/** ln Gamma(s, x), the log of the upper incomplete gamma function, for any real s and x > 0. */
export function logUpperIncompleteGamma(s: number, x: number): number {
  return s * Math.log(x) + logIncompleteGammaIntegral(s, x);
}

/** The upper incomplete gamma function Gamma(s, x) = integral_x^inf t^(s-1) e^-t dt, any real s, x > 0 (may overflow to Infinity). */
export function upperIncompleteGamma(s: number, x: number): number {
  return Math.exp(logUpperIncompleteGamma(s, x));
}
