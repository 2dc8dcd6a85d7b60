import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { METRICS } from "../sim/metrics/registry.js";
import { tempDir } from "../test/helpers.js";
import { metricTitle } from "./figure-labels.js";
import { summariseSweep } from "./sweep-summary.js";

function fakeRun(dir: string, name: string, tMed: string, latency: number, consistent: number) {
  mkdirSync(join(dir, "runs", name), { recursive: true });
  writeFileSync(join(dir, "runs", name, "scenario.json"), JSON.stringify({ churn: { tMed } }));
  writeFileSync(
    join(dir, "runs", name, "summary.json"),
    JSON.stringify({
      latency_ms: { mean: latency, p50: latency, p90: latency, p99: latency },
      failed_fraction: 0,
      consistent_fraction: consistent,
      majority_consistent_fraction: null,
      hops_mean: 2,
      maintenance_bytes_per_node_s: 100,
      total_bytes_per_node_s: 120,
      session_time_median_s: 60,
      departures_per_s: 1,
      bytes_per_node_s_by_category: { leafset: { sent: 80, received: 80 } },
      // A statistic no analysis code knows of: only the protocol names it.
      protocol_stats: { fakeproto: { widget_swaps: { total: 7, per_node_per_hour: latency / 10 }, queue_length: { n: 3, mean: 2, p50: 2, p90: 3, p99: 3 } } },
    }),
  );
}

describe("sweep summaries", () => {
  it("write one tidy row per grid point and metric, with the mean and 95% interval across seeds", () => {
    const dir = tempDir();
    const runs = [
      { id: "churn.tMed=1m,replicate=0", dir: "a" },
      { id: "churn.tMed=1m,replicate=1", dir: "b" },
      { id: "churn.tMed=9m,replicate=0", dir: "c" },
      { id: "churn.tMed=9m,replicate=1", dir: "d" },
    ];
    writeFileSync(join(dir, "sweep.json"), JSON.stringify({ scenario: { sweep: { grid: { "churn.tMed": ["1m", "9m"] } } }, runs: runs.map((r, i) => ({ ...r, seed: i })) }));
    fakeRun(dir, "a", "1m", 100, 0.9);
    fakeRun(dir, "b", "1m", 300, 1);
    fakeRun(dir, "c", "9m", 50, 1);
    // Run d failed: no results.
    expect(summariseSweep(dir)).toEqual({ runs: 3, failed: 1, points: 2 });
    const rows = readFileSync(join(dir, "summary.csv"), "utf8").trim().split("\n");
    expect(rows[0]).toBe("churn.tMed,metric,n,mean,ci95_low,ci95_high");
    // 100 and 300: mean 200, sd 141.42, t(1) = 12.706: half-width 1270.6.
    expect(rows).toContain("1m,latency_mean_ms,2,200,-1070.6,1470.6");
    expect(rows).toContain("9m,latency_mean_ms,1,50,,");
    expect(rows).toContain("1m,bytes_per_node_s_leafset,2,80,80,80");
    expect(rows.some((r) => r.startsWith("1m,majority_consistent_fraction"))).toBe(false);
  });

  it("list every metric the registry declares, then the families' members, protocol statistics among them", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "sweep.json"), JSON.stringify({ scenario: { sweep: { grid: { "churn.tMed": ["1m"] } } }, runs: [{ id: "r", dir: "a", seed: 1 }] }));
    fakeRun(dir, "a", "1m", 100, 1);
    summariseSweep(dir);
    const metrics = readFileSync(join(dir, "runs.csv"), "utf8").trim().split("\n").slice(1).map((r) => r.split(",")[3]);
    expect(metrics).toEqual([
      ...METRICS.map((m) => m.name),
      "bytes_per_node_s_leafset",
      "fakeproto.widget_swaps_per_node_h",
      "fakeproto.queue_length_mean",
      "fakeproto.queue_length_p50",
      "fakeproto.queue_length_p90",
      "fakeproto.queue_length_p99",
    ]);
    const summary = readFileSync(join(dir, "summary.csv"), "utf8");
    expect(summary).toContain("1m,fakeproto.widget_swaps_per_node_h,1,10,,");
    expect(summary).toContain("1m,fakeproto.queue_length_p90,1,3,,");
    // A summary.json from before a metric existed: no value rather than NaN.
    expect(summary).not.toContain("NaN");
    // Figures label them with no declaration per statistic.
    expect(metricTitle("fakeproto.widget_swaps_per_node_h")).toBe("fakeproto: widget swaps per node-hour");
    expect(metricTitle("fakeproto.queue_length_p90")).toBe("fakeproto: queue length (90th percentile)");
    expect(metricTitle("latency_p99_ms")).toBe("99th percentile lookup latency (ms)");
  });
});
