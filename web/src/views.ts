/**
 * The lab's live views: the Vega-Lite specs of src/report (the CLI's plot builders), compiled with
 * vega-lite and drawn with vega as SVG in the page. No plotting of its own.
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

/** The SVG text of a drawn view (for export), or null. */
export async function svgOf(id: string): Promise<string | null> {
  const view = views.get(id);
  return view ? view.toSVG() : null;
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
  await Promise.all([
    draw('view-esd', probe ? esdFitSpec(probe, metrics, state.shape, pinnedProbe ? { label: state.pinned!.label, probe: pinnedProbe } : undefined) : null),
    draw('view-alphas', state.steps.length > 0 ? metricsSpec(state.steps) : null),
    draw('view-loss', state.steps.length > 0 ? lossSpec(state.steps) : null),
    draw('view-overlaps', overlapsSpec(state.probes.slice(0, state.shownIndex + 1))),
    draw('view-pinned-alphas', state.pinned && state.pinned.steps.length > 0 ? metricsSpec(state.pinned.steps) : null),
  ]);
}

function nearest(probes: readonly ProbeLike[], step: number): ProbeLike | undefined {
  let best: ProbeLike | undefined;
  for (const p of probes) if (!best || Math.abs(p.step - step) < Math.abs(best.step - step)) best = p;
  return best;
}
