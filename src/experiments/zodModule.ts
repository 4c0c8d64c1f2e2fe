/**
 * zod, the config schema's validator, from one place. `npm run build` replaces tsc's output of
 * this file (dist/experiments/zodModule.js) with one esbuild bundle of the package
 * (scripts/build-vega-bundle.mjs): zod 4 is ~70 module files, and loading one file instead cut its
 * import from 107-143 ms to 60-67 ms (measured 2026-12-02, three fresh processes each), which every
 * command pays before it reads a config. From src/ (tests, tsx, the browser build) the package
 * loads as itself.
 */
export { z } from 'zod';
