/**
 * The Marchenko-Pastur law for the eigenvalues of W^T W, W an h x d matrix of i.i.d. entries of
 * variance s^2 (unnormalized, as esdlab's ESDs are): with N = min(h, d) eigenvalues, M = max(h, d)
 * and q = N / M, lambda / (s^2 M) follows MP(q) on [(1 - sqrt q)^2, (1 + sqrt q)^2], so the bulk is
 * [s^2 (sqrt M - sqrt N)^2, s^2 (sqrt M + sqrt N)^2] with density
 * rho(lambda) = sqrt((lambda+ - lambda)(lambda - lambda-)) / (2 pi s^2 N lambda).
 */

/** Shape and scale of an MP law. */
export interface MarchenkoPasturParameters {
  /** Rows h of W. */
  readonly rows: number;
  /** Columns d of W. */
  readonly cols: number;
  /** The entries' variance s^2. */
  readonly varianceScale: number;
}

/** The bulk edges [s^2 (sqrt M - sqrt N)^2, s^2 (sqrt M + sqrt N)^2]. */
export function marchenkoPasturEdges({ rows, cols, varianceScale }: MarchenkoPasturParameters): [number, number] {
  const a = Math.sqrt(Math.max(rows, cols));
  const b = Math.sqrt(Math.min(rows, cols));
  return [varianceScale * (a - b) ** 2, varianceScale * (a + b) ** 2];
}

/**
 * The MP density of one eigenvalue of W^T W at x (probability per unit eigenvalue; it integrates
 * to 1 over the bulk, so multiply by N * bin width for expected counts in a histogram). Zero
 * outside the bulk; for h = d it diverges like x^-1/2 at 0.
 */
export function marchenkoPasturDensity(x: number, parameters: MarchenkoPasturParameters): number {
  const [lower, upper] = marchenkoPasturEdges(parameters);
  if (!(x > lower && x < upper) || x <= 0) return 0;
  const n = Math.min(parameters.rows, parameters.cols);
  return Math.sqrt((upper - x) * (x - lower)) / (2 * Math.PI * parameters.varianceScale * n * x);
}

/**
 * The MP(q) distribution of x = lambda / (s^2 M), tabulated once per q. The CDF is integrated in
 * theta, x = a + (b - a)(1 - cos theta)/2, where the integrand (b - a)^2 sin^2 theta / (8 pi q x) is
 * smooth (the square-root edges disappear), by the trapezoid rule on a fine grid.
 */
export class MarchenkoPasturTable {
  readonly ratio: number;
  readonly lower: number;
  readonly upper: number;
  private readonly cumulative: Float64Array;
  private static readonly GRID = 4096;

  constructor(ratio: number) {
    this.ratio = ratio;
    this.lower = (1 - Math.sqrt(ratio)) ** 2;
    this.upper = (1 + Math.sqrt(ratio)) ** 2;
    const grid = MarchenkoPasturTable.GRID;
    const width = this.upper - this.lower;
    const integrand = (theta: number): number => {
      const x = this.lower + (width * (1 - Math.cos(theta))) / 2;
      const sine = Math.sin(theta);
      // At theta = 0 with lower = 0 (q = 1) the ratio sin^2/x tends to 4/width.
      const ratioTerm = x > 0 ? (sine * sine) / x : 4 / width;
      return (width * width * ratioTerm) / (8 * Math.PI * ratio);
    };
    const cumulative = new Float64Array(grid + 1);
    const h = Math.PI / grid;
    let previous = integrand(0);
    for (let i = 1; i <= grid; i++) {
      const current = integrand(i * h);
      cumulative[i] = cumulative[i - 1]! + 0.5 * h * (previous + current);
      previous = current;
    }
    const total = cumulative[grid]!;
    for (let i = 0; i <= grid; i++) cumulative[i]! /= total;
    this.cumulative = cumulative;
  }

  /** P(X <= x) for X ~ MP(q). */
  cdf(x: number): number {
    if (x <= this.lower) return 0;
    if (x >= this.upper) return 1;
    const cosine = 1 - (2 * (x - this.lower)) / (this.upper - this.lower);
    const position = (Math.acos(Math.max(-1, Math.min(1, cosine))) / Math.PI) * MarchenkoPasturTable.GRID;
    const i = Math.min(MarchenkoPasturTable.GRID - 1, Math.floor(position));
    const t = position - i;
    return (1 - t) * this.cumulative[i]! + t * this.cumulative[i + 1]!;
  }

  /** The p-quantile of MP(q), 0 <= p <= 1. */
  quantile(p: number): number {
    const c = this.cumulative;
    let low = 0;
    let high = MarchenkoPasturTable.GRID;
    while (high - low > 1) {
      const mid = (low + high) >> 1;
      if (c[mid]! < p) low = mid;
      else high = mid;
    }
    const span = c[high]! - c[low]!;
    const t = span > 0 ? (p - c[low]!) / span : 0;
    const theta = ((low + t) * Math.PI) / MarchenkoPasturTable.GRID;
    return this.lower + ((this.upper - this.lower) * (1 - Math.cos(theta))) / 2;
  }
}
