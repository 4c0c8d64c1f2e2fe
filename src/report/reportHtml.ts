/**
 * The report page in Node: {@link reportPageHtml} with the vega and vega-lite browser bundles read
 * from node_modules (their UMD `build/*.min.js`), so the page works offline from a file.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { reportPageHtml, type BrowserLibraries, type ReportPageInput } from './reportPage.js';

let libraries: BrowserLibraries | undefined;

/**
 * The minified browser builds of vega and vega-lite (read once, then cached). Their packages
 * export only the schema JSON besides the module entry, so the build folder is found through it.
 */
export function browserLibraries(): BrowserLibraries {
  if (libraries === undefined) {
    const require = createRequire(import.meta.url);
    const vegaBuild = dirname(require.resolve('vega/vega-schema.json'));
    const vegaLiteBuild = dirname(require.resolve('vega-lite/vega-lite-schema.json'));
    libraries = {
      vega: readFileSync(join(vegaBuild, 'vega.min.js'), 'utf8'),
      vegaLite: readFileSync(join(vegaLiteBuild, 'vega-lite.min.js'), 'utf8'),
    };
  }
  return libraries;
}

/** The self-contained report page (title, tables, live figures from `specs`), as an HTML string. */
export function reportHtml(input: ReportPageInput): string {
  return reportPageHtml(input, browserLibraries());
}
