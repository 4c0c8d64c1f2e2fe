/** Result of a Nelder-Mead minimization. */
export interface MinimizeResult {
  /** The best point found. */
  readonly point: Float64Array;
  /** f at that point. */
  readonly value: number;
  /** Iterations used. */
  readonly iterations: number;
  /** True when the simplex's value spread fell below the tolerance before maxIterations. */
  readonly hasConverged: boolean;
}

/**
 * Minimizes f over R^n by the Nelder-Mead simplex method (standard coefficients: reflection 1,
 * expansion 2, contraction 1/2, shrink 1/2). Small and derivative-free: used for the 2-parameter
 * maximum-likelihood fits of the candidate distributions. f may return Infinity (or NaN, treated
 * as Infinity) outside the valid parameter range.
 * @param f the objective
 * @param start the starting point
 * @param steps the initial simplex edge along each coordinate
 * @param options.tolerance relative spread of f over the simplex at convergence
 * @param options.pointTolerance simplex diameter (relative to 1 + |x|) at convergence
 */
export function minimizeNelderMead(
  f: (x: Float64Array) => number,
  start: ArrayLike<number>,
  steps: ArrayLike<number>,
  {
    maxIterations = 2000,
    tolerance = 1e-12,
    pointTolerance = 1e-7,
  }: { maxIterations?: number; tolerance?: number; pointTolerance?: number } = {},
): MinimizeResult {
  const n = start.length;
  const evaluate = (x: Float64Array): number => {
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const points: Float64Array[] = [];
  const values: number[] = [];
  for (let i = 0; i <= n; i++) {
    const p = Float64Array.from(start);
    if (i > 0) p[i - 1]! += steps[i - 1]!;
    points.push(p);
    values.push(evaluate(p));
  }
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const along = (t: number, worst: Float64Array): Float64Array => {
    const p = new Float64Array(n);
    for (let j = 0; j < n; j++) p[j] = centroid[j]! + t * (worst[j]! - centroid[j]!);
    return p;
  };
  let iteration = 0;
  let hasConverged = false;
  for (; iteration < maxIterations; iteration++) {
    order.sort((a, b) => values[a]! - values[b]!);
    const best = order[0]!;
    const worst = order[n]!;
    const secondWorst = order[n - 1]!;
    const spread = Math.abs(values[worst]! - values[best]!);
    // Both the values and the simplex must have shrunk (as scipy's fmin): equal values at distinct
    // points (a symmetric valley) are not convergence.
    let diameter = 0;
    for (let k = 1; k <= n; k++) {
      for (let j = 0; j < n; j++) {
        const b = points[best]![j]!;
        diameter = Math.max(diameter, Math.abs(points[order[k]!]![j]! - b) / (1 + Math.abs(b)));
      }
    }
    if (Number.isFinite(values[worst]!) && spread <= tolerance * (Math.abs(values[best]!) + tolerance) && diameter <= pointTolerance) {
      hasConverged = true;
      break;
    }
    centroid.fill(0);
    for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) centroid[j]! += points[order[k]!]![j]! / n;
    const reflected = along(-1, points[worst]!);
    const reflectedValue = evaluate(reflected);
    if (reflectedValue < values[best]!) {
      const expanded = along(-2, points[worst]!);
      const expandedValue = evaluate(expanded);
      if (expandedValue < reflectedValue) [points[worst], values[worst]] = [expanded, expandedValue];
      else [points[worst], values[worst]] = [reflected, reflectedValue];
      continue;
    }
    if (reflectedValue < values[secondWorst]!) {
      [points[worst], values[worst]] = [reflected, reflectedValue];
      continue;
    }
    const isOutside = reflectedValue < values[worst]!;
    const contracted = along(isOutside ? -0.5 : 0.5, points[worst]!);
    const contractedValue = evaluate(contracted);
    if (contractedValue < Math.min(reflectedValue, values[worst]!)) {
      [points[worst], values[worst]] = [contracted, contractedValue];
      continue;
    }
    for (let k = 1; k <= n; k++) {
      const index = order[k]!;
      const p = points[index]!;
      for (let j = 0; j < n; j++) p[j] = points[best]![j]! + 0.5 * (p[j]! - points[best]![j]!);
      values[index] = evaluate(p);
    }
  }
  order.sort((a, b) => values[a]! - values[b]!);
  return { point: points[order[0]!]!, value: values[order[0]!]!, iterations: iteration, hasConverged };
}
