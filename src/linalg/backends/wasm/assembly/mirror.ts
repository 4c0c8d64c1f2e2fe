// Completes a symmetric product of which only the lower triangle was computed (the wasm syrk):
// c[i][j] = c[j][i] for j > i, a plain copy. In square tiles, each source row read contiguously and
// each tile's destination rows kept in L1; a task takes a band of destination rows, so workers can
// split the matrix (they write disjoint entries and read only the lower triangle).

/** Tile side: a 16 x 16 f64 tile is 2 KiB, and its 16 destination rows stay in L1. */
// @ts-ignore: decorator
@inline const TILE: i32 = 16;

/** c[i][j] = c[j][i] for rows i in [r0, r1) and columns j > i of the n x n row-major matrix at `c`. */
export function mirrorLower<T>(n: i32, c: usize, r0: i32, r1: i32): void {
  const size = <usize>sizeof<T>();
  const rowBytes = <usize>n * size;
  for (let ib = r0; ib < r1; ib += TILE) {
    const iEnd = min(r1, ib + TILE);
    for (let jb = ib; jb < n; jb += TILE) {
      const jEnd = min(n, jb + TILE);
      for (let j = max(jb, ib + 1); j < jEnd; j++) {
        const iStop = min(iEnd, j);
        let source = c + <usize>j * rowBytes + <usize>ib * size;
        let target = c + <usize>ib * rowBytes + <usize>j * size;
        for (let i = ib; i < iStop; i++) {
          store<T>(target, load<T>(source));
          source += size;
          target += rowBytes;
        }
      }
    }
  }
}
