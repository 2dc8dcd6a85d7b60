import type { SummaryRow } from "./read-summary.js";

/** Below this many seeds a 95% t interval is too wide to tell grid points apart (t is 12.7 for 2 seeds, 4.3 for 3). */
export const FEW_SEEDS = 3;

/** The report's warning when a grid point has fewer than FEW_SEEDS seeds; undefined when every point has enough. */
export function fewSeedsNote(rows: readonly SummaryRow[]): string | undefined {
  const ns = rows.filter((r) => r.mean !== null).map((r) => r.n);
  if (ns.length === 0) return undefined;
  const fewest = ns.reduce((a, b) => Math.min(a, b));
  if (fewest >= FEW_SEEDS) return undefined;
  const where = ns.every((n) => n === fewest) ? "Every grid point has" : "Some grid points have";
  if (fewest === 1) return `${where} a single seed: no confidence interval there, and nothing says how far another seed would move the mean. Run more seeds before comparing grid points.`;
  return `${where} only ${fewest} seeds: intervals from so few seeds mean little (with 2 seeds a 95% interval spans 12.7 standard errors either way). Run at least ${FEW_SEEDS} seeds, better 5 or more, before reading differences from them.`;
}
