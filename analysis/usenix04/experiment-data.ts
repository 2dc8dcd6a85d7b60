import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDuration } from "../../sim/scenario/units.js";
import type { RunValue } from "../paired.js";
import { readRuns, readSummary, type SummaryRow } from "../read-summary.js";

/** One experiment's summary.csv, or null when the experiment has not been run (or not finished). */
export interface Experiment {
  id: string;
  params: string[];
  rows: SummaryRow[];
  /** Every run's value of every metric (runs.csv): what paired comparisons and verdicts are computed from. */
  runs: RunValue[];
  /** The sweep's scenario as run (its quick variant when --quick): nodes, description, sources. */
  scenario: Record<string, any>;
}

export function readExperiment(studyDir: string, id: string): Experiment | null {
  const dir = join(studyDir, id);
  if (!existsSync(join(dir, "summary.csv"))) return null;
  const scenario = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")).scenario;
  return { id, scenario, ...readSummary(dir), runs: readRuns(dir) };
}

/** A parameter value as the sweep summary wrote it: JSON for objects, the text itself otherwise. */
export function parsed(value: string | undefined): any {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Median session time in minutes of a `churn` object or a duration, or null for a run without churn. */
export function churnMinutes(churn: string | undefined): number | null {
  const c = parsed(churn);
  if (typeof c === "string") return parseDuration(c) / 60_000;
  if (c === undefined || c.process === "none") return null;
  if (typeof c.tMed === "string") return parseDuration(c.tMed) / 60_000;
  if (typeof c.sessions?.median === "string") return parseDuration(c.sessions.median) / 60_000;
  throw new Error(`no median session time in churn ${churn}`);
}

/** The mean of a metric at the one grid point `where` selects, with its interval; undefined when absent. */
export function at(e: Experiment | null | undefined, metric: string, where: (point: Record<string, string>) => boolean): SummaryRow | undefined {
  if (e == null) return undefined;
  const found = e.rows.filter((r) => r.metric === metric && where(r.point));
  if (found.length > 1) throw new Error(`${e.id}: ${found.length} grid points match for ${metric}; the selection is ambiguous`);
  return found[0]?.mean === null ? undefined : found[0];
}

/** Selects the point whose parameters equal these values (objects compared by a chosen field). */
export function where(values: Record<string, (value: string) => boolean>): (point: Record<string, string>) => boolean {
  return (point) => Object.entries(values).every(([param, test]) => test(point[param]));
}

export const is = (expected: string) => (value: string) => value === expected;
export const tMedIs = (minutes: number | null) => (value: string) => churnMinutes(value) === minutes;
