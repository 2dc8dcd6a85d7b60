import { type ClaimResult, type Finding, need } from "./claim-checks.js";
import { type Pairing, valuesAt } from "./paired.js";
import { churnMinutes, type Experiment } from "./usenix04/experiment-data.js";

/** What the claims of every study read their numbers with: per-run samples, paired statistics, findings. */
export type Where = (point: Record<string, string>) => boolean;

/** The values of `metric` at one grid point, per seed (or replicate); "no data" when it was not measured. */
export const sample = (e: Experiment, metric: string, w: Where, what: string, by: Pairing = "seed") => need(valuesAt(e.runs, metric, w, by), `${e.id}: ${metric} for ${what}`);

export const finding = (f: Finding, evidence: string): ClaimResult => ({ verdict: f, evidence });

/** Median session times (minutes) among an experiment's runs, from shortest to longest; runs without churn left out. */
export function sessionTimes(e: Experiment, param = "churn"): number[] {
  const xs = [...new Set(e.runs.map((r) => churnMinutes(r.point[param])).filter((x): x is number => x !== null))].sort((a, b) => a - b);
  return need(xs.length > 0 ? xs : undefined, `${e.id}: no run with churn`);
}

/** The distinct values of a grid parameter among an experiment's runs, ordered by `order`. */
export function valuesOf(e: Experiment, param: string, order: (v: string) => number): string[] {
  return [...new Set(e.runs.map((r) => r.point[param]))].filter((v) => v !== undefined).sort((a, b) => order(a) - order(b));
}

export const ratio = (a: number, b: number) => a / b;
export const difference = (a: number, b: number) => a - b;
export const itself = (a: number) => a;
