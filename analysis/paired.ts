import { meanWithInterval } from "./confidence.js";

/** One run's value of one metric, as runs.csv holds it: its grid point, replicate and seed. */
export interface RunValue {
  point: Record<string, string>;
  replicate: number;
  seed: number;
  metric: string;
  value: number | null;
}

/** A mean across seeds (or pairs of runs) with its Student-t 95% interval; no interval from fewer than two. */
export interface Estimate {
  n: number;
  mean: number | null;
  low: number | null;
  high: number | null;
}

/**
 * How runs of different grid points are matched: by `seed` when the points differ only in design (they share
 * seeds under common random numbers, so a pair saw the same churn), by `replicate` when the environment differs
 * too (different network sizes or churn levels), where the pairing only keeps the analysis per replicate.
 */
export type Pairing = "seed" | "replicate";

/**
 * The values of `metric` at the one grid point `where` selects, keyed by seed or replicate; undefined when the
 * point has no value (not run, or the metric not measured). Two points matching is a bug in the claim.
 */
export function valuesAt(runs: readonly RunValue[], metric: string, where: (point: Record<string, string>) => boolean, by: Pairing = "seed"): Map<number, number> | undefined {
  const found = runs.filter((r) => r.metric === metric && where(r.point));
  const points = new Set(found.map((r) => JSON.stringify(r.point)));
  if (points.size > 1) throw new Error(`${points.size} grid points match for ${metric}; the selection is ambiguous`);
  const values = new Map<number, number>();
  for (const r of found) if (r.value !== null) values.set(by === "seed" ? r.seed : r.replicate, r.value);
  return values.size === 0 ? undefined : values;
}

/**
 * `f` of each matched tuple of runs (one run from each sample, same key), with a 95% interval across tuples:
 * a paired difference `(a, b) => a - b`, a ratio `(a, b) => a / b`, or one sample's own values `(a) => a`.
 * Keys missing from any sample are left out; a tuple whose statistic is not finite (a ratio over 0) too.
 */
export function paired(samples: readonly Map<number, number>[], f: (...xs: number[]) => number): Estimate {
  const [first, ...rest] = samples;
  const stats: number[] = [];
  for (const [key, x] of [...first].sort((a, b) => a[0] - b[0])) {
    if (!rest.every((s) => s.has(key))) continue;
    const y = f(x, ...rest.map((s) => s.get(key) as number));
    if (Number.isFinite(y)) stats.push(y);
  }
  return meanWithInterval(stats);
}
