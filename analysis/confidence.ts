import { deviation, mean } from "d3-array";
import { type Range, UNBOUNDED } from "../sim/metrics/registry.js";

// Two-sided 95% quantiles of Student's t by degrees of freedom; beyond the table the normal value.
const T95: [number, number][] = [
  [1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [6, 2.447], [7, 2.365], [8, 2.306], [9, 2.262],
  [10, 2.228], [12, 2.179], [15, 2.131], [20, 2.086], [25, 2.06], [30, 2.042], [40, 2.021], [60, 2.0], [120, 1.98],
];

/** t(0.975, df), taking the tabulated value at or below df (conservative between rows). */
export function t95(df: number): number {
  let value = 1.96;
  for (const [d, t] of T95) if (df >= d) value = t;
  return df > 120 ? 1.96 : value;
}

/**
 * Mean with a 95% confidence interval across replicate seeds (Student's t); no interval from one value. The
 * interval is clamped to the metric's possible range: from two seeds t is 12.7 and would reach below 0 ms or past 1.
 */
export function meanWithInterval(values: readonly number[], range: Range = UNBOUNDED): { n: number; mean: number | null; low: number | null; high: number | null } {
  const n = values.length;
  if (n === 0) return { n, mean: null, low: null, high: null };
  const m = mean(values) as number;
  if (n === 1) return { n, mean: m, low: null, high: null };
  const half = (t95(n - 1) * (deviation(values) as number)) / Math.sqrt(n);
  return { n, mean: m, low: Math.max(range[0], m - half), high: Math.min(range[1], m + half) };
}
