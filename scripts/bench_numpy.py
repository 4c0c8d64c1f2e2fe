#!/usr/bin/env python3
"""numpy side of esdlab's benchmarks: the same ops, shapes and dtypes as `esdlab bench`
(src/bench/benchCase.ts), printed as the same JSON lines with "backend": "numpy".

numpy (and scipy, where present) are benchmark oracles only, never esdlab runtime dependencies.

  python3 scripts/bench_numpy.py --threads 2 --json            # the default table
  python3 scripts/bench_numpy.py --cases - < cases.jsonl        # exactly these cases (one JSON object a line)

Threads: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS are set before numpy is imported, and
threadpoolctl (if installed) limits the BLAS pools as well. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE,
which some machines set for older OpenBLAS builds, slow a current numpy: scripts/bench-compare.mjs
unsets both for this script's process only; run standalone, this script warns when they are set.

Timing follows src/bench/runBenchCase.ts: operands are prepared untimed; a first call warms up
unless it takes a second or more, in which case it counts as the first repeat; `ms` is the best of
the repeats and `medianMs` their median.
"""
import argparse
import json
import os
import sys
import time

OPS = ['gemm', 'gemm_into', 'syrk', 'eigvalsh', 'eigh', 'svdvals', 'cholesky_solve', 'top_singular_triplet']


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--op', help='comma-separated ops (default: all): ' + ', '.join(OPS))
    p.add_argument('--m', type=int)
    p.add_argument('--k', type=int)
    p.add_argument('--n', type=int)
    p.add_argument('--dtype', help='f32, f64 or f32,f64')
    p.add_argument('--threads', type=int, default=os.cpu_count())
    p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--json', action='store_true', help='JSON lines (default: a table)')
    p.add_argument('--quick', action='store_true', help='skip the n=4096 eigenvalue case')
    p.add_argument('--cases', help="JSON-lines file of cases ('-' for stdin) instead of the default table")
    return p.parse_args()


def default_cases(args):
    """Mirror of benchCases() in src/bench/benchCase.ts."""
    ops = args.op.split(',') if args.op else OPS
    for op in ops:
        if op not in OPS:
            sys.exit(f'bench_numpy: unknown op {op!r}; allowed: {", ".join(OPS)}')
    blas_dtypes = args.dtype.split(',') if args.dtype else ['f32', 'f64']
    lapack_dtypes = args.dtype.split(',') if args.dtype else ['f64']
    m, k, n = args.m, args.k, args.n
    cases = []
    for dtype in blas_dtypes:
        if 'gemm' in ops:
            for trans in ['NN', 'TN', 'NT']:
                cases.append({'op': 'gemm', 'trans': trans, 'm': m or 2000, 'k': k or 1000, 'n': n or 1500, 'dtype': dtype})
        if 'gemm_into' in ops:
            for trans in ['NN', 'TN', 'NT']:
                cases.append({'op': 'gemm_into', 'trans': trans, 'm': m or 2000, 'k': k or 1000, 'n': n or 1500, 'dtype': dtype})
    for dtype in blas_dtypes:
        if 'syrk' in ops:
            cases.append({'op': 'syrk', 'trans': 'N', 'n': n or 2000, 'k': k or 1000, 'dtype': dtype})
    for dtype in lapack_dtypes:
        if 'eigvalsh' in ops:
            sizes = [n] if n else ([1000] if args.quick else [1000, 4096])
            for size in sizes:
                cases.append({'op': 'eigvalsh', 'n': size, 'dtype': dtype})
        if 'eigh' in ops:
            cases.append({'op': 'eigh', 'n': n or 1000, 'dtype': dtype})
        if 'svdvals' in ops:
            cases.append({'op': 'svdvals', 'm': m or 1500, 'n': n or 1000, 'dtype': dtype})
        if 'cholesky_solve' in ops:
            cases.append({'op': 'cholesky_solve', 'n': n or 1500, 'k': k or 1, 'dtype': dtype})
        if 'top_singular_triplet' in ops:
            cases.append({'op': 'top_singular_triplet', 'm': m or 1500, 'n': n or 1000, 'dtype': dtype})
    return cases


def flops(c):
    if c['op'] in ('gemm', 'gemm_into'):
        return 2 * c['m'] * c['k'] * c['n']
    if c['op'] == 'syrk':
        return c['n'] * c['n'] * c['k']
    if c['op'] == 'cholesky_solve':
        return c['n'] ** 3 / 3 + 2 * c['n'] ** 2 * c['k']
    return None


