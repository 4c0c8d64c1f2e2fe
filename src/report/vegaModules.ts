/**
 * The vega and vega-lite modules the report draws with, in one place. `npm run build` replaces
 * tsc's output of this file (dist/report/vegaModules.js) with one esbuild bundle of both packages
 * and their ~40 dependencies (scripts/build-vega-bundle.mjs): loading one file instead of several
 * hundred module files cut their import from 218-241 ms to 84-108 ms (measured 2026-12-02, three
 * fresh processes each), which every command that writes a report pays before it starts. From
 * src/ (tests, tsx) the packages load as themselves.
 */
export * as vega from 'vega';
export { compile } from 'vega-lite';
