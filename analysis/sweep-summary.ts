import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { writeFileAtomic } from "../sim/experiments/atomic-file.js";
import type { Summary } from "../sim/metrics/metrics.js";
import { type Aggregate, describeMetric, metricValues, type Range } from "../sim/metrics/registry.js";
import { numericAxis } from "./axis-values.js";
import { meanWithInterval } from "./confidence.js";

interface SweepPlan {
  scenario: { sweep: { grid: Record<string, unknown[]> } };
  runs: { id: string; dir: string; seed: number }[];
}

/** How each kind of aggregate combines one grid point's runs. */
const AGGREGATES: Record<Aggregate, (values: readonly number[], range?: Range) => ReturnType<typeof meanWithInterval>> = { mean_t95: meanWithInterval };

// A parameter a run's scenario lacks reads as an empty label (as csv-stringify wrote undefined before).
const text = (v: unknown) => (v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));
const round = (x: number | null) => (x === null ? "" : Math.round(x * 1e6) / 1e6);

interface Point {
  values: string[];
  metrics: Map<string, number[]>;
  runRows: (string | number)[][];
}

/**
 * Summarises a sweep directory into two tidy CSV files: `runs.csv` (one row per run and metric) and
 * `summary.csv` (one row per grid point and metric: replicates `n`, mean and 95% confidence interval across seeds,
 * clamped to the metric's possible range, empty when n = 1).
 * Each swept parameter's label (`23m`) is followed by its value in base units when it has one (`churn.tMed_s`:
 * seconds, `_bps`, `_bytes`, `_num`), and rows go in the grid's order, numerically along numeric axes.
 * The metrics are the registry's (sim/metrics/registry.ts): the declared ones, then each family's members —
 * byte-category bandwidths (`bytes_per_node_s_<category>`, sent) and the protocol's own statistics.
 */
export function summariseSweep(dir: string): { runs: number; failed: number; points: number } {
  const plan = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as SweepPlan;
  const params = Object.keys(plan.scenario.sweep.grid).sort();
  const byPoint = new Map<string, Point>();
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
    if (point === undefined) byPoint.set(key, (point = { values, metrics: new Map(), runRows: [] }));
    for (const { name, value } of metricValues(summary)) {
      point.runRows.push([run.id, run.seed, name, round(value)]);
      if (value === null) continue;
      const list = point.metrics.get(name) ?? [];
      list.push(value);
      point.metrics.set(name, list);
    }
  }
  const points = [...byPoint.values()];
  const numeric = params.map((_, i) => numericAxis(points.map((p) => p.values[i])));
  const gridOrder = params.map((p) => plan.scenario.sweep.grid[p].map(text));
  const position = (p: Point, i: number) => {
    const axis = numeric[i];
    if (axis !== undefined) return axis.value(p.values[i]);
    // A label the grid does not spell the same way goes last, in the order runs were planned (the sort is stable).
    const at = gridOrder[i].indexOf(p.values[i]);
    return at < 0 ? gridOrder[i].length : at;
  };
  points.sort((a, b) => {
    for (let i = 0; i < params.length; i++) {
      const d = position(a, i) - position(b, i);
      if (d !== 0) return d;
    }
    return 0;
  });
  const labels = (values: string[]) =>
    values.flatMap((v, i) => {
      const axis = numeric[i];
      return axis === undefined ? [v] : [v, axis.value(v)];
    });
  const columns = params.flatMap((p, i) => (numeric[i] === undefined ? [p] : [p, `${p}_${numeric[i]?.suffix}`]));

  const runRows: (string | number)[][] = [];
  const pointRows: (string | number)[][] = [];
  for (const point of points) {
    const head = labels(point.values);
    for (const row of point.runRows) runRows.push([...head, ...row]);
    for (const [name, list] of point.metrics) {
      const info = describeMetric(name);
      const m = AGGREGATES[info?.aggregate ?? "mean_t95"](list, info?.range);
      pointRows.push([...head, name, m.n, round(m.mean), round(m.low), round(m.high)]);
    }
  }
  writeFileAtomic(join(dir, "runs.csv"), stringify([[...columns, "run", "seed", "metric", "value"], ...runRows]));
  writeFileAtomic(join(dir, "summary.csv"), stringify([[...columns, "metric", "n", "mean", "ci95_low", "ci95_high"], ...pointRows]));
  return { runs: plan.runs.length - failed, failed, points: byPoint.size };
}
