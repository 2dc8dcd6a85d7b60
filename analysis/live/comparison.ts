import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Summary } from "../../sim/metrics/metrics.js";
import { formatDuration } from "../../sim/scenario/units.js";
import { describeMetric, metricValues } from "../../sim/metrics/registry.js";
import { meanWithInterval } from "../confidence.js";
import { type Estimate, paired } from "../paired.js";

/** The figures a simulated and a live run of one scenario are compared on: lookups, latency, hops, bandwidth. */
export const COMPARED_METRICS = [
  "consistent_fraction",
  "failed_fraction",
  "latency_p50_ms",
  "latency_p90_ms",
  "latency_p99_ms",
  "hops_mean",
  "maintenance_bytes_per_node_s",
  "total_bytes_per_node_s",
] as const;

export interface ComparisonRow {
  metric: string;
  label: string;
  simulated: Estimate;
  live: Estimate;
  /** live − simulated, paired by seed (both runs of a seed saw the same churn and lookups). */
  difference: Estimate;
}

/** One seed's pair of runs. */
export interface RunPair {
  seed: number;
  simulated: Summary;
  live: Summary;
}

const valueOf = (s: Summary, metric: string) => metricValues(s).find((m) => m.name === metric)?.value ?? null;

/** Each compared metric's mean over seeds, simulated and live, with 95% intervals, and their paired difference. */
export function compareRuns(pairs: readonly RunPair[]): ComparisonRow[] {
  return COMPARED_METRICS.map((metric) => {
    const info = describeMetric(metric);
    const sim = new Map<number, number>();
    const live = new Map<number, number>();
    for (const p of pairs) {
      const a = valueOf(p.simulated, metric);
      const b = valueOf(p.live, metric);
      if (a !== null) sim.set(p.seed, a);
      if (b !== null) live.set(p.seed, b);
    }
    return {
      metric,
      label: info?.label ?? metric,
      simulated: meanWithInterval([...sim.values()], info?.range),
      live: meanWithInterval([...live.values()], info?.range),
      difference: paired([live, sim], (l, s) => l - s),
    };
  });
}

const fmt = (x: number | null, digits: number) => (x === null ? "–" : x.toFixed(digits));
const digitsFor = (metric: string) => (metric.endsWith("_fraction") ? 4 : metric === "hops_mean" ? 2 : 0);

/** "12.3 [11.0, 13.6]", or the mean alone from one seed. */
export function formatEstimate(e: Estimate, digits: number): string {
  if (e.mean === null) return "–";
  return e.low === null ? fmt(e.mean, digits) : `${fmt(e.mean, digits)} [${fmt(e.low, digits)}, ${fmt(e.high, digits)}]`;
}

/** The comparison as a Markdown table: mean and 95% interval over seeds of each side, and of live − simulated. */
export function comparisonTable(rows: readonly ComparisonRow[]): string {
  const lines = ["| metric | simulated | live | live − simulated |", "|---|---|---|---|"];
  for (const r of rows) {
    const d = digitsFor(r.metric);
    lines.push(`| ${r.label} | ${formatEstimate(r.simulated, d)} | ${formatEstimate(r.live, d)} | ${formatEstimate(r.difference, d)} |`);
  }
  return lines.join("\n");
}

/** comparison.csv: one row per metric, each estimate's mean and interval. */
export function comparisonCsv(rows: readonly ComparisonRow[]): string {
  const cell = (x: number | null) => (x === null ? "" : String(x));
  const lines = ["metric,seeds,simulated_mean,simulated_low,simulated_high,live_mean,live_low,live_high,difference_mean,difference_low,difference_high"];
  for (const r of rows) {
    const e = [r.simulated, r.live, r.difference].flatMap((x) => [cell(x.mean), cell(x.low), cell(x.high)]);
    lines.push([r.metric, r.difference.n, ...e].join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** What comparison.md's heading says of the scenario compared. */
export interface ComparedScenario {
  name: string;
  protocol: string;
  nodes: number;
  durationMs: number;
  warmupMs: number;
  churn: string;
}

/** Writes comparison.md and comparison.csv into `out`; returns the rows. */
export function writeComparison(out: string, s: ComparedScenario, pairs: readonly RunPair[]): ComparisonRow[] {
  const rows = compareRuns(pairs);
  const heading =
    `# ${s.name}: simulated and live\n\n${s.protocol}, ${s.nodes} nodes, ${formatDuration(s.durationMs)} (warm-up ${formatDuration(s.warmupMs)}), ` +
    `churn ${s.churn}; seeds ${pairs.map((p) => p.seed).join(", ")}. Means over seeds with 95% intervals (Student's t); ` +
    `live − simulated paired by seed.\n\n`;
  writeFileSync(join(out, "comparison.md"), `${heading}${comparisonTable(rows)}\n`);
  writeFileSync(join(out, "comparison.csv"), comparisonCsv(rows));
  return rows;
}
