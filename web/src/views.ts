/**
 * The lab's live views: the Vega-Lite specs of src/report (the CLI's plot builders), compiled with
 * vega-lite and drawn with vega as SVG in the page. No plotting of its own: a pinned run is the
 * builders' comparison series, and exports are vega's own toSVG / toImageURL.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import {
  esdFitSpec,
  lossSpec,
  metricsSpec,
  overlapsSpec,
  type ProbeLike,
  type StepMetricsLike,
  type VegaLiteSpec,
} from '../../src/browser.js';

const views = new Map<string, View>();

/** Draws `spec` into the element with id `id`, replacing what was there. */
export async function draw(id: string, spec: VegaLiteSpec | null): Promise<void> {
  const element = document.getElementById(id)!;
  views.get(id)?.finalize();
  views.delete(id);
  if (spec === null) {
    element.replaceChildren();
    return;
  }
  const vegaSpec = compile(spec as unknown as TopLevelSpec).spec;
  const view = new View(parse(vegaSpec), { renderer: 'svg', container: element, hover: false });
  views.set(id, view);
  await view.runAsync();
}

/** The views that draw something, by element id, and the file name their exports get. */
export const VIEW_FILES: Readonly<Record<string, string>> = { 'view-esd': 'esd', 'view-alphas': 'metrics', 'view-loss': 'loss', 'view-overlaps': 'overlaps' };

/** A drawn view as an image: SVG text, or a PNG data URL (at twice the size); null when the view is empty. */
export async function imageOf(id: string, format: 'svg' | 'png'): Promise<string | null> {
  const view = views.get(id);
  if (!view) return null;
  return format === 'svg' ? view.toSVG() : view.toImageURL('png', 2);
}

/** What the views draw: the run's probes so far, the shown probe, and a pinned run to compare with. */
export interface ViewState {
  steps: StepMetricsLike[];
  probes: ProbeLike[];
  shownIndex: number;
  shape: { rows: number; cols: number };
  pinned: { label: string; steps: StepMetricsLike[]; probes: ProbeLike[] } | null;
}

/** Redraws every view from `state`. */
export async function drawAll(state: ViewState): Promise<void> {
  const probe = state.probes[state.shownIndex];
  const metrics = probe ? state.steps.find((s) => s.step === probe.step) : undefined;
  const pinnedProbe = state.pinned && probe ? nearest(state.pinned.probes, probe.step) : undefined;
  const compare = state.pinned && state.pinned.steps.length > 0 ? { label: state.pinned.label, steps: state.pinned.steps } : undefined;
  await Promise.all([
    draw('view-esd', probe ? esdFitSpec(probe, metrics, state.shape, pinnedProbe ? { label: state.pinned!.label, probe: pinnedProbe } : undefined) : null),
    draw('view-alphas', state.steps.length > 0 ? metricsSpec(state.steps, undefined, compare) : null),
    draw('view-loss', state.steps.length > 0 ? lossSpec(state.steps, undefined, compare) : null),
    // heat maps of this run only: a second run has no place in a heat map (docs/lab.md)
    draw('view-overlaps', overlapsSpec(state.probes.slice(0, state.shownIndex + 1))),
  ]);
}

/** The pinned run's probe nearest to `step` (what the ESD view and the phase line compare with). */
export function nearest(probes: readonly ProbeLike[], step: number): ProbeLike | undefined {
  let best: ProbeLike | undefined;
  for (const p of probes) if (!best || Math.abs(p.step - step) < Math.abs(best.step - step)) best = p;
  return best;
}