def prepare(np, scipy_linalg, scipy_sparse_linalg, c):
    """The timed call for one case (operands prepared here, untimed), or None when unavailable."""
    dtype = np.float32 if c['dtype'] == 'f32' else np.float64
    rng = np.random.default_rng(20251129)

    def normal(rows, cols):
        return rng.standard_normal((rows, cols)).astype(dtype)

    op = c['op']
    if op in ('gemm', 'gemm_into'):
        m, k, n = c['m'], c['k'], c['n']
        # Transposed operands are views (F-ordered), so numpy hands BLAS a transpose flag, no copy.
        a = normal(k, m).T if c['trans'][0] == 'T' else normal(m, k)
        b = normal(n, k).T if c['trans'][1] == 'T' else normal(k, n)
        if op == 'gemm':
            return lambda: a @ b
        out = np.empty((m, n), dtype=dtype)
        return lambda: np.matmul(a, b, out=out)
    if op == 'syrk':
        a = normal(c['n'], c['k'])
        return lambda: a @ a.T  # numpy detects A @ A.T and calls syrk
    if op in ('eigvalsh', 'eigh'):
        x = normal(c['n'], c['n'])
        a = (x + x.T) / 2
        return (lambda: np.linalg.eigvalsh(a)) if op == 'eigvalsh' else (lambda: np.linalg.eigh(a))
    if op == 'svdvals':
        a = normal(c['m'], c['n'])
        return lambda: np.linalg.svd(a, compute_uv=False)
    if op == 'cholesky_solve':
        n = c['n']
        x = normal(n, n)
        a = (x @ x.T / n + np.eye(n)).astype(dtype)
        b = normal(n, c['k'])
        if scipy_linalg is not None:
            return lambda: scipy_linalg.cho_solve(scipy_linalg.cho_factor(a, lower=True), b)
        print('bench_numpy: scipy missing, cholesky_solve uses np.linalg.cholesky plus two general solves', file=sys.stderr)
        return lambda: np.linalg.solve(np.linalg.cholesky(a).T, np.linalg.solve(np.linalg.cholesky(a), b))
    if op == 'top_singular_triplet':
        if scipy_sparse_linalg is None:
            return None
        a = normal(c['m'], c['n'])
        return lambda: scipy_sparse_linalg.svds(a, k=1, random_state=0)
    raise ValueError(op)


def measure(call, repeats):
    times = []
    t0 = time.perf_counter()
    call()
    first_ms = (time.perf_counter() - t0) * 1e3
    if first_ms >= 1000:
        times.append(first_ms)
    while len(times) < repeats:
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    mid = len(times) // 2
    median = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
    return times[0], median, len(times)


def openblas_cores():
    """The OpenBLAS core of every BLAS library this process has loaded (openblas_get_corename via ctypes)."""
    import ctypes
    found = []
    with open('/proc/self/maps') as maps:
        paths = sorted({line.split()[-1] for line in maps if 'openblas' in line.split()[-1]})
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            found.append(f'{path}: OpenBLAS core {lib.openblas_get_corename().decode()}')
        except (OSError, AttributeError):
            continue
    return '; '.join(found) or 'no OpenBLAS loaded'


def main():
    args = parse_args()
    for name in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
        os.environ[name] = str(args.threads)
    for name in ('OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'):
        if name in os.environ:
            print(f'bench_numpy: warning: {name}={os.environ[name]} is set and may slow numpy; unset it for this command', file=sys.stderr)
    import numpy as np
    try:
        import scipy.linalg as scipy_linalg
        import scipy.sparse.linalg as scipy_sparse_linalg
    except ImportError:
        scipy_linalg = scipy_sparse_linalg = None
    limiter = None
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
        limiter = threadpool_limits(limits=args.threads, user_api='blas')
        pools = [f"{p.get('internal_api')} {p.get('version')} {p.get('architecture')} ({p.get('num_threads')} threads)" for p in threadpool_info()]
        blas = '; '.join(pools)
    except ImportError:
        blas = f'threadpoolctl missing; OPENBLAS_NUM_THREADS={args.threads}; {openblas_cores()}'
    print(f'bench_numpy: numpy {np.__version__}, scipy {"present" if scipy_linalg else "missing"}, BLAS: {blas}', file=sys.stderr)

    if args.cases:
        source = sys.stdin if args.cases == '-' else open(args.cases)
        cases = [json.loads(line) for line in source if line.strip()]
    else:
        cases = default_cases(args)
    if not args.json:
        print(f"{'op':22} {'shape':16} {'dtype':6} {'best ms':>11} {'median ms':>11} {'GFLOP/s':>9}")
    for c in cases:
        call = prepare(np, scipy_linalg, scipy_sparse_linalg, c)
        if call is None:
            print(f"bench_numpy: skipping {c['op']}: needs scipy", file=sys.stderr)
            continue
        ms, median, count = measure(call, args.repeats)
        f = flops(c)
        record = {key: c[key] for key in ('op', 'trans', 'm', 'k', 'n', 'dtype') if key in c}
        record.update(backend='numpy', threads=args.threads, ms=round(ms, 2), medianMs=round(median, 2), repeats=count,
                      gflops=None if f is None else round(f / (ms * 1e6), 2))
        if args.json:
            print(json.dumps(record, separators=(',', ':')), flush=True)
        else:
            shape = 'x'.join(str(c[key]) for key in ('m', 'k', 'n') if key in c)
            label = c['op'] + (' ' + c['trans'] if 'trans' in c else '')
            gflops = '-' if record['gflops'] is None else f"{record['gflops']:.1f}"
            print(f"{label:22} {shape:16} {c['dtype']:6} {ms:11.1f} {median:11.1f} {gflops:>9}", flush=True)
    del limiter


if __name__ == '__main__':
    main()
