import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { writeFileAtomic } from "../sim/experiments/atomic-file.js";
import { meanWithInterval } from "./confidence.js";

interface SweepPlan {
  scenario: { sweep: { grid: Record<string, unknown[]> } };
  runs: { id: string; dir: string; seed: number }[];
}

type RunSummary = Record<string, any>;

/** The figures compared across runs, read from each run's summary.json. */
const METRICS: [string, (s: RunSummary) => number | null][] = [
  ["latency_mean_ms", (s) => s.latency_ms.mean],
  ["latency_p50_ms", (s) => s.latency_ms.p50],
  ["latency_p90_ms", (s) => s.latency_ms.p90],
  ["latency_p99_ms", (s) => s.latency_ms.p99],
  ["failed_fraction", (s) => s.failed_fraction],
  ["consistent_fraction", (s) => s.consistent_fraction],
  ["majority_consistent_fraction", (s) => s.majority_consistent_fraction],
  ["hops_mean", (s) => s.hops_mean],
  ["maintenance_bytes_per_node_s", (s) => s.maintenance_bytes_per_node_s],
  ["total_bytes_per_node_s", (s) => s.total_bytes_per_node_s],
  ["session_time_median_s", (s) => s.session_time_median_s],
  ["session_time_mean_s", (s) => s.session_time_mean_s],
  ["departures_per_s", (s) => s.departures_per_s],
];

const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
const round = (x: number | null) => (x === null ? "" : Math.round(x * 1e6) / 1e6);

/**
 * Summarises a sweep directory into two tidy CSV files: `runs.csv` (one row per run and metric) and
 * `summary.csv` (one row per grid point and metric: replicates, mean and 95% confidence interval across seeds).
 * Byte-category bandwidths appear as metrics `bytes_per_node_s_<category>` (sent).
 */
export function summariseSweep(dir: string): { runs: number; failed: number; points: number } {
  const plan = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as SweepPlan;
  const params = Object.keys(plan.scenario.sweep.grid).sort();
  const runRows: (string | number)[][] = [];
  const byPoint = new Map<string, { values: string[]; metrics: Map<string, number[]> }>();
  let failed = 0;
  for (const run of plan.runs) {
    const summaryFile = join(dir, "runs", run.dir, "summary.json");
    if (!existsSync(summaryFile)) {
      failed++;
      continue;
    }
    const scenario = JSON.parse(readFileSync(join(dir, "runs", run.dir, "scenario.json"), "utf8"));
    const values = params.map((p) => text(p.split(".").reduce((o: any, k) => o?.[k], scenario)));
    const summary = JSON.parse(readFileSync(summaryFile, "utf8")) as RunSummary;
    const metrics: [string, number | null][] = METRICS.map(([name, get]) => [name, get(summary)]);
    for (const [category, v] of Object.entries(summary.bytes_per_node_s_by_category as Record<string, { sent: number }>)) {
      metrics.push([`bytes_per_node_s_${category}`, v.sent]);
    }
    const key = values.join("\u0000");
    let point = byPoint.get(key);
    if (point === undefined) byPoint.set(key, (point = { values, metrics: new Map() }));
    for (const [name, value] of metrics) {
      runRows.push([...values, run.id, run.seed, name, round(value)]);
      if (value === null) continue;
      const list = point.metrics.get(name) ?? [];
      list.push(value);
      point.metrics.set(name, list);
    }
  }
  const pointRows: (string | number)[][] = [];
  for (const { values, metrics } of byPoint.values()) {
    for (const [name, list] of metrics) {
      const m = meanWithInterval(list);
      pointRows.push([...values, name, m.n, round(m.mean), round(m.low), round(m.high)]);
    }
  }
  writeFileAtomic(join(dir, "runs.csv"), stringify([[...params, "run", "seed", "metric", "value"], ...runRows]));
  writeFileAtomic(join(dir, "summary.csv"), stringify([[...params, "metric", "n", "mean", "ci95_low", "ci95_high"], ...pointRows]));
  return { runs: plan.runs.length - failed, failed, points: byPoint.size };
}
