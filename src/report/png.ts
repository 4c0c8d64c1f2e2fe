/**
 * SVG to PNG with resvg (no browser, no canvas), apart from the vega side of render.ts so that the
 * plot worker (plotWorker.ts) loads resvg alone. Fonts: DejaVu Sans when installed (Debian/Ubuntu
 * `fonts-dejavu-core`, which CI installs), else whatever the system has, so that text always shows.
 */
import { existsSync } from 'node:fs';
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';

/** Where Debian and Ubuntu put DejaVu Sans. */
const DEJAVU_DIRECTORY = '/usr/share/fonts/truetype/dejavu';
const DEJAVU_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'];

let fontOptions: ResvgRenderOptions['font'] | undefined;

/**
 * The resvg font setup, decided once: loading two font files is much faster than scanning the
 * system fonts on every render, and maps the SVG's generic `sans-serif` to DejaVu Sans.
 */
function resvgFontOptions(): NonNullable<ResvgRenderOptions['font']> {
  if (fontOptions === undefined) {
    const files = DEJAVU_FILES.map((name) => `${DEJAVU_DIRECTORY}/${name}`).filter((path) => existsSync(path));
    fontOptions =
      files.length > 0
        ? { loadSystemFonts: false, fontFiles: files, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' }
        : { loadSystemFonts: true };
  }
  return fontOptions;
}

/** Options of {@link renderPng}. */
export interface PngOptions {
  /** Pixel density: 2 gives a 2x image of the SVG's size (default 2). */
  scale?: number;
}

function resvgOptions(options: PngOptions): ResvgRenderOptions {
  return {
    font: resvgFontOptions(),
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: 'white',
    logLevel: 'off',
  };
}

/** Rasterizes an SVG string to PNG bytes, synchronously. */
export function renderPng(svg: string, options: PngOptions = {}): Uint8Array {
  const image = new Resvg(svg, resvgOptions(options)).render();
  return new Uint8Array(image.asPng());
}

/** The same as {@link renderPng} on resvg's thread pool, so several PNGs rasterize in parallel. */
export async function renderPngAsync(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  const image = await renderAsync(svg, resvgOptions(options));
  return new Uint8Array(image.asPng());
}
