import { describeMetric } from "../sim/metrics/registry.js";

// Layout and scales of every figure, the sweeps' and the studies': shared so that every figure
// of a report has one size and reads alike.

/**
 * Every figure is this size whatever its title, legend or labels: `fit` shrinks the plot to make room for
 * them instead of growing the image. At the renderer's zoom of 2 the PNG is 1600 × 960 pixels.
 */
export const FIGURE_SIZE = { width: 800, height: 480, autosize: { type: "fit", contains: "padding" } } as const;

/**
 * A title over the plot's left edge. One too long for a line goes on two, broken before its last " against "
 * (or in the middle), rather than being cut short.
 */
export function figureTitle(text: string) {
  const at = text.lastIndexOf(" against ");
  const lines = text.length <= 55 ? text : at > 0 ? [text.slice(0, at), text.slice(at + 1)] : text;
  return { text: lines, anchor: "start", frame: "group", limit: FIGURE_SIZE.width } as const;
}

/**
 * The y scale of a fraction: zoomed to its data (0.996 against 0.999 must show), never past 1 nor below 0.
 * Undefined for other metrics, which keep the renderer's choice (from zero, for counts and latencies).
 */
export function fractionScale(metric: string, values: readonly number[]): { domain: [number, number]; zero: false; nice: false } | undefined {
  const range = describeMetric(metric)?.range;
  if (range === undefined || range[0] !== 0 || range[1] !== 1 || values.length === 0) return undefined;
  const low = Math.min(...values);
  const high = Math.max(...values);
  // A margin of a tenth of the span, or of 0.001 when every value is the same, inside [0, 1].
  const margin = Math.max((high - low) / 10, 0.001);
  return { domain: [Math.max(0, low - margin), Math.min(1, high + margin)], zero: false, nice: false };
}

/** A log axis over session times ends at the data, not at the next power of ten beyond it. */
export function logScale(values: readonly number[]): { type: "log"; domain: [number, number]; nice: false } {
  const low = Math.min(...values);
  const high = Math.max(...values);
  // A twentieth of a decade either side, so the end points are not drawn on the frame.
  const pad = 10 ** 0.05;
  return { type: "log", domain: [low / pad, high * pad], nice: false };
}

/** Category labels stay horizontal unless, side by side, they could not fit. */
export function categoryLabelAngle(labels: readonly string[]): number {
  const characters = labels.reduce((sum, l) => sum + l.length + 2, 0);
  return characters * 7 <= FIGURE_SIZE.width * 0.8 ? 0 : -30;
}

/**
 * An axis title that fits along the plot: a long one goes on two lines, its unit (in brackets) on the second.
 * Longer than the plot, it would stick out past it, and the figure's title would be pushed off the image.
 */
export function axisTitle(text: string): string | string[] {
  const unit = text.lastIndexOf(" (");
  return text.length <= 40 || unit <= 0 ? text : [text.slice(0, unit), text.slice(unit + 1)];
}
