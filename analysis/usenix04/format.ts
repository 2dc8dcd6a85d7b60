import type { SummaryRow } from "../read-summary.js";
import type { Estimate } from "../paired.js";

/** A mean with its 95% interval: fractions as percentages, other values rounded to `digits`. */
export function show(r: SummaryRow | undefined, digits = 0): string {
  if (r === undefined || r.mean === null) return "–";
  const fraction = r.metric.endsWith("fraction");
  const f = (x: number) => (fraction ? `${(100 * x).toFixed(2)}%` : x.toFixed(digits));
  if (r.low === null || r.high === null || r.n < 2) return f(r.mean);
  // A fraction's t-interval can reach past 0 or 1; the fraction cannot.
  const [low, high] = fraction ? [Math.max(0, r.low), Math.min(1, r.high)] : [r.low, r.high];
  return `${f(r.mean)} (${f(low)}–${f(high)})`;
}

/** A bare number for a claim's evidence: percentages for fractions. */
export function value(r: SummaryRow, digits = 0): string {
  const m = r.mean as number;
  return r.metric.endsWith("fraction") ? `${(100 * m).toFixed(2)}%` : m.toFixed(digits);
}

export const minutes = (m: number) => `${Number(m.toFixed(1))} min`;

/**
 * An estimate for a claim's evidence, its numbers written by `f`: the mean with its 95% interval and how many
 * seeds (or pairs) it rests on, and no interval from one.
 */
export function estimate(e: Estimate, f: (x: number) => string, unit = ""): string {
  if (e.mean === null) return "–";
  const u = unit === "" ? "" : ` ${unit}`;
  if (e.low === null || e.high === null) return `${f(e.mean)}${u} (${e.n} seed${e.n === 1 ? "" : "s"}, no interval)`;
  return `${f(e.mean)}${u} (95% CI ${f(e.low)} to ${f(e.high)}, ${e.n} seeds)`;
}

export const percent = (x: number) => `${(100 * x).toFixed(2)}%`;
/** A difference of fractions in percentage points, signed; its unit ("points") goes after the estimate. */
export const points = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(2)}`;
export const times = (x: number) => `×${x.toFixed(2)}`;
export const signed = (digits = 0) => (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(digits)}`;
export const plain = (digits = 0) => (x: number) => x.toFixed(digits);
