import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { writeFileAtomic } from "../sim/experiments/atomic-file.js";
import type { Summary } from "../sim/metrics/metrics.js";
import { type Aggregate, describeMetric, metricValues } from "../sim/metrics/registry.js";
import { meanWithInterval } from "./confidence.js";

interface SweepPlan {
  scenario: { sweep: { grid: Record<string, unknown[]> } };
  runs: { id: string; dir: string; seed: number }[];
}

/** How each kind of aggregate combines one grid point's runs. */
const AGGREGATES: Record<Aggregate, (values: readonly number[]) => ReturnType<typeof meanWithInterval>> = { mean_t95: meanWithInterval };

const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
const round = (x: number | null) => (x === null ? "" : Math.round(x * 1e6) / 1e6);

/**
 * Summarises a sweep directory into two tidy CSV files: `runs.csv` (one row per run and metric) and
 * `summary.csv` (one row per grid point and metric: replicates, mean and 95% confidence interval across seeds).
 * The metrics are the registry's (sim/metrics/registry.ts): the declared ones, then each family's members —
 * byte-category bandwidths (`bytes_per_node_s_<category>`, sent) and the protocol's own statistics.
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
    // Untyped on disk: a summary.json from an older version may lack newer metrics, which then read as null.
    const summary = JSON.parse(readFileSync(summaryFile, "utf8")) as Summary;
    const key = values.join("\u0000");
    let point = byPoint.get(key);
    if (point === undefined) byPoint.set(key, (point = { values, metrics: new Map() }));
    for (const { name, value } of metricValues(summary)) {
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
      const m = AGGREGATES[describeMetric(name)?.aggregate ?? "mean_t95"](list);
      pointRows.push([...values, name, m.n, round(m.mean), round(m.low), round(m.high)]);
    }
  }
  writeFileAtomic(join(dir, "runs.csv"), stringify([[...params, "run", "seed", "metric", "value"], ...runRows]));
  writeFileAtomic(join(dir, "summary.csv"), stringify([[...params, "metric", "n", "mean", "ci95_low", "ci95_high"], ...pointRows]));
  return { runs: plan.runs.length - failed, failed, points: byPoint.size };
}
