import type { SummaryRow } from "../read-summary.js";

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
